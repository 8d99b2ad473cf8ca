"""Activity plans: one page per year and a list of all years."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from content_rules.reading import place, read_folder, unique_urls
from siteconfig.errors import relative
from siteconfig.session import session_of
from theme_i18n.catalogues import translations_for

from .goals import Labels, mark_goals, progress_html, shallow_goal_lines

PLANS_URL = "verksamhetsplan/"
log = logging.getLogger(__name__)


class PlansGenerator(Generator):
    """Reads content/plans/ and writes /verksamhetsplan/ and /verksamhetsplan/<year>/."""

    def generate_context(self) -> None:
        plans = read_folder(self, "plans")
        labels = goal_labels(self.settings)
        for plan in plans:
            place(plan, f"{PLANS_URL}{plan.year}/")
            add_goals(plan, labels)
            warn_shallow_goals(plan, self.settings)
        unique_urls(plans, session_of(self.settings).problems.add)
        plans.sort(key=lambda plan: plan.year, reverse=True)
        self.plans = plans
        self.context["plans"] = plans
        self.context["PLANS_URL"] = PLANS_URL

    def generate_output(self, writer: Any) -> None:
        for plan in self.plans:
            writer.write_file(plan.save_as, self.get_template("plan"), self.context, plan=plan, page_url=plan.url)
        writer.write_file(PLANS_URL + "index.html", self.get_template("plans"), self.context, page_url=PLANS_URL)


def add_goals(plan: Any, labels: Labels) -> None:
    """Rewrite the plan's task list items as goals and attach the counts for the templates.

    Done before anything reads plan.content: Pelican memoises the rendered content.
    """
    goals = mark_goals(plan._content, labels)
    plan._content = goals.html
    plan.goals = goals
    plan.goal_progress_html = progress_html(goals.year, labels)


def warn_shallow_goals(plan: Any, settings: dict[str, Any]) -> None:
    """Sub-goals indented by two spaces (as on GitHub) would show as top-level goals: say so."""
    source = Path(plan.source_path).read_text(encoding="utf-8")
    shown = relative(plan.source_path, Path(settings["PATH"]).parent)
    for line in shallow_goal_lines(source):
        log.warning(
            "%s: line %d: this goal is indented too little to be a sub-goal; put 4 spaces before the '-'", shown, line
        )


def goal_labels(settings: dict[str, Any]) -> Labels:
    """The goal words in the site's language, from the theme's catalogues like the templates."""
    catalogue = translations_for(settings["DEFAULT_LANG"], str(Path(settings["THEME"]) / "translations"))
    count = catalogue.gettext("%(done)s av %(total)s mål genomförda")
    return Labels(
        done=catalogue.gettext("Genomfört:"),
        open=catalogue.gettext("Ej genomfört:"),
        other=catalogue.gettext("Övrigt"),
        count=lambda done, total: count % {"done": done, "total": total},
    )
