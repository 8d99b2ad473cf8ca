"""A cold build's Markdown files read in forked worker processes before Pelican reads them.

Pelican reads file after file on one core, and in a cold build (no reader cache yet)
every file is read: YAML header, checks, Markdown. Here, before Pelican starts, the
same reader runs over every Markdown file under content/ in one process per core (this
one included; siteconfig/parallel.py's map_forked). Each file's outcome, its HTML and
metadata or its problems, goes onto the build session; StrictYAMLReader.read takes it
instead of reading the file, and only then tells its problems to the session, so the
problem lines come in the order of Pelican's reading, as without this step.

Only where it pays: a cold build (a warm one reads from Pelican's cache; the dev
server's rebuilds are warm) of at least MIN_FILES files, on more than one core, with
forking safe. The outcomes stay in memory: the members' files are protected text and
never land on disk through this step.
"""

from __future__ import annotations

import fnmatch
import io
import os
import pickle
from pathlib import Path
from typing import Any

from foreningssajt.siteconfig.parallel import can_fork, cores, map_forked
from foreningssajt.siteconfig.session import session_of

from .reader import Outcome, StrictYAMLReader

MIN_FILES = 100  # below this, forking and sending results back costs about what it saves
_SETTINGS = "settings"  # the pickled stand-in for the build's settings (see _pickled)


def preread(settings: dict[str, Any]) -> int:
    """In a cold build, every Markdown file read ahead in worker processes; how many were."""
    workers = cores()
    if workers < 2 or not can_fork() or not reader_cache_is_cold(settings):
        return 0
    paths = markdown_files(settings)
    if len(paths) < MIN_FILES:
        return 0
    session_of(settings).prepared_reads.update(read_ahead(paths, settings, workers))
    return len(paths)


def reader_cache_is_cold(settings: dict[str, Any]) -> bool:
    """Whether Pelican will read every file itself: its reader cache is off or not written yet.

    Pelican names each generator's reader cache <Generator>-Readers in CACHE_PATH
    (generators.py, FileStampDataCacher); one of them means a warm build.
    """
    if settings.get("CONTENT_CACHING_LAYER", "reader") != "reader":
        return False  # a cache of whole generators: its names differ, so never guess
    if not settings.get("LOAD_CONTENT_CACHE"):
        return True
    return not any(Path(settings["CACHE_PATH"]).glob("*-Readers"))


def markdown_files(settings: dict[str, Any]) -> list[str]:
    """Every Markdown file under PATH, as Pelican's generators find them (IGNORE_FILES skipped)."""
    ignored = settings.get("IGNORE_FILES", [])
    suffixes = tuple(f".{extension}" for extension in StrictYAMLReader.file_extensions)
    found = []
    for folder, dirs, files in os.walk(os.path.abspath(settings["PATH"]), followlinks=True):
        dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, pattern) for pattern in ignored))
        found += [
            os.path.join(folder, name)
            for name in sorted(files)
            if name.endswith(suffixes) and not any(fnmatch.fnmatch(name, pattern) for pattern in ignored)
        ]
    return found


def read_ahead(paths: list[str], settings: dict[str, Any], workers: int) -> dict[str, Outcome]:
    """{path: outcome} for each file the reader could read; the others Pelican reads itself."""
    reader = StrictYAMLReader(settings)
    parent = os.getpid()

    def read_one(path: str) -> Outcome | bytes | None:
        try:
            outcome = reader.outcome(path)
            # This process's share needs no pickling; a worker's travels back through a pipe.
            return outcome if os.getpid() == parent else _pickled(outcome, settings)
        except Exception:  # Pelican reads the file itself and reports it as it always did
            return None

    outcomes = map_forked(read_one, paths, workers)
    return {
        path: _unpickled(outcome, settings) if isinstance(outcome, bytes) else outcome
        for path, outcome in zip(paths, outcomes, strict=True)
        if outcome is not None
    }


class _Pickler(pickle.Pickler):
    """Pickles the build's settings as a name: categories, tags and authors refer to them.

    Unpickled, they refer to this process's settings again, as if read here, instead of
    to a copy of the whole settings per file.
    """

    def __init__(self, stream: io.BytesIO, settings: dict[str, Any]) -> None:
        super().__init__(stream, pickle.HIGHEST_PROTOCOL)
        self.settings = settings

    def persistent_id(self, obj: Any) -> str | None:
        return _SETTINGS if obj is self.settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream: io.BytesIO, settings: dict[str, Any]) -> None:
        super().__init__(stream)
        self.settings = settings

    def persistent_load(self, pid: Any) -> Any:
        if pid != _SETTINGS:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return self.settings


def _pickled(outcome: Outcome, settings: dict[str, Any]) -> bytes:
    stream = io.BytesIO()
    _Pickler(stream, settings).dump(outcome)
    return stream.getvalue()


def _unpickled(data: bytes, settings: dict[str, Any]) -> Outcome:
    return _Unpickler(io.BytesIO(data), settings).load()
