"""Build statistics: how long each stage took and how often costly things happened.

One Stats object belongs to one build session (siteconfig/session.py); steps time
themselves and count what the benchmark checks::

    with session.stats.stage("encryption"):
        ...
    session.stats.count("key_derivations")

foreningssajt/cli/build.py writes the figures as JSON when asked (--stats FILE, outside output/, so
nothing of it is published); bench/run.py reads them.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Stats:
    """Seconds per stage and counts of costly events, for one build."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the time spent inside the block to the stage `name` (stages may nest)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def add_seconds(self, name: str, seconds: float) -> None:
        self.seconds[name] += seconds

    def count(self, name: str, n: int = 1) -> None:
        """Count an event, for instance one key derivation."""
        self.counts[name] += n

    def snapshot(self) -> dict[str, Any]:
        return {"stages": dict(self.seconds), "counts": dict(self.counts)}

    def write(self, path: str | Path, **extra: Any) -> None:
        """Write the figures (plus `extra`, e.g. total seconds) as JSON to `path`."""
        figures = {**self.snapshot(), **extra}
        Path(path).write_text(json.dumps(figures, indent=2, sort_keys=True), encoding="utf-8")
