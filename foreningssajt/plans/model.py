"""An activity plan as the templates see it: the Pelican page plus its year and goals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pelican.contents import Page

from foreningssajt.content_rules.goal_lists import Goals


@dataclass(eq=False)
class Plan:
    """One year's activity plan; goals were counted from its Markdown by the reader."""

    page: Page
    url: str
    year: int
    goals: Goals
    goal_progress_html: str  # the year's progress: "7 av 12 mål genomförda" and a bar

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def content(self) -> str:
        return self.page.content

    @property
    def metadata(self) -> dict[str, Any]:
        return self.page.metadata

    @property
    def toc_tokens(self) -> list[dict[str, Any]]:
        return self.page.toc_tokens

    @property
    def save_as(self) -> str:
        return self.page.save_as

    @property
    def source_path(self) -> str:
        return self.page.source_path

    @property
    def source_relpath(self) -> str:
        return self.page.source_relpath
