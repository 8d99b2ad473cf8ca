"""One key per access level, derived once per build, and what the browser needs to use them.

Every page and attachment is encrypted with its own level's key, so the official
StatiCrypt tool opens a board page with the board password and a members' page with
the members' password. For a higher password to open lower pages without the browser
deriving a second key, each level's key is also "wrapped": the next lower level's key,
encrypted with this level's key (StatiCrypt v3 payload). Typing the board password
derives one key (600,000 PBKDF2 rounds, once); the members' key then comes from one
AES decryption.

Each level also publishes a key check value, HMAC-SHA256(key, "members-key-check")
cut to 16 hex characters. It tells the browser which level a key belongs to, and so
whether a remembered key is still valid at all (after a password change it matches
no level: see members-levels.js). It reveals no more than a payload's own MAC, which
a guesser can already test passwords against.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .levels import Level
from .staticrypt import Cipher, derive_key

CHECK_LABEL = b"members-key-check"
CHECK_HEX = 16


def key_check(hashed: str) -> str:
    """The public check value of a hashed password (64 hex characters)."""
    return hmac.new(bytes.fromhex(hashed), CHECK_LABEL, hashlib.sha256).hexdigest()[:CHECK_HEX]


@dataclass(frozen=True)
class LevelKey:
    level: Level
    hashed: str
    demo: bool

    @property
    def cipher(self) -> Cipher:
        return Cipher(self.hashed)


class Keyring:
    """The build's keys, one per level, lowest level first, derived when first needed.

    A build that encrypts nothing (an incremental build that only rewrote a news post,
    whose members' files stay as they were) derives no key at all.
    """

    def __init__(self, levels: list[Level], make_keys: Callable[[], list[LevelKey]]) -> None:
        self._levels = list(levels)
        self._make_keys = make_keys  # called once, on first use of a key

    @classmethod
    def derive(
        cls, levels: list[Level], passwords: dict[str, tuple[str, bool]], salt: str, count: Callable[[], Any]
    ) -> Keyring:
        """One derivation per level (about 0.1 s each), on first use; `count` is called once per derivation."""

        def make_keys() -> list[LevelKey]:
            keys = []
            for level in levels:
                password, demo = passwords[level.id]
                keys.append(LevelKey(level, derive_key(password, salt), demo))
                count()
            return keys

        return cls(levels, make_keys)

    @functools.cached_property
    def _keys(self) -> dict[str, LevelKey]:
        return {key.level.id: key for key in self._make_keys()}

    @functools.cached_property
    def _ciphers(self) -> dict[str, Cipher]:
        return {level_id: key.cipher for level_id, key in self._keys.items()}

    def cipher(self, level_id: str) -> Cipher:
        return self._ciphers[level_id]

    def hashed(self, level_id: str) -> str:
        return self._keys[level_id].hashed

    def demo(self, level_id: str) -> bool:
        return self._keys[level_id].demo

    def levels(self) -> list[Level]:
        return list(self._levels)

    def browser_levels(self) -> list[dict[str, str]]:
        """For each level, lowest first: id, name, key check, and the wrapped lower key."""
        return self._browser

    @functools.cached_property
    def _browser(self) -> list[dict[str, str]]:
        # Made once per build: every page carries the same wraps.
        return self._browser_levels(list(self._keys.values()))

    @staticmethod
    def _browser_levels(keys: list[LevelKey]) -> list[dict[str, str]]:
        found = []
        for lower, key in zip([None, *keys], keys, strict=False):
            entry = {"id": key.level.id, "name": key.level.name, "check": key_check(key.hashed)}
            if lower is not None:
                entry["wrap"] = key.cipher.encrypt(lower.hashed)
            found.append(entry)
        return found
