"""Reports grouped the ways readers look for them: by meeting, committee and person.

The functions read only a report's committee, meeting, phase, author and date, so
tests can hand them simple stand-ins instead of model.Report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

# model.Report, or in tests anything with committee, meeting, phase, author and date.
Report = Any

BEFORE, AFTER = "before", "after"


@dataclass
class Meeting:
    """One committee meeting and the (at most) two reports about it."""

    committee: str
    date: dt.date
    before: Report | None = None
    after: Report | None = None

    @property
    def anchor(self) -> str:
        return f"mote-{self.date.isoformat()}"

    @property
    def reports(self) -> list[Report]:
        return [r for r in (self.before, self.after) if r is not None]


def pair_meetings(reports: list[Report]) -> tuple[list[Meeting], list[tuple[Report, Report]]]:
    """Meetings newest first, each with its before and after report.

    A second report for the same committee, meeting and phase is not paired; it is
    returned with the first one so that the writer can be told which two collide.
    """
    meetings: dict[tuple[str, dt.date], Meeting] = {}
    duplicates: list[tuple[Report, Report]] = []
    for report in sorted(reports, key=_source_order):
        key = (report.committee, report.meeting)
        meeting = meetings.setdefault(key, Meeting(*key))
        first = getattr(meeting, report.phase)
        if first is not None:
            duplicates.append((report, first))
            continue
        setattr(meeting, report.phase, report)
    ordered = sorted(meetings.values(), key=lambda m: (m.date, m.committee), reverse=True)
    return ordered, duplicates


def twin(meeting: Meeting, report: Report) -> Report | None:
    """The other report about the same meeting: before ↔ after."""
    return meeting.after if report is meeting.before else meeting.before


def by_committee(meetings: list[Meeting]) -> dict[str, list[Meeting]]:
    """Committee id → its meetings, in the order given (newest first)."""
    grouped: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        grouped[meeting.committee].append(meeting)
    return dict(grouped)


def by_person(reports: list[Report]) -> dict[str, list[Report]]:
    """Person id → the reports they wrote, newest first."""
    grouped: dict[str, list[Report]] = defaultdict(list)
    for report in newest_first(reports):
        grouped[str(report.author)].append(report)
    return dict(grouped)


def representatives(meetings: list[Meeting]) -> list[str]:
    """The people who have reported from a committee, in order of first appearance."""
    seen: dict[str, None] = {}
    for meeting in meetings:
        for report in meeting.reports:
            seen.setdefault(str(report.author), None)
    return list(seen)


def newest_first(reports: list[Report]) -> list[Report]:
    # Ties (same written date) fall back to the later meeting, then after before before.
    return sorted(reports, key=lambda r: (r.date, r.meeting, r.phase == AFTER), reverse=True)


def _source_order(report: Report) -> str:
    # Deterministic "first": the file whose name sorts first keeps its place.
    return str(getattr(report, "source_path", ""))
