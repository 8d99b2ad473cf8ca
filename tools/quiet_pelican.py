"""Pelican's own output made fit for a volunteer's terminal, and its stages timed.

Pelican prints progress ("Done: Processed ...") even when our build then fails, and
logs warnings about its internals. A volunteer sees only our lines: Pelican's console
is silenced during generation, its warnings are hidden unless they are errors, and an
error becomes a problem of the session (one line, naming the file when Pelican did).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from siteconfig.errors import SiteError
from siteconfig.session import BuildSession
from siteconfig.stats import Stats


class PelicanLog(logging.Handler):
    """Errors Pelican logs become the session's problems; the rest is dropped."""

    def __init__(self, session: BuildSession) -> None:
        super().__init__(logging.ERROR)
        self.session = session

    @classmethod
    def install(cls, session: BuildSession) -> PelicanLog:
        handler = cls(session)
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
        return handler

    def emit(self, record: logging.LogRecord) -> None:
        # Pelican logs a failed file from inside its except block, without the
        # exception; the exception is still the one being handled.
        handling = sys.exc_info()[1]
        if isinstance(handling, SiteError):
            return  # already among the problems, in the writer's words
        line = " ".join(record.getMessage().split())
        if handling is not None:
            line += f" ({type(handling).__name__}: {handling})"
        self.session.problems.add(SiteError("bygget", "", "{text}", text=line))


@contextmanager
def quiet_console() -> Iterator[None]:
    from pelican.log import console

    was = console.quiet
    console.quiet = True
    try:
        yield
    finally:
        console.quiet = was


@contextmanager
def timed_reading_and_rendering(stats: Stats) -> Iterator[None]:
    """Pelican's reading (generators' contexts) and rendering (their output), for the benchmark."""
    from pelican import signals

    marks = {"reading": time.perf_counter()}

    def reading_done(_generators: object) -> None:
        marks["rendering"] = time.perf_counter()
        stats.add_seconds("reading", marks["rendering"] - marks["reading"])

    signals.all_generators_finalized.connect(reading_done)
    try:
        yield
    finally:
        signals.all_generators_finalized.disconnect(reading_done)
        if "rendering" in marks:
            stats.add_seconds("rendering", time.perf_counter() - marks["rendering"])
