"""From a Markdown file's checked header to an Event, with the checks only a calendar knows.

The strict reader (plugins/content_rules) has already checked each key's type and that
the category exists. Here come the checks that need several keys at once or site.yml:
an end before its start, a date without a time, an RRULE that does not parse, a
location that looks like a venue id but is none. Each mistake is one SiteError line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any
from zoneinfo import ZoneInfo

from siteconfig.errors import SiteError

from .model import CANCELLED, Event
from .recurrence import normalise_rrule, series_problems

_DURATION = re.compile(r"^(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<min>\d+)\s*min)?$")
DURATION_HINT = "write e.g. 2h, 90min or 1h30min (whole days for all-day events: 2d)"
# "folkets-hus" looks like an id; "Folkets hus" or "Digitalt" is a place in words.
_LOOKS_LIKE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
# Statuses the reader accepts, as the calendar reads them. draft and hidden are Pelican's.
STATUSES = {"published": "confirmed", "confirmed": "confirmed", "tentative": "tentative", CANCELLED: CANCELLED}


class EventErrors(Exception):
    """All mistakes found in one file, so the writer sees them together."""

    def __init__(self, errors: list[SiteError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def parse_duration(text: str) -> dt.timedelta:
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or not match or not any(match.groupdict().values()):
        raise ValueError(f"{text!r} is not a duration; {DURATION_HINT}")
    days, hours, minutes = (int(match.group(unit) or 0) for unit in ("d", "h", "min"))
    length = dt.timedelta(days=days, hours=hours, minutes=minutes)
    if not length:
        raise ValueError(f"{text!r} is no time at all; {DURATION_HINT}")
    return length


def local_naive(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.date | dt.datetime:
    """A value as local wall-clock time: an offset the writer typed is honoured, then dropped."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def find_venue(location: str, venues: dict[str, dict]) -> tuple[dict | None, str | None]:
    """(venue, None) for a venue id, (None, text) for a place in words; ValueError for a wrong id."""
    if location in venues:
        return venues[location], None
    close = difflib.get_close_matches(location, list(venues), n=1, cutoff=0.8)
    if _LOOKS_LIKE_ID.match(location) or (close and " " not in location):
        ids = ", ".join(venues) or "(none in site.yml yet)"
        guess = f"did you mean {close[0]}? " if close else ""
        raise ValueError(
            f"{location!r} looks like a venue id but is not in site.yml's venues; {guess}"
            f"write one of: {ids}, or the place in words (e.g. Biblioteket, Storgatan 5)"
        )
    return None, location


class EventParser:
    """Turns read Pelican items into Events for one build."""

    def __init__(self, settings: dict[str, Any], zone: ZoneInfo) -> None:
        self.venues: dict[str, dict] = settings.get("VENUES", {})
        self.categories: dict[str, dict] = settings.get("EVENT_CATEGORIES", {})
        self.zone = zone

    def parse(self, item: Any, source: str, key: str) -> Event | None:
        """The item's Event; None for drafts. Raises EventErrors listing every mistake."""
        meta = item.metadata
        status = str(meta.get("status", "published"))
        if status == "draft":
            return None
        errors: list[SiteError] = []

        def fail(field: str, message: str) -> None:
            errors.append(SiteError(source, field, message))

        all_day = bool(meta.get("all_day", False))
        start = self._moment(meta["start"], "start", all_day, fail)
        length = self._length(meta, start, all_day, fail)
        venue, place = self._location(meta.get("location"), fail)
        signup = meta.get("signup")
        if signup and not str(signup).startswith(("https://", "http://")):
            fail(
                "signup", f"{signup!r} is not a web address; write it in full, e.g. https://app.zetkin.org/o/1/events/2"
            )
        event = Event(
            source=source,
            key=key,
            title=item.title,
            start=start or dt.datetime(1970, 1, 1),
            all_day=all_day,
            length=length,
            status=STATUSES.get(status, "confirmed"),
            members_only=bool(meta.get("members_only", False)),
            venue=venue,
            place=place,
            category=self.categories.get(str(meta["category"])) if meta.get("category") else None,
            signup=str(signup) if signup else None,
            summary=str(meta.get("summary", "")),
            content=item.content,
            slug=item.slug,
            listed=status != "hidden",
        )
        if start is not None:  # a series is checked against its start; a wrong start is reported already
            self._series(event, meta, fail)
        if errors:
            raise EventErrors(errors)
        return event

    def _moment(self, value: Any, field: str, all_day: bool, fail: Any) -> dt.datetime | None:
        """start or end as a naive local datetime (midnight for all-day events)."""
        value = local_naive(value, self.zone)
        shown = value.isoformat(sep=" ", timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()
        if all_day and isinstance(value, dt.datetime):
            fail(field, f"{shown} has a time, but all_day is true; write only the date, e.g. {value.date()}")
            return None
        if not all_day and not isinstance(value, dt.datetime):
            fail(field, f"{shown} has no time; write e.g. {shown} 18:30, or add all_day: true for a whole day")
            return None
        return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())

    def _length(self, meta: dict, start: dt.datetime | None, all_day: bool, fail: Any) -> dt.timedelta | None:
        if meta.get("end") is not None and meta.get("duration") is not None:
            fail("duration", "given together with end; write either end or duration, not both")
            return None
        if meta.get("duration") is not None:
            return self._duration(str(meta["duration"]), all_day, fail)
        if meta.get("end") is None:
            return dt.timedelta(days=1) if all_day else None
        end = self._moment(meta["end"], "end", all_day, fail)
        if end is None or start is None:
            return None
        if all_day:
            end += dt.timedelta(days=1)  # the writer's end day is included
        if end <= start:
            fail("end", f"{meta['end']} is not after start {meta['start']}; write a later end, or use duration: 2h")
            return None
        return end - start

    def _duration(self, text: str, all_day: bool, fail: Any) -> dt.timedelta | None:
        try:
            length = parse_duration(text)
        except ValueError as exc:
            fail("duration", str(exc))
            return None
        if all_day and length % dt.timedelta(days=1):
            fail("duration", f"{text!r} is not whole days, but all_day is true; write e.g. 1d or 3d")
            return None
        return length

    def _location(self, location: Any, fail: Any) -> tuple[dict | None, str | None]:
        if not location:
            return None, None
        try:
            return find_venue(str(location).strip(), self.venues)
        except ValueError as exc:
            fail("location", str(exc))
            return None, None

    def _series(self, event: Event, meta: dict, fail: Any) -> None:
        exdates = meta.get("except") or []
        if not meta.get("recurrence"):
            if exdates:
                fail("except", "only a series has except dates; add recurrence: (an RRULE) or remove except")
            return
        try:
            rule = str(meta["recurrence"])
            event.rrule, event.feed_rrule = normalise_rrule(rule, event.start, event.all_day, self.zone)
        except ValueError as exc:
            fail("recurrence", str(exc))
            return
        event.exdates = [self._exdate(value, event) for value in exdates]
        for field, message in series_problems(event):
            fail(field, message)

    def _exdate(self, value: dt.date | dt.datetime, event: Event) -> dt.datetime:
        """An except date means the occurrence on that day, at the series' time."""
        value = local_naive(value, self.zone)
        if isinstance(value, dt.datetime):
            return value
        return dt.datetime.combine(value, event.start.time())
