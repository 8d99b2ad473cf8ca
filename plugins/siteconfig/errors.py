"""One-line errors for the people who write the content.

Every mistake in site.yml or in a Markdown header becomes a SiteError whose text is
``file: key: what is wrong, what to write``. The build collects them so that a
volunteer sees all mistakes at once instead of fixing them one build at a time.
"""

from __future__ import annotations

import functools
from pathlib import Path


class SiteError(Exception):
    """A mistake in the site's own files, told in one line."""

    def __init__(self, path: str | Path, key: str, message: str) -> None:
        self.path = str(path)
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}: {self.key}" if self.key else self.path
        return f"{where}: {self.message}"


_collected: list[SiteError] = []


def report(error: SiteError) -> None:
    """Remember an error and let the build go on reading."""
    if str(error) not in {str(e) for e in _collected}:
        _collected.append(error)


def collected() -> list[SiteError]:
    return list(_collected)


def clear() -> None:
    _collected.clear()


def relative(path: str | Path, root: str | Path) -> str:
    """Show paths relative to the site folder: that is what the writer sees."""
    try:
        return str(_resolved(str(path)).relative_to(_resolved(str(root))))
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=8192)
def _resolved(path: str) -> Path:
    # resolve() asks the file system for every part of the path; the reader asks for
    # each file several times and for the same root every time (bench/README.md).
    return Path(path).resolve()
