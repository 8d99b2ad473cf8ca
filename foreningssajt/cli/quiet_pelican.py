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
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from foreningssajt.siteconfig.errors import SiteError
from foreningssajt.siteconfig.session import BuildSession
from foreningssajt.siteconfig.stats import Stats


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
        if record.msg == FAILED_FILE and record.args:
            self.session.problems.add(_failed_file(str(record.args[0]), handling))
            return
        line = " ".join(record.getMessage().split())
        if handling is not None:
            line += f" ({type(handling).__name__}: {handling})"
        self.session.problems.add(SiteError("bygget", "", "Pelican rapporterade ett fel: {text}", text=line))


FAILED_FILE = "Could not process %s"  # Pelican's generators, when reading a file raised


def _failed_file(path: str, error: BaseException | None) -> SiteError:
    return SiteError(
        f"content/{path}",
        "",
        "internt fel när filen lästes ({kind}: {detail}); kör 'make html DEBUG=1' och skicka utskriften "
        "till den som sköter sajten",
        kind=type(error).__name__ if error else "okänt",
        detail=str(error) if error else "",
    )


@contextmanager
def quiet_console() -> Iterator[None]:
    """Pelican's progress lines silenced; an exception names the file Pelican was working on.

    Pelican prints "Done: Processed …" even when the build then fails, before our
    lines; a volunteer should see only ours. An exception from deep inside Pelican
    says nothing about the file, so the innermost content object in the traceback
    (the article or page being read or written) is given to it as `source_path`,
    which foreningssajt/cli/build.py shows.
    """
    from pelican.log import console

    was = console.quiet
    console.quiet = True
    try:
        yield
    except Exception as exc:
        where = file_in_traceback(exc)
        if where and not getattr(exc, "source_path", None):
            exc.source_path = where
        raise
    finally:
        console.quiet = was


def file_in_traceback(exc: BaseException) -> str | None:
    """content/<file> of the innermost Pelican content object among the failing frames' locals."""
    from pelican.contents import Content

    for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
        for value in frame.f_locals.values():
            if isinstance(value, Content) and getattr(value, "relative_source_path", None):
                return f"content/{value.relative_source_path}"
    return None


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
