"""The coming events, as the email lists them.

The calendar plugin (foreningssajt/calendar_events) owns events and recurrence. Its
generator publishes `upcoming_events` (public occurrences) in the context for other
plugins; we run just its generate_context with the clock set to the newsletter's date,
so an email made twice from one newsletter lists the same events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from foreningssajt.siteconfig.session import SETTING, session_of

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
    recurring: bool  # one line per series, at its next date: "Pubkväll" four times says less


def upcoming_events(settings: dict[str, Any], since: dt.datetime) -> list[UpcomingEvent]:
    """Public, not cancelled occurrences in the weeks after `since` (the newsletter's date)."""
    occurrences = calendar_occurrences(settings, since)
    until = since + LOOK_AHEAD
    first: dict[str, Any] = {}
    for occurrence in occurrences:
        if not occurrence.cancelled and occurrence.start < until:
            first.setdefault(occurrence.url, occurrence)
    site_url = settings["SITE"]["url"]
    return [
        UpcomingEvent(o.title, o.start, o.all_day, absolute(site_url, o.url), o.location, o.event.is_series)
        for o in list(first.values())[:MAX_EVENTS]
    ]


def calendar_occurrences(settings: dict[str, Any], now: dt.datetime) -> list[Any]:
    """The calendar's public upcoming occurrences as of `now` (none for a site without events)."""
    from foreningssajt.calendar_events.generator import CalendarGenerator

    context: dict[str, Any] = {}
    generator = CalendarGenerator(
        context=context,
        settings={**settings, SETTING: replace(session_of(settings), now=now)},
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=settings["OUTPUT_PATH"],  # generate_context writes nothing
    )
    generator.generate_context()
    return list(context.get("upcoming_events", []))
