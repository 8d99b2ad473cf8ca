"""Short plain texts the theme needs from a page's HTML: descriptions for link previews."""

from __future__ import annotations

import html
import re

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def first_paragraph(body: str | None, limit: int = 300) -> str:
    """The plain text of the first non-empty paragraph, shortened at a word to `limit` characters."""
    for match in _PARAGRAPH.finditer(str(body or "")):
        text = " ".join(html.unescape(_TAG.sub("", match.group(1))).split())
        if text:
            return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ""
