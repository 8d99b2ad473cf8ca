"""Build statistics: how long each stage took and how often costly things happened.

Plugins time their own stage and count what the benchmark checks::

    from siteconfig.stats import count, stage

    with stage("encryption"):
        ...
    count("key_derivations")

    @timed("calendar")            # or as a decorator on a generator's methods
    def generate_output(self, writer): ...

tools/build.py writes the figures as JSON to the file named by the BUILD_STATS
environment variable (outside output/, so nothing of it is published); bench/run.py
reads them. Without BUILD_STATS the figures are collected and simply not written.
"""

from __future__ import annotations

import functools
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_seconds: dict[str, float] = defaultdict(float)
_counts: dict[str, int] = defaultdict(int)
_marks: dict[str, float] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the time spent inside the block to the stage `name` (stages may nest)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        _seconds[name] += time.perf_counter() - started


def timed(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of stage(), e.g. on a generator's generate_context and generate_output."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def timed_function(*args: Any, **kwargs: Any) -> Any:
            with stage(name):
                return function(*args, **kwargs)

        return timed_function

    return decorate


def count(name: str, n: int = 1) -> None:
    """Count an event, for instance one key derivation."""
    _counts[name] += n


def snapshot() -> dict[str, Any]:
    return {"stages": dict(_seconds), "counts": dict(_counts)}


def reset() -> None:
    _seconds.clear()
    _counts.clear()
    _marks.clear()


# Pelican's own stages (reading = generators' contexts, rendering = their output)
# are timed between its run-level signals. Receivers are module functions so that
# blinker's weak references keep them alive.


def _mark_reading_done(_generators: object) -> None:
    now = time.perf_counter()
    _seconds["reading"] += now - _marks.get("run", now)
    _marks["rendering"] = now


def _mark_rendering_done(_pelican: object) -> None:
    now = time.perf_counter()
    _seconds["rendering"] += now - _marks.get("rendering", now)


def time_pelican_stages() -> None:
    """Connect the reading/rendering timers; call before Pelican() so the finalized
    timer runs before any plugin's finalized step (Pelican keeps connection order)."""
    from pelican import signals

    signals.all_generators_finalized.connect(_mark_reading_done)
    signals.finalized.connect(_mark_rendering_done)


def start_run() -> None:
    """Call right before Pelican.run(): reading is timed from here."""
    _marks["run"] = time.perf_counter()


def write(path: str | Path, **extra: Any) -> None:
    """Write the figures (plus `extra`, e.g. total seconds) as JSON to `path`."""
    Path(path).write_text(json.dumps({**snapshot(), **extra}, indent=2, sort_keys=True), encoding="utf-8")
