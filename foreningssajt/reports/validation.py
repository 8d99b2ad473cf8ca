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

from foreningssajt.siteconfig.errors import SiteError

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
            "{date} är före sammanträdet ({meeting}) som efter-rapporten handlar om; skriv dagen den skrevs "
            "(samma dag som sammanträdet eller senare), eller 'phase: before' om den skrevs före sammanträdet",
            date=written_on(report).isoformat(),
            meeting=report.meeting.isoformat(),
        )
    return None


def duplicate(report: Report, first: Report) -> SiteError:
    return SiteError(
        report.shown_path,
        "phase",
        "{first} är redan {phase}-rapporten för sammanträdet i {committee} den {meeting}; kontrollera 'meeting' "
        "och 'phase', eller slå ihop de två filerna",
        first=first.shown_path,
        phase="efter" if report.phase == AFTER else "före",
        committee=report.committee,
        meeting=report.meeting.isoformat(),
    )


def reserved_committee_ids(committees: dict[str, Any]) -> list[SiteError]:
    return [
        SiteError(
            "site.yml",
            "committees",
            "id ”{id}” används redan i rapportsidornas adresser; välj ett annat id",
            id=cid,
        )
        for cid in committees
        if cid in RESERVED_IDS
    ]
