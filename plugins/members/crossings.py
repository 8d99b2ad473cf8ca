"""Level crossings: text of a higher level (the board's) inside a page of a lower level.

The public leak audit proves that no protected text is public. Inside the members'
area the same promise holds between levels: a board sentence pasted into a newsletter
would be read by every member. The members' generator knows each page's plaintext
just before encrypting it, so it checks there (no decryption, no extra key
derivation) and stops the build with one line per crossing.

Compared as a reader sees them: markup stripped, format characters dropped, NFKC,
casefolded, words only. Checked: every title of a higher-level item, and every
sentence of at least MIN_WORDS words of its summary and body.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from siteconfig.errors import SiteError

from .protected import sentences

MIN_WORDS = 6  # shorter sentences ("Mötet öppnades.") recur in every level's minutes
_TAG = re.compile(r"<\s*/?\s*([a-zA-Z0-9]*)[^>]*>")
# Inline tags join what they separate, as a browser shows it: val<em>bid</em>rag is one word.
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)
_NOT_WORD = re.compile(r"[\W_]+")
CROSSING = "text från en sida för {level} står i {page}, som {lower} kan läsa: ”{text}”; ta bort den där, eller sätt access: {level} på den sidans fil"  # noqa: E501


@dataclass(frozen=True)
class LevelText:
    """A piece of an item's text and the level (rank) that may read it."""

    source: str  # content/members/minutes/x.md
    level: str
    rank: int
    text: str


@dataclass(frozen=True)
class WrittenRegion:
    """The plaintext of one encrypted page (or part of a page) and its level."""

    url: str
    level: str
    rank: int
    html: str


def _tag(match: re.Match[str]) -> str:
    return "" if match[1].lower() in _INLINE else " "


def reader_words(text: str) -> str:
    """' w1 w2 ... ': what a reader sees, as words."""
    text = unicodedata.normalize("NFKC", html.unescape(_TAG.sub(_tag, text)))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").casefold()
    return " " + " ".join(_NOT_WORD.sub(" ", text).split()) + " "


def item_texts(source: str, level: str, rank: int, title: str, summary: str, html: str) -> list[LevelText]:
    """The title and the long sentences of one item."""
    found = [LevelText(source, level, rank, title)] if title.strip() else []
    for sentence in [*sentences(summary or ""), *sentences(html or "")]:
        if len(sentence.split()) >= MIN_WORDS:
            found.append(LevelText(source, level, rank, sentence))
    return found


def level_crossings(texts: Iterable[LevelText], regions: Iterable[WrittenRegion]) -> list[SiteError]:
    """One SiteError per higher-level text found in a lower-level region."""
    texts = [(text, reader_words(text.text)) for text in texts]
    problems = []
    for region in regions:
        seen = reader_words(region.html)
        for text, words in texts:
            if text.rank > region.rank and words.strip() and words in seen:
                problems.append(_crossing(text, region))
    return problems


def _crossing(text: LevelText, region: WrittenRegion) -> SiteError:
    shown = text.text if len(text.text) <= 80 else text.text[:77] + "…"
    return SiteError(text.source, "", CROSSING, level=text.level, page="/" + region.url, lower=region.level, text=shown)
