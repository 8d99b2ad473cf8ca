"""Mistakes that only show when reports are seen together or against their meeting.

The reader already checks each header alone (required keys, phase, author and
committee ids). Decided here:
- an after report dated before its meeting is an error (it cannot report on it yet);
- a before report dated after its meeting is allowed: representatives sometimes
  publish their preparations late, and the text still says what they went in with.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from siteconfig.errors import SiteError

from .grouping import AFTER, Report

RESERVED_IDS = {"person"}  # /rapporter/person/ holds the representatives' pages


def written_on(report: Report) -> dt.date:
    date = report.date
    return date.date() if isinstance(date, dt.datetime) else date


def after_report_too_early(report: Report) -> SiteError | None:
    if report.phase == AFTER and written_on(report) < report.meeting:
        return SiteError(
            report.shown_path,
            "date",
            f"{written_on(report).isoformat()} is before the meeting ({report.meeting.isoformat()}) that this "
            "after report is about; write the date it was written (on or after the meeting), "
            "or 'phase: before' if it was written before the meeting",
        )
    return None


def duplicate(report: Report, first: Report) -> SiteError:
    phase = "after" if report.phase == AFTER else "before"
    return SiteError(
        report.shown_path,
        "phase",
        f"{first.shown_path} is already the {phase} report for {report.committee}'s meeting on "
        f"{report.meeting.isoformat()}; check 'meeting' and 'phase', or merge the two files",
    )


def reserved_committee_ids(committees: dict[str, Any]) -> list[SiteError]:
    return [
        SiteError("site.yml", "committees", f"id {cid!r} is used by the reports pages' addresses; choose another id")
        for cid in committees
        if cid in RESERVED_IDS
    ]
