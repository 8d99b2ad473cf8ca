"""Pelican's run for an incremental build: every reader, but only the selected pages written.

foreningssajt/cli/incremental.py decides; this module carries the decision out inside Pelican's
run, once all generators have read their content (all_generators_finalized): when
the plan selects pages, only Pelican's article and page generators write, and their
writer skips every other file (foreningssajt/cli/build.py's reuse step links those from the
last build). It also times the generators and the file writing (foreningssajt/cli/phases.py).
"""

from __future__ import annotations

from typing import Any

from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from foreningssajt.cli.incremental import Plan, calendar_window, choose_selection
from foreningssajt.cli.phases import time_writes, timed_generators
from foreningssajt.siteconfig.session import session_of


def run_pelican(settings: dict[str, Any], plan: Plan | None) -> None:
    """Pelican's run; with a plan, writes only the selected pages when the plan allows it."""

    def decide(generators: list[Any]) -> None:
        assert plan is not None
        plan.valid_until = calendar_window(generators, plan.now, settings["TIMEZONE"])
        plan.selected = choose_selection(plan, generators)
        if plan.selected is not None:
            plan.mode = "selective"
            _write_only_documents(generators)

    if plan is not None:
        signals.all_generators_finalized.connect(decide)
    try:
        with timed_generators(session_of(settings).stats):
            SelectivePelican(settings, plan).run()
    finally:
        signals.all_generators_finalized.disconnect(decide)


def _write_only_documents(generators: list[Any]) -> None:
    for generator in generators:
        if type(generator) not in (ArticlesGenerator, PagesGenerator):
            generator.generate_output = lambda _writer: None  # its files are linked from the last build


class SelectivePelican(Pelican):
    """Pelican whose writer skips every file but the selected ones, once the plan selected some."""

    def __init__(self, settings: dict[str, Any], plan: Plan | None) -> None:
        super().__init__(settings)
        self.plan = plan

    def _get_writer(self) -> Any:
        writer = super()._get_writer()
        time_writes(writer, session_of(self.settings).stats)
        selected = self.plan.selected if self.plan is not None else None
        if selected is None:
            return writer
        write_file = writer.write_file

        def write_selected(*args: Any, **kwargs: Any) -> Any:
            name = args[0] if args else kwargs.get("name")
            return write_file(*args, **kwargs) if name in selected else None

        writer.write_file = write_selected
        writer.write_feed = lambda *_args, **_kwargs: None
        return writer
