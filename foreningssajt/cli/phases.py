"""Where a build's time goes, by generator and by file writing, for the benchmark.

Stages recorded in the session's Stats (foreningssajt/cli/build.py --stats):

- ``context:<Generator>`` and ``output:<Generator>``: each generator's reading and
  rendering (Pelican's own and the plugins');
- ``write``: Pelican's writer opening and writing files (inside rendering).

bench/run.py turns these into the phases read, render, write, members and calendar.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pelican import signals

from foreningssajt.siteconfig.stats import Stats


def _timed(stats: Stats, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        with stats.stage(name):
            return method(*args, **kwargs)

    return run


@contextmanager
def timed_generators(stats: Stats) -> Iterator[None]:
    """Time each generator's generate_context and generate_output while the block runs."""

    def wrap(generator: Any) -> None:
        kind = type(generator).__name__
        for method, stage in (("generate_context", "context"), ("generate_output", "output")):
            if hasattr(generator, method):
                setattr(generator, method, _timed(stats, f"{stage}:{kind}", getattr(generator, method)))

    signals.generator_init.connect(wrap)
    try:
        yield
    finally:
        signals.generator_init.disconnect(wrap)


def time_writes(writer: Any, stats: Stats) -> None:
    """Count the time Pelican's writer spends opening and writing files as the stage `write`."""
    open_w = writer._open_w

    @contextmanager
    def timed_open(*args: Any, **kwargs: Any) -> Iterator[Any]:
        started = time.perf_counter()
        try:
            with open_w(*args, **kwargs) as stream:
                yield stream
        finally:
            stats.add_seconds("write", time.perf_counter() - started)

    writer._open_w = timed_open
