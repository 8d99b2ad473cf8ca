"""What counts as protected text: the list the leak audit searches output/ for.

The members' generator knows every protected source, so it builds this list while it
reads them and hands it to the audit (setting MEMBERS_PROTECTED). The audit decides
which entries are distinctive enough to search for; this module only says what the
sources contain: titles, summaries, the sentences of the bodies, attachment names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

SETTING = "MEMBERS_PROTECTED"

# Tags after which text is a new block: a sentence never runs across them.
_BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div", "tr", "td", "th",
    "blockquote", "pre", "dt", "dd", "table", "ul", "ol", "hr", "section", "figcaption",
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Protected:
    """One piece of protected text and where it comes from (for the audit's message)."""

    source: str  # path as the writer sees it, e.g. content/members/minutes/x.md
    kind: str  # "title", "summary", "text", "attachment name", "event"
    text: str


class _TextBlocks(HTMLParser):
    """HTML to plain-text blocks, one per paragraph, list item, heading, cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.blocks.append("")
        for name, value in attrs:
            # alt and title texts are body text too (an image described in minutes).
            if name in ("alt", "title") and value:
                self.blocks.append(value)
                self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.blocks.append("")

    def handle_data(self, data: str) -> None:
        self.blocks[-1] += data


def sentences(html: str) -> list[str]:
    """The sentences of an HTML body, whitespace collapsed, in order."""
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    found = []
    for block in parser.blocks:
        block = " ".join(block.split())
        found.extend(s for s in _SENTENCE_END.split(block) if s)
    return found


def item_texts(source: str, html: str, metadata: dict[str, Any]) -> list[Protected]:
    """Everything protected in one item: title, summary, body sentences, attachment names."""
    texts = [Protected(source, "title", str(metadata.get("title", "")))]
    if metadata.get("summary"):
        texts += [Protected(source, "summary", s) for s in sentences(str(metadata["summary"]))]
    texts += [Protected(source, "text", s) for s in sentences(html)]
    for name in metadata.get("attachments") or ():
        texts.append(Protected(source, "attachment name", Path(str(name)).name))
    return [t for t in texts if t.text.strip()]


def event_texts(event: Any) -> list[Protected]:
    """A members-only event (or one occurrence of it) from the calendar: title and texts."""
    event = getattr(event, "event", event)  # an occurrence carries its event
    source = str(getattr(event, "source", None) or getattr(event, "source_relpath", None) or "members' event")
    texts = [Protected(source, "event", unescape(str(getattr(event, "title", "") or "")))]
    for html in (getattr(event, "summary", "") or "", getattr(event, "content", "") or ""):
        texts += [Protected(source, "event", s) for s in sentences(str(html))]
    return [t for t in texts if t.text.strip()]
