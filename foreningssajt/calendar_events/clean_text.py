"""Text from outside made safe for where it goes: one line (titles, places) or paragraphs.

Zetkin's fields and even a quoted YAML title can hold characters a volunteer never
sees: CR and LF inside a title, NUL and other control characters, lone surrogates
(which cannot be written as UTF-8 at all) and Unicode noncharacters. A bare CR in an
iCalendar text value ends the content line early, and a lone surrogate makes writing
the page fail, so they are removed once, where the text comes in and again where
it goes out (feeds).
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_SPACES = re.compile(r"[ \t\u00a0]+")


def _allowed(character: str) -> bool:
    code = ord(character)
    if (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        return False  # noncharacters: not meant for interchange, the HTML checker refuses them
    return unicodedata.category(character) not in ("Cc", "Cs")


def _visible(text: str) -> str:
    return "".join(character for character in text if character == "\n" or _allowed(character))


def one_line(text: str) -> str:
    """Line breaks become spaces, control characters go, runs of spaces become one."""
    flat = _LINE_BREAKS.sub(" ", text).replace("\t", " ")
    return _SPACES.sub(" ", _visible(flat)).strip()


def paragraphs(text: str) -> str:
    """Line breaks kept (each written as \\n), other control characters removed."""
    lines = _LINE_BREAKS.sub("\n", text).replace("\t", " ").split("\n")
    return "\n".join(_SPACES.sub(" ", _visible(line)).strip() for line in lines).strip()
