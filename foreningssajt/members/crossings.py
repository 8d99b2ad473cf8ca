"""Level crossings: text of a higher level (the board's) inside a page of a lower level.

The public leak audit proves that no protected text is public. Inside the members'
area the same promise holds between levels: a board sentence pasted into a newsletter
would be read by every member. The members' generator knows each page's plaintext
just before encrypting it, so it checks there (no decryption, no extra key
derivation) and stops the build with one line per crossing.

Compared as a reader sees them: markup stripped, format characters dropped, NFKC,
casefolded, words only. Checked: every title of a higher-level item, and every
sentence of at least MIN_WORDS words of its summary and body.

The leak audit can run the same check over output/ as a browser would read it:
``level_crossings(inventory_texts(inventory, ranks), output_regions(output, keys))``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foreningssajt.leak_audit import normalise
from foreningssajt.leak_audit.matcher import Matcher
from foreningssajt.siteconfig.errors import SiteError

from .protected import sentences
from .staticrypt import Cipher

MIN_WORDS = 6  # shorter sentences ("Mötet öppnades.") recur in every level's minutes
_PAYLOAD = re.compile(r'<script type="application/json" id="members-payload"[^>]*>(.*?)</script>', re.S)
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


def reader_words(text: str) -> str:
    """' w1 w2 ... ': what a reader sees, as words (the leak audit's reading of the text shown)."""
    return normalise.reader_words(normalise.entities_undone(normalise.without_markup(text)))


def item_texts(source: str, level: str, rank: int, title: str, summary: str, html: str) -> list[LevelText]:
    """The title and the long sentences of one item."""
    found = [LevelText(source, level, rank, title)] if title.strip() else []
    for sentence in [*sentences(summary or ""), *sentences(html or "")]:
        if len(sentence.split()) >= MIN_WORDS:
            found.append(LevelText(source, level, rank, sentence))
    return found


def level_crossings(texts: Iterable[LevelText], regions: Iterable[WrittenRegion]) -> list[SiteError]:
    """One SiteError per higher-level text found in a lower-level region.

    One pass per region over an automaton of all texts (the leak audit's Matcher):
    comparing each text with each page cost 18 s for 200 board items.
    """
    by_words: dict[str, list[LevelText]] = {}
    for text in texts:
        words = reader_words(text.text) if text.rank > 0 else " "  # the lowest level crosses into none
        if words.strip():
            by_words.setdefault(words, []).append(text)
    matcher, groups = Matcher(list(by_words)), list(by_words.values())
    problems = []
    for region in regions:
        found = {text for index in matcher.found_in([reader_words(region.html)]) for text in groups[index]}
        problems += [_crossing(text, region) for text in sorted(found, key=_order) if text.rank > region.rank]
    return problems


def _order(text: LevelText) -> tuple[str, str]:
    return text.source, text.text


def _crossing(text: LevelText, region: WrittenRegion) -> SiteError:
    shown = text.text if len(text.text) <= 80 else text.text[:77] + "…"
    return SiteError(text.source, "", CROSSING, level=text.level, page="/" + region.url, lower=region.level, text=shown)


# ---- for the leak audit: the same check over the built output -----------------------------


def inventory_texts(inventory: Iterable[Any], ranks: Mapping[str, int]) -> list[LevelText]:
    """LevelTexts of the protected inventory's items (members/inventory.py's ProtectedItem).

    `ranks`: level id -> rank (levels.levels_from_site); an unknown level counts as the
    highest, so its text is looked for everywhere below it.
    """
    top = max(ranks.values(), default=0)
    texts = []
    for item in inventory:
        level = str(item.values.get("access") or getattr(item, "access", "") or "medlem")
        html = item.html if item.html is not None else item.body
        texts += item_texts(item.source, level, ranks.get(level, top), item.title, item.summary, html)
    return texts


def output_regions(output: Path, keys: Mapping[str, str]) -> Iterator[WrittenRegion]:
    """The plaintext of every members' page in output/ and of its parts, decrypted with `keys`.

    `keys`: level id -> hashed password (the build's Keyring.hashed); what a browser
    holding each key would read. A part whose level has no key is skipped.
    """
    ranks = {}
    for page in sorted(output.rglob("index.html")):
        config = _page_config(page)
        if config is None:
            continue
        ranks = ranks or {entry["id"]: rank for rank, entry in enumerate(config.get("membersLevels") or [])}
        url = page.parent.relative_to(output).as_posix() + "/"
        parts = [(config.get("membersLevel", "medlem"), config["staticryptEncryptedMsgUniqueVariableName"])]
        parts += [(extra["level"], extra["payload"]) for extra in config.get("membersExtras") or []]
        for level, payload in parts:
            if level in keys:
                html = Cipher(keys[level]).decrypt(payload).decode("utf-8")
                yield WrittenRegion(url, level, ranks.get(level, 0), html)


def _page_config(page: Path) -> dict[str, Any] | None:
    found = _PAYLOAD.search(page.read_text(encoding="utf-8", errors="replace"))
    if not found:
        return None
    try:
        config = json.loads(found[1])
    except ValueError:
        return None
    return config if isinstance(config, dict) and "staticryptEncryptedMsgUniqueVariableName" in config else None
