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

_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_SPACES = re.compile(r"[ \t\u00a0]+")


# Control characters (Cc) but LF, surrogates (Cs) and the noncharacters of the Basic
# Multilingual Plane, as one character class: a Python call per character took a fifth
# of the calendar's build time.
_UNWANTED_BMP = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _astral_kept(match: re.Match[str]) -> str:
    """Emoji and other letters stay; U+1FFFE, U+1FFFF, ... (noncharacters) go."""
    return "" if (ord(match[0]) & 0xFFFE) == 0xFFFE else match[0]


def _visible(text: str) -> str:
    text = _UNWANTED_BMP.sub("", text)
    return text if text.isascii() else _ASTRAL.sub(_astral_kept, text)


def one_line(text: str) -> str:
    """Line breaks become spaces, control characters go, runs of spaces become one."""
    flat = _LINE_BREAKS.sub(" ", text).replace("\t", " ")
    return _SPACES.sub(" ", _visible(flat)).strip()


def paragraphs(text: str) -> str:
    """Line breaks kept (each written as \\n), other control characters removed."""
    lines = _LINE_BREAKS.sub("\n", text).replace("\t", " ").split("\n")
    return "\n".join(_SPACES.sub(" ", _visible(line)).strip() for line in lines).strip()
