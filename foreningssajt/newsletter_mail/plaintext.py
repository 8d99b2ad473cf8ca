"""The plain-text part: what a reader without HTML sees, so it must read well alone.

html2text writes Markdown; a plain-text email is not Markdown. So: no backslash
escapes, no **emphasis** marks, headings underlined instead of #-prefixed, links as
numbered notes listed at the end (a link whose text is its address stays as is), and
data tables as rows of cells split by ' | ' while layout tables vanish.
"""

from __future__ import annotations

import re
from typing import Any

import html2text

_HEADING = re.compile(r"^(#{1,6}) (.+)$", re.MULTILINE)
_UNDERLINE = {1: "=", 2: "-"}
IMAGE_LABEL = "Bild"


class _PlainText(html2text.HTML2Text):
    def __init__(self) -> None:
        super().__init__(bodywidth=0)  # no hard wraps: phones re-flow text themselves
        self.unicode_snob = True  # keep – and ” (Swedish typography) instead of ASCII stand-ins
        self.ignore_emphasis = True
        self.ignore_tables = True  # layout tables; their cells become paragraphs
        self.images_to_alt = True
        self.ul_item_mark = "-"
        self.tag_callback = _links_and_images
        self.notes: list[str] = []
        self._link: dict[str, Any] | None = None
        self._layout_tables: list[bool] = []  # innermost last: is it a layout table?
        self._cells_in_row = 0

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        if self._link is not None:
            self._link["text"] += data
        # entity_char=True: html2text skips its Markdown escaping, which is noise in plain text.
        super().handle_data(data, entity_char=True)

    def note(self, href: str) -> int:
        if href not in self.notes:
            self.notes.append(href)
        return self.notes.index(href) + 1


def _links_and_images(parser: _PlainText, tag: str, attrs: dict[str, Any], start: bool) -> bool:
    if tag in ("table", "tr", "td", "th"):
        _table_cells(parser, tag, attrs, start)
        return False  # html2text still breaks lines at row ends
    if tag == "img":
        alt = (attrs.get("alt") or "").strip()
        if start and alt:
            parser.o(f"[{IMAGE_LABEL}: {alt}]")
        return True
    if tag != "a":
        return False
    if start:
        parser._link = {"href": (attrs.get("href") or "").strip(), "text": ""}
        return True
    link, parser._link = parser._link, None
    if link and link["href"] and not _says_its_address(link["text"], link["href"]):
        parser.o(f" [{parser.note(link['href'])}]")
    return True


def _table_cells(parser: _PlainText, tag: str, attrs: dict[str, Any], start: bool) -> None:
    """Cells of a data table apart with ' | '; layout tables (role=presentation) stay invisible."""
    if tag == "table":
        if start:
            parser._layout_tables.append(attrs.get("role") == "presentation")
        elif parser._layout_tables:
            parser._layout_tables.pop()
        return
    in_data_table = bool(parser._layout_tables) and not parser._layout_tables[-1]
    if tag == "tr" and start:
        parser._cells_in_row = 0
    elif start and in_data_table:
        if parser._cells_in_row:
            parser.o(" | ")
        parser._cells_in_row += 1


def _says_its_address(text: str, href: str) -> bool:
    def bare(value: str) -> str:
        return re.sub(r"^(mailto:|tel:|https?://)", "", value.strip()).rstrip("/")

    return bare(text) == bare(href)


def _underline(match: re.Match) -> str:
    level, text = len(match.group(1)), match.group(2).strip()
    mark = _UNDERLINE.get(level)
    return f"{text}\n{mark * len(text)}" if mark else text


def plain_text(html: str, notes_heading: str = "Länkar") -> str:
    parser = _PlainText()
    text = parser.handle(html)
    text = _HEADING.sub(_underline, text)
    text = "\n".join(line.rstrip() for line in text.splitlines())  # html2text ends <br> lines with two spaces
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    if parser.notes:
        listed = "\n".join(f"[{number}] {href}" for number, href in enumerate(parser.notes, 1))
        text += f"\n{notes_heading}:\n{listed}\n"
    return text
