"""A political report as the templates, feeds and groupings see it.

Pelican reads the file into a Page (content, summary, caching); everything the
reports add (committee, meeting, the representative, the twin report) lives here as
typed fields instead of attributes hung on Pelican's object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from foreningssajt.content_rules.page_view import PageView


@dataclass(eq=False)
class Report(PageView):
    """One report before or after a committee meeting."""

    shown_path: str  # the source file as a volunteer names it (content/reports/...)
    committee: str
    committee_name: str
    committee_url: str
    meeting: dt.date
    phase: str  # grouping.BEFORE or grouping.AFTER
    author: str  # the person's id in site.yml
    person: dict[str, Any]  # site.yml's entry for the author: id, name, ...
    person_url: str
    twin: Report | None = None  # the other report about the same meeting
    meeting_group: Any = None  # grouping.Meeting, set once meetings are paired
