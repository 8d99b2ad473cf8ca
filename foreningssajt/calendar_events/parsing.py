"""From a Markdown file's checked header to an Event, with the checks only a calendar knows.

The strict reader (foreningssajt/content_rules) has already checked each key's type and that
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

from foreningssajt.siteconfig.errors import Invalid, SiteError, did_you_mean
from foreningssajt.siteconfig.session import session_of

from .clean_text import one_line
from .model import CANCELLED, Event
from .recurrence import normalise_rrule, series_problems
from .rule_words import describe

_UNITS = {"d": "d", "dag": "d", "dagar": "d", "h": "h", "tim": "h", "timme": "h", "timmar": "h"}
_UNITS |= {"min": "min", "minut": "min", "minuter": "min"}
_DURATION_PART = re.compile(r"(\d+)\s*([a-zåäö]+)")
DURATION_HINT = "skriv t.ex. 2h, 90min, 1h30min eller 2 timmar (hela dagar för heldagar: 2d)"
# "folkets-hus" looks like an id; "Folkets hus" or "Digitalt" is a place in words.
_LOOKS_LIKE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")
# Statuses the reader accepts, as the calendar reads them. draft and hidden are Pelican's.
STATUSES = {"published": "confirmed", "confirmed": "confirmed", "tentative": "tentative", CANCELLED: CANCELLED}
# A start this many years from the build's clock is a typo (and year 1 or 9999 breaks date arithmetic).
YEARS_BACK, YEARS_AHEAD = 50, 10
ONLY_SERIES = (
    "bara en serie har datum här; lägg till recurrence: (en RRULE), eller ta bort {field} "
    "(en enstaka aktivitet ställs in med status: cancelled)"
)


class EventErrors(Exception):
    """All mistakes found in one file, so the writer sees them together."""

    def __init__(self, errors: list[SiteError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def parse_duration(text: str) -> dt.timedelta:
    """2h, 90min, 1h30min, "2 timmar", "1 timme 30 minuter", 2d; Invalid otherwise."""
    cleaned = text.strip().lower()
    parts = _DURATION_PART.findall(cleaned)
    if not parts or _DURATION_PART.sub("", cleaned).strip() or any(unit not in _UNITS for _, unit in parts):
        raise Invalid("”{value}” är ingen tidslängd; " + DURATION_HINT, value=text)
    amounts = {"d": 0, "h": 0, "min": 0}
    for number, unit in parts:
        amounts[_UNITS[unit]] += int(number[:6])
    length = dt.timedelta(days=amounts["d"], hours=amounts["h"], minutes=amounts["min"])
    if not length:
        raise Invalid("”{value}” är ingen tid alls; " + DURATION_HINT, value=text)
    return length


def local_naive(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.date | dt.datetime:
    """A value as local wall-clock time: an offset the writer typed is honoured, then dropped."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def find_venue(location: str, venues: dict[str, dict]) -> tuple[dict | None, str | None]:
    """(venue, None) for a venue id or name in any case, (None, text) for a place in words.

    Invalid for something that looks like a venue id but is none.
    """
    wanted = location.casefold()
    for venue_id, venue in venues.items():
        if wanted in (venue_id.casefold(), str(venue.get("name", "")).casefold()):
            return venue, None
    close = difflib.get_close_matches(location, list(venues), n=1, cutoff=0.8)
    if _LOOKS_LIKE_ID.match(location) or (close and " " not in location):
        raise Invalid(
            "”{value}” ser ut som ett lokal-id men finns inte bland venues i site.yml{hint}; "
            "skriv något av: {ids}, eller platsen i ord (t.ex. Biblioteket, Storgatan 5)",
            value=location,
            hint=did_you_mean(location, venues),
            ids=list(venues) or "(inga i site.yml ännu)",
        )
    return None, location


class EventParser:
    """Turns read Pelican items into Events for one build."""

    def __init__(self, settings: dict[str, Any], zone: ZoneInfo) -> None:
        self.venues: dict[str, dict] = settings.get("VENUES", {})
        self.categories: dict[str, dict] = settings.get("EVENT_CATEGORIES", {})
        self.zone = zone
        now = session_of(settings).now
        self.years = (now.year - YEARS_BACK, now.year + YEARS_AHEAD)

    def parse(self, item: Any, source: str, key: str) -> Event | None:
        """The item's Event; None for drafts. Raises EventErrors listing every mistake."""
        meta = item.metadata
        status = str(meta.get("status", "published"))
        if status == "draft":
            return None
        errors: list[SiteError] = []

        def fail(field: str, problem: Invalid) -> None:
            errors.append(problem.at(source, field))

        all_day = bool(meta.get("all_day", False))
        start = self._moment(meta["start"], "start", all_day, fail)
        length = self._length(meta, start, all_day, fail)
        venue, place = self._location(meta.get("location"), fail)
        signup = meta.get("signup")
        if signup and not str(signup).startswith(("https://", "http://")):
            example = "https://app.zetkin.org/o/1/events/2"
            fail(
                "signup",
                Invalid(
                    "”{value}” är ingen webbadress; skriv den hela, t.ex. {example}", value=signup, example=example
                ),
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
        if not self.years[0] <= value.year <= self.years[1]:
            low, high = self.years
            fail(
                field,
                Invalid("{value} ligger utanför åren {low}–{high}; rätta årtalet", value=shown, low=low, high=high),
            )
            return None
        if all_day and isinstance(value, dt.datetime):
            fail(
                field,
                Invalid(
                    "{value} har en tid, men all_day är true; skriv bara datumet, t.ex. {day}",
                    value=shown,
                    day=value.date(),
                ),
            )
            return None
        if not all_day and not isinstance(value, dt.datetime):
            hint = "skriv t.ex. {value} 18.30, eller lägg till all_day: true för en hel dag"
            fail(field, Invalid("{value} saknar klockslag; " + hint, value=shown))
            return None
        return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())

    def _length(self, meta: dict, start: dt.datetime | None, all_day: bool, fail: Any) -> dt.timedelta | None:
        if meta.get("end") is not None and meta.get("duration") is not None:
            fail("duration", Invalid("står tillsammans med end; skriv antingen end eller duration, inte båda"))
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
            message = "{end} är inte efter start {start}; skriv ett senare slut, eller duration: 2h"
            fail("end", Invalid(message, end=meta["end"], start=meta["start"]))
            return None
        return end - start

    def _duration(self, text: str, all_day: bool, fail: Any) -> dt.timedelta | None:
        try:
            length = parse_duration(text)
        except Invalid as problem:
            fail("duration", problem)
            return None
        if all_day and length % dt.timedelta(days=1):
            fail(
                "duration",
                Invalid("”{value}” är inte hela dagar, men all_day är true; skriv t.ex. 1d eller 3d", value=text),
            )
            return None
        return length

    def _location(self, location: Any, fail: Any) -> tuple[dict | None, str | None]:
        if not location:
            return None, None
        try:
            return find_venue(one_line(str(location)), self.venues)
        except Invalid as problem:
            fail("location", problem)
            return None, None

    def _series(self, event: Event, meta: dict, fail: Any) -> None:
        exdates, cancelled = meta.get("except") or [], meta.get("cancelled") or []
        if not meta.get("recurrence"):
            for field, given in (("except", exdates), ("cancelled", cancelled)):
                if given:
                    fail(field, Invalid(ONLY_SERIES, field=field))
            return
        try:
            rule = str(meta["recurrence"])
            event.rrule, event.feed_rrule = normalise_rrule(rule, event.start, event.all_day, self.zone)
        except Invalid as problem:
            fail("recurrence", problem)
            return
        event.exdates = [self._series_date(value, event) for value in exdates]
        event.cancelled_dates = [self._series_date(value, event) for value in cancelled]
        event.rule_text = describe(event.rrule, event.start, event.all_day, _until(event.rrule))
        for field, problem in series_problems(event):
            fail(field, problem)

    def _series_date(self, value: dt.date | dt.datetime, event: Event) -> dt.datetime:
        """An except or cancelled date means the occurrence on that day, at the series' time."""
        value = local_naive(value, self.zone)
        if isinstance(value, dt.datetime):
            return value
        return dt.datetime.combine(value, event.start.time())


def _until(rule: str) -> dt.datetime | None:
    """The local UNTIL that normalise_rrule() wrote into the rule, for the page's words."""
    found = re.search(r"UNTIL=(\d{8}T\d{6})", rule)
    return dt.datetime.strptime(found.group(1), "%Y%m%dT%H%M%S") if found else None
