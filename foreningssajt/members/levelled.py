"""The members' area by access level: which key each page uses, what each level lists and finds.

The members' generator hands over each rendered region with the level it is for; this
module encrypts it with that level's key, adds the board's (higher levels') parts of
a list as separate payloads, writes one encrypted search index per level, and keeps
each region's plaintext in memory until the build's crossing check has run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from foreningssajt.siteconfig.errors import SiteError

from . import area_search, crossings, layout
from .keyring import Keyring
from .levels import Level, item_level


class LevelledArea:
    """Encrypts by level; one per build (made by the members' generator)."""

    def __init__(self, keyring: Keyring, salt: str, remember_days: int) -> None:
        self.keyring = keyring
        self.salt = salt
        self.remember_days = remember_days
        self.regions: list[crossings.WrittenRegion] = []
        self.search: dict[str, list[area_search.SearchPage]] = {level.id: [] for level in keyring.levels()}

    def level_of(self, metadata: dict[str, Any], shown: str) -> Level:
        return item_level(metadata, self.keyring.levels(), shown)

    def higher_levels(self) -> list[Level]:
        return [level for level in self.keyring.levels() if level.rank > 0]

    def payload(self, url: str, region: str, level: Level, extras: Iterable[tuple[Level, str]] = ()) -> str:
        """The page's JSON: StatiCrypt's keys (the official CLI reads them) and ours."""
        self._keep(url, region, level)
        config = {
            "staticryptEncryptedMsgUniqueVariableName": self.keyring.cipher(level.id).encrypt(region),
            "staticryptSaltUniqueVariableName": self.salt,
            "isRememberEnabled": self.remember_days > 0,
            "rememberDurationInDays": self.remember_days,
            "membersLevel": level.id,
            "membersLevels": self.keyring.browser_levels(),
            "membersExtras": [self._extra(url, html, extra) for extra, html in extras],
        }
        return json.dumps(config)

    def _extra(self, url: str, html: str, level: Level) -> dict[str, str]:
        self._keep(url, html, level)
        return {"level": level.id, "payload": self.keyring.cipher(level.id).encrypt(html)}

    def _keep(self, url: str, html: str, level: Level) -> None:
        self.regions.append(crossings.WrittenRegion(url, level.id, level.rank, html))

    def add_to_search(self, level: Level, page: area_search.SearchPage) -> None:
        self.search[level.id].append(page)

    def search_urls(self, siteurl: str) -> dict[str, str]:
        """Each level's index address, for the search form inside the (encrypted) index page."""
        return {level: f"{siteurl}/{layout.MEMBERS_URL}{area_search.index_name(level)}" for level in self.search}

    def write_search(self, output: Path) -> None:
        """One encrypted index per level (also for a level with no pages: same size class)."""
        for level_id, pages in self.search.items():
            target = output / layout.MEMBERS_URL / area_search.index_name(level_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            ciphertext = self.keyring.cipher(level_id).encrypt(area_search.index_json(pages))
            target.write_text(ciphertext, encoding="ascii")

    def crossings(self, texts: Iterable[crossings.LevelText]) -> list[SiteError]:
        found = crossings.level_crossings(texts, self.regions)
        self.regions = []  # plaintext held no longer than needed
        return found

    def name_key(self, level: Level) -> bytes:
        return bytes.fromhex(self.keyring.hashed(level.id))
