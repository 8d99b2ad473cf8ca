"""The Snowball Swedish stemmer (the classic algorithm), for the members' search.

The public search is Pagefind, whose Swedish stemming is this same algorithm (from
the rust-stemmers crate). foreningssajt/theme/static/js/members-search.js holds a line-by-line copy,
because the index is made here and the query is stemmed in the browser: both must
agree on every word (tests/test_members_search.py runs both on the same words).
Algorithm: https://snowballstem.org/algorithms/swedish/stemmer.html
"""

from __future__ import annotations

import functools

VOWELS = frozenset("aeiouyäåö")
S_ENDING = frozenset("bcdfghjklmnoprtvy")
STEP1 = sorted(
    [
        "a",
        "arna",
        "erna",
        "heterna",
        "orna",
        "ad",
        "e",
        "ade",
        "ande",
        "arne",
        "are",
        "aste",
        "en",
        "anden",
        "aren",
        "heten",
        "ern",
        "ar",
        "er",
        "heter",
        "or",
        "as",
        "arnas",
        "ernas",
        "ornas",
        "es",
        "ades",
        "andes",
        "ens",
        "arens",
        "hetens",
        "erns",
        "at",
        "andet",
        "het",
        "ast",
    ],
    key=len,
    reverse=True,
)
STEP2 = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
STEP3 = {"fullt": "full", "löst": "lös", "lig": "", "els": "", "ig": ""}


def region1(word: str) -> int:
    """Where R1 starts: after the first non-vowel that follows a vowel, but at least 3."""
    for i in range(1, len(word)):
        if word[i] not in VOWELS and word[i - 1] in VOWELS:
            return max(i + 1, 3)
    return len(word)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one lowercase word (cached: a site's vocabulary repeats itself)."""
    r1 = region1(word)
    word = _step1(word, r1)
    word = _step2(word, r1)
    return _step3(word, r1)


def _step1(word: str, r1: int) -> str:
    for suffix in STEP1:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            return word[: -len(suffix)]
    if word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] in S_ENDING:
        return word[:-1]
    return word


def _step2(word: str, r1: int) -> str:
    if any(word.endswith(pair) and len(word) - 2 >= r1 for pair in STEP2):
        return word[:-1]
    return word


def _step3(word: str, r1: int) -> str:
    for suffix, replacement in STEP3.items():  # longest first: fullt, löst, lig, els, ig
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            return word[: -len(suffix)] + replacement
    return word
