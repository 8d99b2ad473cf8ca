"""The members' own search: one small index per access level, encrypted with that level's key.

Why not Pagefind over decrypted fragments: Pagefind writes its index as many
fragment files and loads them by its own fetches, which we would have to intercept
and decrypt one by one; the members' area is a few hundred items at most, so a
single JSON of stems -> page numbers (tens of kilobytes) does the job with the key
the browser already holds after unlock. Stemming is Snowball Swedish, as Pagefind
uses on the public search (swedish_stem.py; the same code in members-search.js).

The index is a StatiCrypt v3 payload, like the pages: without the password it is hex.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .protected import sentences
from .swedish_stem import stem

SEARCH_URL = "sok/"  # under the members' URL: medlem/sok/<level>.txt
_WORD = re.compile(r"[^\W_]+")
MIN_LETTERS = 2


@dataclass(frozen=True)
class SearchPage:
    """One protected page as the search shows it, and the text it is found by."""

    url: str
    title: str
    date: str  # shown as written, e.g. "4 mars 2026"
    kind: str  # "Protokoll", "Medlemsbrev"
    text: str  # plain text: title, summary, body
    iso: str = ""  # the date as ISO 8601: results are listed newest first


def words(text: str) -> list[str]:
    """Lowercase words, as members-search.js splits them."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def stems(text: str) -> set[str]:
    return {stem(word) for word in words(text) if len(word) >= MIN_LETTERS}


def page_text(title: str, summary: str, html: str) -> str:
    """The readable text of an item: its title, summary and body without markup."""
    return " ".join([title, *sentences(summary or ""), *sentences(html or "")])


def build_index(pages: Iterable[SearchPage]) -> dict:
    """{"pages": [[url, title, date, kind, iso date], ...], "terms": {stem: [page numbers]}}."""
    listed: list[list[str]] = []
    terms: dict[str, list[int]] = {}
    for number, page in enumerate(pages):
        listed.append([page.url, page.title, page.date, page.kind, page.iso])
        for term in sorted(stems(page.text)):
            terms.setdefault(term, []).append(number)
    return {"pages": listed, "terms": dict(sorted(terms.items()))}


def index_json(pages: Iterable[SearchPage]) -> str:
    return json.dumps(build_index(pages), ensure_ascii=False, separators=(",", ":"))


def index_name(level_id: str) -> str:
    """The file of a level's index, relative to the members' URL."""
    return f"{SEARCH_URL}{level_id}.txt"
