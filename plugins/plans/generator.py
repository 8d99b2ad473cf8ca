"""Activity plans: one page per year and a list of all years."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from content_rules.reading import place, read_folder, unique_urls
from siteconfig.errors import report

PLANS_URL = "verksamhetsplan/"


class PlansGenerator(Generator):
    """Reads content/plans/ and writes /verksamhetsplan/ and /verksamhetsplan/<year>/."""

    def generate_context(self) -> None:
        plans = read_folder(self, "plans")
        for plan in plans:
            place(plan, f"{PLANS_URL}{plan.year}/")
        unique_urls(plans, report)
        plans.sort(key=lambda plan: plan.year, reverse=True)
        self.plans = plans
        self.context["plans"] = plans
        self.context["PLANS_URL"] = PLANS_URL

    def generate_output(self, writer: Any) -> None:
        for plan in self.plans:
            writer.write_file(plan.save_as, self.get_template("plan"), self.context, plan=plan, page_url=plan.url)
        writer.write_file(PLANS_URL + "index.html", self.get_template("plans"), self.context, page_url=PLANS_URL)
