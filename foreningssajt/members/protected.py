"""Protected HTML as a reader sees it, cut into sentences.

The leak audit searches for these sentences (leak_audit/patterns.py), and the members'
own search and level checks read them too. A sentence never runs across a block
(paragraph, list item, heading, cell); an inline element (em, span, a) or a comment
joins what is on either side, as a browser shows it; alt and title texts are text too.
"""

from __future__ import annotations

import re
from html import unescape

# Elements a browser shows inside the running text: no line break before or after.
INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
        "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
        "var", "wbr",
    }
)  # fmt: skip
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)?([^<>]*)>", re.S)
_SHOWN_ATTRIBUTE = re.compile(r"""\b(?:alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(html: str) -> list[str]:
    """The sentences of HTML, whitespace collapsed, in order; then alt and title texts."""
    shown: list[str] = []

    def tag(match: re.Match[str]) -> str:
        for attribute in _SHOWN_ATTRIBUTE.finditer(match[3] or ""):
            shown.append(attribute[1] or attribute[2] or "")
        name = (match[2] or "").lower()
        return "" if match[0].startswith("<!--") or name in INLINE_TAGS else "\n"

    text = unescape(_TAG.sub(tag, html))
    return split_sentences([*text.split("\n"), *(unescape(s) for s in shown)])


def split_sentences(blocks: list[str]) -> list[str]:
    """Blocks of plain text cut at sentence ends, whitespace collapsed, empty ones dropped."""
    return [s for block in blocks for s in _SENTENCE_END.split(" ".join(block.split())) if s]
