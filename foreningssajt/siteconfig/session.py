"""One build session: everything a build shares, handed to each step explicitly.

foreningssajt/cli/build.py makes one per build and puts it into Pelican's settings as
BUILD_SESSION (the only channel Pelican offers into its plugins); plugins read it with
session_of(). Nothing else carries state between the parts of a build: no module-level
lists, no environment variables, no settings one plugin writes for another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .background import BackgroundWork
from .errors import Problems
from .stats import Stats

SETTING = "BUILD_SESSION"


@dataclass
class BuildSession:
    """The site being built, its clock, and what the build found and measured."""

    root: Path
    now: dt.datetime
    language: str = "sv"
    publishing: bool = False
    problems: Problems = field(default_factory=Problems)
    stats: Stats = field(default_factory=Stats)
    # Filled by the members' step: the one answer to "what is secret" (members/inventory.py).
    inventory: Any = None
    # Jobs handed to a second process (share cards); waited for before anything reads output/.
    background: BackgroundWork = field(default_factory=BackgroundWork)
    # A cold build's Markdown files read ahead in worker processes, by absolute path; the
    # reader takes each once (content_rules/preread.py). Protected text: in memory only.
    prepared_reads: dict[str, Any] = field(default_factory=dict)
    # The leak audit's patterns and automata (leak_audit.audit.PreparedAudit), carried
    # over by the dev server from its last build.
    audit: Any = None
    # Set by the dev server: audit in this process, so that session.audit can be carried.
    keep_audit: bool = False
    # A full build's audit reading beside it (leak_audit.alongside.AuditProcess), from the
    # first step until the audit step asks for its verdict.
    audit_alongside: Any = None
    # Pagefind at work (search.indexing.RunningIndex) between index_search and the audit.
    search: Any = None

    def __reduce__(self) -> tuple:
        # Pelican's reader caches pickle the settings that every category, tag and author
        # carries. The session holds the protected inventory, which must never land in a
        # public generator's cache file, and it means nothing to another build anyway.
        return (_left_out, ())

    @classmethod
    def start(cls, root: Path, now: dt.datetime | None = None, publishing: bool = False) -> BuildSession:
        return cls(root=root.resolve(), now=now or dt.datetime.now(dt.UTC), publishing=publishing)


def _left_out() -> None:
    return None


def session_of(settings: Mapping[str, Any]) -> BuildSession:
    """The session a build's settings carry; a Pelican run without one is a developer's mistake."""
    session = settings.get(SETTING)
    if session is None:
        raise RuntimeError(
            "no build session: build with foreningssajt/cli/build.py (make html), not with pelican directly"
        )
    return session
