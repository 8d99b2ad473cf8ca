"""An activity plan as the templates see it: the Pelican page plus its year and goals."""

from __future__ import annotations

from dataclasses import dataclass

from foreningssajt.content_rules.goal_lists import Goals
from foreningssajt.content_rules.page_view import PageView


@dataclass(eq=False)
class Plan(PageView):
    """One year's activity plan; goals were counted from its Markdown by the reader."""

    year: int
    goals: Goals
    goal_progress_html: str  # the year's progress: "7 av 12 mål genomförda" and a bar
