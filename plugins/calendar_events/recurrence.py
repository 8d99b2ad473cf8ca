"""Series: RRULEs checked and expanded with python-dateutil, in local wall-clock time.

Expanding in naive local time and only then attaching the zone keeps a monthly
18:30 meeting at 18:30 on both sides of a daylight-saving change, which is what
the writer meant and what a calendar client does with DTSTART;TZID=...
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from icalendar.prop import vRecur

from .model import Event, Occurrence

RRULE_HINT = "write an RRULE such as FREQ=MONTHLY;BYDAY=1TH or FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215"
_UNTIL = re.compile(r"UNTIL=([0-9TZ]+)")
_TOO_OFTEN = ("SECONDLY", "MINUTELY", "HOURLY")


def parse_until(value: str, zone: ZoneInfo) -> dt.datetime | dt.date:
    """An RRULE UNTIL value as a local naive datetime, or a date."""
    if re.fullmatch(r"\d{8}", value):
        return dt.datetime.strptime(value, "%Y%m%d").date()
    if re.fullmatch(r"\d{8}T\d{6}Z", value):
        utc = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        return utc.astimezone(zone).replace(tzinfo=None)
    if re.fullmatch(r"\d{8}T\d{6}", value):
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
    raise ValueError(f"UNTIL={value} is not a date; write UNTIL=20261215")


def normalise_rrule(text: str, start: dt.datetime, all_day: bool, zone: ZoneInfo) -> tuple[str, dict[str, Any]]:
    """Check an RRULE; return its local form (for dateutil) and its feed form (for icalendar).

    Raises ValueError with a message for the writer.
    """
    rule = re.sub(r"^\s*RRULE:", "", text.strip(), flags=re.IGNORECASE).upper().replace(" ", "")
    if "DTSTART" in rule or "\n" in rule:
        raise ValueError("holds more than a rule; the series starts at 'start:', " + RRULE_HINT)
    until_local: dt.datetime | None = None
    match = _UNTIL.search(rule)
    if match:
        until = parse_until(match.group(1), zone)
        if isinstance(until, dt.date) and not isinstance(until, dt.datetime):
            # A date means "up to and including that day", whatever the start time.
            until = dt.datetime.combine(until, dt.time() if all_day else dt.time(23, 59, 59))
        until_local = until
        rule = rule.replace(match.group(0), "UNTIL=" + until.strftime("%Y%m%dT%H%M%S"))
    try:
        rrulestr(rule, dtstart=start)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ValueError(f"{text.strip()!r} does not parse ({exc}); {RRULE_HINT}") from None
    frequency = re.search(r"FREQ=([A-Z]+)", rule)
    if frequency is None:
        raise ValueError(f"{text.strip()!r} has no FREQ; {RRULE_HINT}")
    if frequency.group(1) in _TOO_OFTEN:
        # Hundreds of dates a month would swamp the pages; no association meets hourly.
        raise ValueError("repeats more often than daily; write FREQ=DAILY, WEEKLY, MONTHLY or YEARLY")
    feed = _feed_rule(rule, until_local, all_day, zone)
    return rule, feed


def _feed_rule(rule: str, until: dt.datetime | None, all_day: bool, zone: ZoneInfo) -> dict[str, Any]:
    """RFC 5545 wants UNTIL in UTC when DTSTART has a TZID, and a DATE for all-day events."""
    without_until = ";".join(part for part in rule.split(";") if not part.startswith("UNTIL="))
    feed = vRecur.from_ical(without_until)
    if until is not None:
        feed["UNTIL"] = [until.date() if all_day else until.replace(tzinfo=zone).astimezone(dt.UTC)]
    return feed


def series(event: Event) -> rrule:
    return rrulestr(event.rrule, dtstart=event.start)


def series_problems(event: Event) -> list[tuple[str, str]]:
    """The start must be the series' first date; except dates must be dates of the series.

    Clients disagree on a DTSTART that the rule itself would not produce (RFC 5545
    leaves it undefined), so we refuse it instead of guessing.
    """
    rule = series(event)
    first = next(iter(rule), None)
    if first is None:
        return [("recurrence", "gives no dates at all; check COUNT and UNTIL")]
    problems = []
    if first != event.start:
        problems.append(
            (
                "start",
                f"{_shown(event.start)} is not a date of the series (its first is {_shown(first)}); "
                "make start the first date of the series",
            )
        )
    for exdate in event.exdates:
        if rule.after(exdate, inc=True) != exdate:
            problems.append(("except", f"{_shown(exdate)} is not one of the series' dates; remove it or fix the date"))
    return problems


def _shown(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00")


def expand(event: Event, zone: ZoneInfo, until: dt.datetime) -> list[Occurrence]:
    """The event's occurrences from its start up to `until` (naive local), with aware times.

    `until` only limits series: a single event, or the first date of a series that starts
    later than that, is always there, so that its page and the lists can show it.
    """
    if event.rrule is None:
        return [_occurrence(event, event.start, zone)]
    excluded = set(event.exdates)
    starts = [start for start in series(event).between(event.start, until, inc=True) if start not in excluded]
    if not starts and event.start > until and event.start not in excluded:
        starts = [event.start]  # series_problems() made sure the start is the first date
    return [_occurrence(event, start, zone) for start in starts]


def _occurrence(event: Event, start: dt.datetime, zone: ZoneInfo) -> Occurrence:
    # Length is added in wall-clock time: 18:30 + 2h is 20:30 on any day of the year.
    end = start + event.length if event.length is not None else None
    return Occurrence(event, _aware(start, zone), _aware(end, zone) if end else None)


def _aware(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return value.replace(tzinfo=zone)
