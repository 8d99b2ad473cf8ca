"""The coming events, as the email lists them.

The calendar plugin (plugins/calendar_events) owns events and recurrence; this module
only asks it. Until the calendar offers `upcoming_occurrences`, the email simply has
no events section (the hook below returns nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .urls import absolute

LOOK_AHEAD = dt.timedelta(days=45)
MAX_EVENTS = 6


@dataclass
class UpcomingEvent:
    title: str
    start: dt.datetime  # aware, in the site's timezone
    all_day: bool
    url: str  # absolute
    location: str


def upcoming_events(settings: dict[str, Any], since: dt.datetime) -> list[UpcomingEvent]:
    """Public, not cancelled occurrences from `since` on (the newsletter's date, so the email is reproducible)."""
    try:
        from calendar_events import upcoming_occurrences
    except ImportError:
        return []  # the hook: no calendar function yet, so no events section
    occurrences = upcoming_occurrences(settings, since, since + LOOK_AHEAD)
    site_url = settings["SITE"]["url"]
    shown = [o for o in occurrences if not o.cancelled and not o.event.members_only]
    return [
        UpcomingEvent(o.title, o.start, o.all_day, absolute(site_url, o.url), o.location) for o in shown[:MAX_EVENTS]
    ]
