"""Activity plans: one page per year and a list of all years."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from foreningssajt.content_rules.goal_lists import Labels, goal_labels, progress_html, shallow_goal_lines
from foreningssajt.content_rules.reading import place, read_folder, unique_urls
from foreningssajt.siteconfig.errors import relative
from foreningssajt.siteconfig.session import session_of

from .model import Plan

PLANS_URL = "verksamhetsplan/"
log = logging.getLogger(__name__)


class PlansGenerator(Generator):
    """Reads content/plans/ and writes /verksamhetsplan/ and /verksamhetsplan/<year>/."""

    def generate_context(self) -> None:
        labels = goal_labels(self.settings["DEFAULT_LANG"], self.settings["THEME"])
        plans = [self._plan(page, labels) for page in read_folder(self, "plans")]
        unique_urls(plans, session_of(self.settings).problems.add)
        plans.sort(key=lambda plan: plan.year, reverse=True)
        self.plans = plans
        self.context["plans"] = plans
        self.context["PLANS_URL"] = PLANS_URL

    def _plan(self, page: Any, labels: Labels) -> Plan:
        place(page, f"{PLANS_URL}{page.year}/")
        warn_shallow_goals(page, self.settings)
        return Plan(page, page.year, page.goals, progress_html(page.goals.year, labels))

    def generate_output(self, writer: Any) -> None:
        for plan in self.plans:
            writer.write_file(plan.save_as, self.get_template("plan"), self.context, plan=plan, page_url=plan.url)
        writer.write_file(PLANS_URL + "index.html", self.get_template("plans"), self.context, page_url=PLANS_URL)


def warn_shallow_goals(plan: Any, settings: dict[str, Any]) -> None:
    """Sub-goals indented by two spaces (as on GitHub) would show as top-level goals: say so."""
    source = Path(plan.source_path).read_text(encoding="utf-8")
    shown = relative(plan.source_path, Path(settings["PATH"]).parent)
    for line in shallow_goal_lines(source):
        log.warning("%s:%d: målet är indraget för lite för att bli ett delmål; sätt 4 mellanslag före '-'", shown, line)
