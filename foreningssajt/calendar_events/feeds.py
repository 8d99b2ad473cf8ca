"""iCalendar files on the icalendar package: the subscribable feeds and one file per event.

A series is one VEVENT with RRULE and EXDATE, not one VEVENT per date, so that a
phone calendar shows it as a series and an edit reaches every date. Times carry
TZID with a VTIMEZONE made from zoneinfo, so they stay at local wall-clock time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import re
from collections.abc import Iterable
from typing import Any

import icalendar

from foreningssajt.siteconfig.session import session_of

from .clean_text import one_line, paragraphs
from .model import Event

STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}
CANCELLED_PREFIX = "INSTÄLLT: "
REFRESH = dt.timedelta(hours=6)
TIMEZONE_YEARS = 15
EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
CALENDAR_END = b"END:VCALENDAR\r\n"
FOLD_AT = 74  # octets of one physical line, as icalendar folds (RFC 5545 allows 75)
ESCAPES = b"\\^"  # TEXT and parameter escapes, which icalendar keeps on one physical line


def plain_text(markup: str) -> str:
    """HTML from Markdown as plain text for DESCRIPTION: paragraphs kept, tags dropped."""
    text = re.sub(r"</(p|li|h[1-6])>|<br\s*/?>", "\n", markup or "")
    text = re.sub(r"<li[^>]*>", "• ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def _when(value: dt.datetime, event: Event, zone: Any) -> dt.date | dt.datetime:
    return value.date() if event.all_day else value.replace(tzinfo=zone)


def one_line_place(event: Event) -> str:
    """Name and address, without saying "Stortorget" twice when the address starts with it."""
    if event.address and event.address.startswith(event.location):
        return event.address
    return ", ".join(part for part in (event.location, event.address) if part)


def description(event: Event, page_url: str) -> str:
    parts = [plain_text(event.summary), plain_text(event.content)]
    if event.signup:
        parts.append(f"Anmälan: {event.signup}")
    parts.append(page_url)
    return "\n\n".join(part for part in parts if part)


def vevent(event: Event, site_url: str, zone: Any) -> icalendar.Event:
    component = _common(event, event.start, event.cancelled, site_url, zone)
    if event.feed_rrule is not None:
        component.add("rrule", event.feed_rrule)
        if event.exdates:
            component.add("exdate", [_when(day, event, zone) for day in event.exdates])
    component.add("status", STATUS[event.status])
    return component


def cancelled_dates(event: Event, site_url: str, zone: Any) -> list[icalendar.Event]:
    """One override per cancelled date of a series: same UID, RECURRENCE-ID, STATUS:CANCELLED.

    This is how RFC 5545 changes one date of a series; phones and ical.js show that
    date as cancelled and keep the rest of the series as it is.
    """
    overrides = []
    for day in sorted(event.cancelled_dates) if not event.cancelled else ():
        component = _common(event, day, True, site_url, zone)
        component.add("recurrence-id", _when(day, event, zone))
        component.add("status", STATUS["cancelled"])
        overrides.append(component)
    return overrides


def _common(event: Event, start: dt.datetime, cancelled: bool, site_url: str, zone: Any) -> icalendar.Event:
    """What the series and each of its overrides say alike."""
    page_url = f"{site_url}/{event.url}"
    component = icalendar.Event()
    component.add("uid", event.uid)
    changed = (event.changed or EPOCH).astimezone(dt.UTC)  # the generator gives every event one
    component.add("dtstamp", changed)
    component.add("last-modified", changed)
    component.add("sequence", event.sequence)
    # Many calendar apps ignore STATUS, so the title says it too.
    component.add("summary", (CANCELLED_PREFIX if cancelled else "") + one_line(event.title))
    component.add("dtstart", _when(start, event, zone))
    if event.length is not None:
        component.add("dtend", _when(start + event.length, event, zone))
    location = one_line(one_line_place(event))
    if location:
        component.add("location", location)
    if event.category:
        component.add("categories", [one_line(event.category["name"])])
    component.add("description", paragraphs(description(event, page_url)))
    component.add("url", page_url)
    return component


def calendar_file(
    events: Iterable[Event], settings: dict[str, Any], zone: Any, name: str, serialised_events: dict | None = None
) -> bytes:
    """A whole VCALENDAR: the feed for `events`, with the VTIMEZONE its times need.

    The bytes are what icalendar's Calendar.to_ical() writes with the VTIMEZONE as the
    first subcomponent, put together from parts: a calendar's content lines are its own
    properties, then each subcomponent's lines in order, then END, each line ending
    CRLF. So the VTIMEZONE, the same 50 lines in every file, is serialised once.
    `serialised_events`: the caller's memo of event_ical() (one per build: every event is
    in its own file, the whole feed and its category's feed).
    """
    events = list(events)
    head = serialised(_calendar_properties(settings, name)).removesuffix(CALENDAR_END)
    parts = [head]
    # RFC 5545 wants at least one component: an empty category's feed gets its VTIMEZONE.
    if not events or any(not event.all_day for event in events):
        this_year = session_of(settings).now.year
        first = min((event.start.year for event in events), default=this_year)
        parts.append(vtimezone_ical(settings["TIMEZONE"], first, max(2038, this_year + TIMEZONE_YEARS)))
    memo = {} if serialised_events is None else serialised_events
    parts.extend(event_ical(event, settings["PUBLISH_SITEURL"], zone, memo) for event in events)
    parts.append(CALENDAR_END)
    return b"".join(parts)


def event_ical(event: Event, site_url: str, zone: Any, memo: dict) -> bytes:
    """The event's VEVENT and its cancelled dates' overrides, serialised once per content.

    The bytes are remembered in `memo` under everything the event holds, so a changed
    field is a new key, never a stale file.
    """
    key = (_fingerprint(event), site_url, zone)
    data = memo.get(key)
    if data is None:
        components = [vevent(event, site_url, zone), *cancelled_dates(event, site_url, zone)]
        data = memo[key] = b"".join(serialised(c) for c in components)
    return data


def _fingerprint(event: Event) -> str:
    """Every field of the event but its occurrences (which the feeds do not read), as text."""
    return repr([getattr(event, f.name) for f in dataclasses.fields(event) if f.name != "occurrences"])


def _calendar_properties(settings: dict[str, Any], name: str) -> icalendar.Calendar:
    """The VCALENDAR without components: what the feed is called and how often to refresh."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings['SITENAME']}//Kalender//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # A bare CR in a title would end the content line early: text is cleaned first.
    name = one_line(name)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings["TIMEZONE"])
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    return calendar


def serialised(component: icalendar.Component) -> bytes:
    """The bytes of component.to_ical(), with a faster folding of long lines.

    icalendar folds every line character by character in Python (most of the time a
    feed took); folded() does the same on the encoded line, a slice per physical line.
    """
    return b"".join(folded(line) + b"\r\n" for line in component.content_lines() if line)


def folded(line: str) -> bytes:
    """One content line folded as icalendar folds it (parser.string._foldline).

    Each physical line is the longest run of whole characters of at most FOLD_AT
    octets; a run that would end with a backslash or caret gives it to the next one.
    """
    data = line.encode()
    if len(data) <= FOLD_AT:
        return data
    pieces = []
    start = 0
    while len(data) - start > FOLD_AT:
        end = start + FOLD_AT
        while data[end] & 0xC0 == 0x80:  # never split a UTF-8 character
            end -= 1
        if data[end - 1] in ESCAPES and end - 1 > start:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


@functools.cache
def vtimezone_ical(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE's content lines, serialised once per process: every file repeats them."""
    return serialised(vtimezone(tzid, first_year, last_year))


@functools.cache
def vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE from zoneinfo, made once per build and shared by every file (read-only)."""
    # Transitions up to last_year; after it clients keep the last offset.
    until = dt.date(last_year, 1, 1)
    timezone = icalendar.Timezone.from_tzid(tzid, first_date=dt.date(first_year, 1, 1), last_date=until)
    one_rdate_per_line(timezone)
    return timezone


def one_rdate_per_line(timezone: icalendar.Timezone) -> None:
    """Write each VTIMEZONE transition as its own RDATE, the first one (DTSTART) included.

    icalendar writes the transitions as DTSTART plus one multi-valued RDATE line. Both
    choices below are equally valid RFC 5545, but ical.js (Mozilla's parser, used by
    Thunderbird) reads only the first value of an RDATE and skips DTSTART when RDATEs
    exist, and so would get summer time wrong. Repeating DTSTART as an RDATE is harmless.
    """
    for part in timezone.subcomponents:
        rdates = part.pop("RDATE", None)
        if rdates is None:
            continue
        groups = rdates if isinstance(rdates, list) else [rdates]
        for moment in [part.DTSTART] + [leaf.dt for group in groups for leaf in group.dts]:
            part.add("RDATE", moment)
