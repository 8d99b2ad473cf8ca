"""Series: RRULEs checked and expanded with python-dateutil, in local wall-clock time.

Expanding in naive local time and only then attaching the zone keeps a monthly
18:30 meeting at 18:30 on both sides of a daylight-saving change, which is what
the writer meant and what a calendar client does with DTSTART;TZID=...
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from icalendar.prop import vRecur

from foreningssajt.siteconfig.errors import Invalid, did_you_mean

from .model import Event, Occurrence
from .rule_words import describe, suggest

RRULE_HINT = "skriv en RRULE, t.ex. FREQ=MONTHLY;BYDAY=1TH eller FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215"
_UNTIL = re.compile(r"UNTIL=([0-9TZ]+)")
_TOO_OFTEN = ("SECONDLY", "MINUTELY", "HOURLY")
_PART = re.compile(r"^([A-Z]+)=([A-Z0-9,+-]+)$")
KNOWN_PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "WKST",
)
# dateutil looks for a rule's next date up to the year 9999 however long that takes:
# an impossible rule (30 February, the 9th Monday, the second of one date a month)
# costs seconds to minutes per series. So the parts that make impossible rules easy
# are allowed only where they are needed (_check_possible), and BYYEARDAY and
# BYWEEKNO, which no association's series needs, not at all.
MONTH_PARTS_ONLY = ("BYMONTHDAY", "BYSETPOS")
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# More than one value in any of these gives several times on one day, whatever the
# other parts say (dateutil makes each day's times from them), and so would get round
# "at most daily". One value each is at most one time a day.
TIME_OF_DAY = ("BYHOUR", "BYMINUTE", "BYSECOND")
MAX_OCCURRENCES = 1000  # per series: a weekly series for nineteen years
MAX_PER_BUILD = 20_000  # every series of the site together, for the pages and feeds


def parse_until(value: str, zone: ZoneInfo) -> dt.datetime | dt.date:
    """An RRULE UNTIL value as a local naive datetime, or a date."""
    try:
        if re.fullmatch(r"\d{8}", value):
            return dt.datetime.strptime(value, "%Y%m%d").date()
        if re.fullmatch(r"\d{8}T\d{6}Z", value):
            utc = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
            return utc.astimezone(zone).replace(tzinfo=None)
        if re.fullmatch(r"\d{8}T\d{6}", value):
            return dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
    except (ValueError, OverflowError):
        pass
    raise Invalid("UNTIL={value} är inget datum som finns; skriv t.ex. UNTIL=20261215", value=value)


def normalise_rrule(text: str, start: dt.datetime, all_day: bool, zone: ZoneInfo) -> tuple[str, dict[str, Any]]:
    """Check an RRULE; return its local form (for dateutil) and its feed form (for icalendar).

    Raises Invalid with a Swedish message for the writer.
    """
    rule = re.sub(r"^\s*RRULE:", "", text.strip(), flags=re.IGNORECASE).upper().replace(" ", "")
    _check_parts(text, rule)
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
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        raise Invalid("”{rule}” går inte att läsa som regel; " + RRULE_HINT, rule=text.strip()) from None
    feed = _feed_rule(rule, until_local, all_day, zone)
    return rule, feed


def _check_parts(text: str, rule: str) -> None:
    """Every part KEY=VALUE, known, with FREQ, and at most one time a day."""
    parts = {}
    for part in filter(None, rule.split(";")):
        found = _PART.match(part)
        if found is None:
            raise _not_a_rule(text)
        if found.group(1) not in KNOWN_PARTS:
            raise Invalid(
                "{part} finns inte i en RRULE{hint}; " + RRULE_HINT,
                part=found.group(1),
                hint=did_you_mean(found.group(1), KNOWN_PARTS),
            )
        parts[found.group(1)] = found.group(2)
    if "FREQ" not in parts:
        raise Invalid("”{rule}” saknar FREQ; " + RRULE_HINT, rule=text.strip())
    if parts["FREQ"] in _TOO_OFTEN or any("," in parts.get(key, "") for key in TIME_OF_DAY):
        # Hundreds of dates a month would swamp the pages; no association meets hourly.
        raise Invalid(
            "upprepas oftare än en gång om dagen; en serie får ha högst ett tillfälle per dag. "
            "Skriv FREQ=DAILY, WEEKLY, MONTHLY eller YEARLY utan flera BYHOUR-, BYMINUTE- eller "
            "BYSECOND-värden, och gör flera tider samma dag till egna filer"
        )
    if not all(1 <= number <= 100 for number in _numbers(parts.get("INTERVAL", "1"))):
        raise Invalid(
            "INTERVAL={value} ska vara ett tal från 1 till 100, t.ex. INTERVAL=2 för varannan", value=parts["INTERVAL"]
        )
    _check_possible(parts)


def _check_possible(parts: dict[str, str]) -> None:
    """Refuse, quickly, the rules that could give no date at all (see MONTH_PARTS_ONLY)."""
    for part in MONTH_PARTS_ONLY:
        if part in parts and parts["FREQ"] not in ("MONTHLY", "YEARLY"):
            raise Invalid(
                "{part} hör till FREQ=MONTHLY eller FREQ=YEARLY, inte till FREQ={freq}; "
                "skriv t.ex. FREQ=MONTHLY;BYMONTHDAY=15",
                part=part,
                freq=parts["FREQ"],
            )
    days = _numbers(parts.get("BYMONTHDAY", "1"))
    months = _numbers(parts.get("BYMONTH", "1,3"))  # any 31-day month
    if any(not 1 <= month <= 12 for month in months) or any(not 1 <= abs(day) <= 31 for day in days):
        raise Invalid("BYMONTH ska vara månader 1–12 och BYMONTHDAY dagar 1–31 (eller -1 för sista dagen)")
    if not any(abs(day) <= DAYS_IN_MONTH[month - 1] for day in days for month in months):
        raise Invalid("ger inga datum alls: den dagen finns inte i de månaderna; rätta BYMONTHDAY eller BYMONTH")
    _check_weekdays(parts)


def _check_weekdays(parts: dict[str, str]) -> None:
    """BYDAY's 1MO or -1FR counts within a month (or a year); BYSETPOS picks among a month's weekdays."""
    by_day = [day for day in parts.get("BYDAY", "").split(",") if day]
    ordinals = [int(day[:-2]) for day in by_day if _is_number(day[:-2])]
    plain = len(by_day) - len(ordinals)
    if ordinals and (parts["FREQ"] not in ("MONTHLY", "YEARLY") or "BYMONTHDAY" in parts):
        raise Invalid(
            "BYDAY={value} med nummer (1TH, -1FR) hör till FREQ=MONTHLY utan BYMONTHDAY; "
            "skriv t.ex. FREQ=MONTHLY;BYDAY=-1FR",
            value=parts["BYDAY"],
        )
    if ordinals and plain:  # python-dateutil reads MO,1TH as "a Monday that is the first Thursday"
        raise Invalid(
            "BYDAY={value} blandar dagar med och utan nummer; skriv en fil per slags dag", value=parts["BYDAY"]
        )
    weeks = 5 if parts["FREQ"] == "MONTHLY" or "BYMONTH" in parts else 53
    if any(abs(n) > weeks or n == 0 for n in ordinals):
        raise Invalid(
            "ger inga datum alls: BYDAY={value} räknar längre än {weeks} veckor", value=parts["BYDAY"], weeks=weeks
        )
    if "BYSETPOS" not in parts:
        return
    if parts["FREQ"] != "MONTHLY" or not by_day or "BYMONTHDAY" in parts:
        raise Invalid(
            "BYSETPOS går bara med FREQ=MONTHLY och BYDAY; skriv t.ex. FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
        )
    # Each weekday comes at least four times a month; a numbered one (1TH) at most once.
    most = 4 * plain + sum(1 for n in ordinals if abs(n) <= 4)
    if any(not 1 <= abs(n) <= most for n in _numbers(parts["BYSETPOS"])):
        raise Invalid(
            "ger inga datum alls: BYSETPOS={value} är fler tillfällen än en månad har", value=parts["BYSETPOS"]
        )


def _is_number(text: str) -> bool:
    return text.isascii() and text.lstrip("+-").isdigit()


def _numbers(values: str) -> list[int]:
    try:
        return [int(value) for value in values.split(",")]
    except ValueError:
        raise Invalid("”{value}” ska vara tal, t.ex. 1,15", value=values) from None


def _not_a_rule(text: str) -> Invalid:
    """A rule in words gets the RRULE to write, when we can tell what was meant."""
    meant = suggest(text)
    if meant and "BYDAY" in meant:
        return Invalid(
            "”{rule}” är ingen regel som kalendern förstår; skriv den som RRULE: recurrence: {meant} ({words})",
            rule=text.strip(),
            meant=meant,
            words=describe(meant, dt.datetime(2000, 1, 1), all_day=True).lower(),
        )
    if meant:
        return Invalid(
            "”{rule}” är ingen regel som kalendern förstår; skriv den som RRULE: recurrence: {meant}",
            rule=text.strip(),
            meant=meant,
        )
    return Invalid("”{rule}” är ingen regel som kalendern förstår; " + RRULE_HINT, rule=text.strip())


def _feed_rule(rule: str, until: dt.datetime | None, all_day: bool, zone: ZoneInfo) -> dict[str, Any]:
    """RFC 5545 wants UNTIL in UTC when DTSTART has a TZID, and a DATE for all-day events."""
    without_until = ";".join(part for part in rule.split(";") if not part.startswith("UNTIL="))
    feed = vRecur.from_ical(without_until)
    if until is not None:
        feed["UNTIL"] = [until.date() if all_day else until.replace(tzinfo=zone).astimezone(dt.UTC)]
    return feed


SEARCH_YEARS = 20  # except and cancelled dates are looked for this far after the start


def series(event: Event) -> rrule:
    return rrulestr(event.rrule, dtstart=event.start)


def _upto(event: Event, last: dt.datetime) -> Iterator[dt.datetime]:
    """The series' dates up to `last`; _check_possible() made sure the search ends."""
    for moment in series(event):
        if moment > last:
            return
        yield moment


def series_problems(event: Event) -> list[tuple[str, Invalid]]:
    """The start must be the series' first date; except and cancelled dates must be dates of the series.

    Clients disagree on a DTSTART that the rule itself would not produce (RFC 5545
    leaves it undefined), so we refuse it instead of guessing.
    """
    first = next(iter(series(event)), None)
    if first is None:
        return [("recurrence", Invalid("ger inga datum alls; kontrollera COUNT och UNTIL"))]
    problems = []
    if first != event.start:
        problems.append(
            (
                "start",
                Invalid(
                    "{start} är inget datum i serien (dess första är {first}); låt start vara seriens första datum",
                    start=_shown(event.start),
                    first=_shown(first),
                ),
            )
        )
    problems += _not_in_series(event, "except", event.exdates)
    problems += _not_in_series(event, "cancelled", event.cancelled_dates)
    problems += [
        (
            "cancelled",
            Invalid("{date} står också under except; ett datum är antingen borttaget eller inställt", date=_shown(day)),
        )
        for day in sorted(set(event.exdates) & set(event.cancelled_dates))
    ]
    return problems


def _not_in_series(event: Event, key: str, days: list[dt.datetime]) -> list[tuple[str, Invalid]]:
    last = event.start + dt.timedelta(days=366 * SEARCH_YEARS)
    wanted = [day for day in days if day <= last]
    known = set(_upto(event, max(wanted))) if wanted else set()
    return [
        (key, Invalid("{date} är inget av seriens datum; ta bort det eller rätta datumet", date=_shown(day)))
        for day in days
        if day not in known
    ]


def _shown(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00")


def expand(event: Event, zone: ZoneInfo, until: dt.datetime) -> list[Occurrence]:
    """The event's occurrences from its start up to `until` (naive local), with aware times.

    `until` only limits series: a single event, or the first date of a series that starts
    later than that, is always there, so that its page and the lists can show it.
    Invalid when a series has more than MAX_OCCURRENCES dates by then.
    """
    if event.rrule is None:
        return [_occurrence(event, event.start, zone)]
    excluded, cancelled = set(event.exdates), set(event.cancelled_dates)
    starts = list(itertools.islice(_upto(event, until), MAX_OCCURRENCES + 1))
    if len(starts) > MAX_OCCURRENCES:
        raise Invalid(
            "ger fler än {most} tillfällen fram till {until}; sätt ett slut med UNTIL eller COUNT, "
            "eller dela upp serien i flera filer",
            most=MAX_OCCURRENCES,
            until=_shown(until),
        )
    if not starts and event.start > until:
        starts = [event.start]  # series_problems() made sure the start is the first date
    return [_occurrence(event, start, zone, start in cancelled) for start in starts if start not in excluded]


def _occurrence(event: Event, start: dt.datetime, zone: ZoneInfo, cancelled: bool = False) -> Occurrence:
    # Length is added in wall-clock time: 18:30 + 2h is 20:30 on any day of the year.
    end = start + event.length if event.length is not None else None
    return Occurrence(event, _aware(start, zone), _aware(end, zone) if end else None, date_cancelled=cancelled)


def _aware(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return value.replace(tzinfo=zone)
