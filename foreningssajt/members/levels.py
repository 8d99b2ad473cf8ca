"""Access levels of the members' area: who may read what, and with which password.

The lowest level, ``medlem``, is every member (password MEMBERS_PASSWORD). site.yml
may name higher levels under ``members: levels:``, lowest first, each with the
environment variable that holds its password:

    members:
      levels:
        - id: styrelse
          name: Styrelsen
          password_env: BOARD_PASSWORD

A higher level also opens every lower one. An item says its level with the header
key ``access: styrelse``; without it, an item is for all members.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from foreningssajt.siteconfig.errors import SiteError, did_you_mean

from . import password as members_pw

MEMBERS_LEVEL = "medlem"
ACCESS_KEY = "access"
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
SITE_FILE = "site.yml"


@dataclass(frozen=True)
class Level:
    """One access level; rank 0 is all members, higher ranks open the lower ones."""

    id: str
    name: str
    password_env: str
    rank: int

    @property
    def demo_password(self) -> str:
        """The documented password of a development build (never of a published one)."""
        if self.id == MEMBERS_LEVEL:
            return members_pw.DEMO_PASSWORD
        return f"demo-{self.id}-2026"

    def opens(self, other: Level) -> bool:
        return self.rank >= other.rank


def levels_from_site(site: Mapping[str, Any]) -> list[Level]:
    """The site's levels, lowest first; a SiteError (site.yml) names a bad entry."""
    members = Level(MEMBERS_LEVEL, "Medlemmar", members_pw.ENV_NAME, 0)
    found = [members]
    entries = (site.get("members") or {}).get("levels") or []
    for number, entry in enumerate(entries, start=1):
        found.append(_level(entry, number, found))
    return found


def _level(entry: Mapping[str, Any], rank: int, earlier: list[Level]) -> Level:
    key = f"members.levels[{rank}]"
    level_id, env = str(entry["id"]), str(entry["password_env"])
    if level_id == MEMBERS_LEVEL:
        raise SiteError(
            SITE_FILE,
            f"{key}.id",
            "medlem är alla medlemmars nivå och finns redan; ge nivån ett annat id, t.ex. styrelse",
        )
    if not _ENV_NAME.fullmatch(env):
        raise SiteError(
            SITE_FILE,
            f"{key}.password_env",
            "{env} är inget namn på en miljövariabel; skriv versaler, siffror och _, t.ex. BOARD_PASSWORD",
            env=env,
        )
    for other in earlier:
        if other.password_env == env:
            raise SiteError(
                SITE_FILE,
                f"{key}.password_env",
                "{env} används redan av nivån {other}; varje nivå behöver ett eget lösenord",
                env=env,
                other=other.id,
            )
    return Level(level_id, str(entry["name"]), env, rank)


def level_passwords(
    levels: list[Level],
    members: tuple[str, bool],
    publishing: bool,
    environ: Mapping[str, str] | None = None,
    name: str = "",
) -> dict[str, tuple[str, bool]]:
    """Each level's password and whether it is that level's demo password.

    `members` is password.members_password()'s answer (it checks the members' own);
    `name` is the association's (password.association_name), refused in any password.
    A development build falls back to the demo passwords; a publishing build stops
    at a missing, demo or repeated password with one line saying what to set.
    """
    environ = os.environ if environ is None else environ
    passwords: dict[str, tuple[str, bool]] = {MEMBERS_LEVEL: members}
    for level in levels[1:]:
        given = environ.get(level.password_env, "")
        if publishing:
            _refuse_for_publishing(level, given, name)
        password = given or level.demo_password
        _refuse_repeated(level, password, passwords)
        passwords[level.id] = (password, password == level.demo_password)
    return passwords


def _refuse_for_publishing(level: Level, given: str, name: str) -> None:
    env = level.password_env
    if not given:
        raise SiteError(
            env,
            "",
            "är inte satt, och nivån {level} i site.yml behöver sitt lösenord; "
            "sätt det för bygget, t.ex. {env}='fyra slumpade ord här' make publish",
            level=level.id,
            env=env,
        )
    # The same judgement as the members' password: guessing strength, demo, the association's name.
    problem = members_pw.weakness(given, name, demo=level.demo_password)
    if problem:
        raise SiteError(env, "", problem.message + "; " + members_pw.HOW_TO_PICK, env=env, **problem.params)


def _refuse_repeated(level: Level, password: str, earlier: dict[str, tuple[str, bool]]) -> None:
    # The same password on two levels would let every member open the board's pages.
    for other, (other_password, _) in earlier.items():
        if _same(password, other_password):
            raise SiteError(
                level.password_env,
                "",
                "är samma lösenord som nivån {other} har; ge varje nivå ett eget lösenord",
                other=other,
            )


def _same(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def item_level(metadata: Mapping[str, Any], levels: list[Level], shown: str) -> Level:
    """The level an item's ``access:`` names (all members without one)."""
    by_id = {level.id: level for level in levels}
    wanted = metadata.get(ACCESS_KEY)
    if wanted is None or str(wanted).strip() == "":
        return by_id[MEMBERS_LEVEL]
    wanted = str(wanted).strip()
    if wanted not in by_id:
        raise SiteError(
            shown,
            ACCESS_KEY,
            "{value} är ingen nivå{hint}; skriv en av: {choices}",
            value=wanted,
            hint=did_you_mean(wanted, by_id),
            choices=list(by_id),
        )
    return by_id[wanted]
