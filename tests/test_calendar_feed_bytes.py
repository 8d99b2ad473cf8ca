"""calendar_file puts its bytes together from parts; they must be what icalendar writes.

The reference below is the plain way: one icalendar.Calendar with the VTIMEZONE and
every VEVENT, serialised by Calendar.to_ical(). Folding, the VTIMEZONE's place and the
remembered events must not change a byte of it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar.parser import Contentline

from foreningssajt.calendar_events import feeds
from foreningssajt.calendar_events.clean_text import one_line
from foreningssajt.calendar_events.model import Event
from foreningssajt.calendar_events.recurrence import normalise_rrule
from foreningssajt.siteconfig.session import SETTING, BuildSession

ZONE = ZoneInfo("Europe/Stockholm")
SETTINGS: dict[str, Any] = {
    "SITENAME": "Socialdemokraterna i Björkvik",
    "TIMEZONE": "Europe/Stockholm",
    "PUBLISH_SITEURL": "https://bjorkvik.example.org",
    SETTING: BuildSession(root=Path("."), now=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)),
}
# Escapes (\, \; \\) and two-octet letters land on every fold boundary somewhere in here.
LONG = "Vi träffas, som vanligt; ta med \\ kaffe och ^ fika: åäö ÅÄÖ 🎉 " * 9


def reference(events: list[Event], name: str) -> bytes:
    """What calendar_file wrote before it was put together from parts."""
    calendar = feeds._calendar_properties(SETTINGS, name)
    if not events or any(not event.all_day for event in events):
        first = min((event.start.year for event in events), default=2026)
        calendar.add_component(feeds.vtimezone("Europe/Stockholm", first, 2041))
    for event in events:
        calendar.add_component(feeds.vevent(event, SETTINGS["PUBLISH_SITEURL"], ZONE))
        for override in feeds.cancelled_dates(event, SETTINGS["PUBLISH_SITEURL"], ZONE):
            calendar.add_component(override)
    return calendar.to_ical()


def events() -> list[Event]:
    changed = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    start = dt.datetime(2026, 9, 2, 18, 0)
    local, feed = normalise_rrule("FREQ=WEEKLY;BYDAY=WE;COUNT=10", start, False, ZONE)
    common = {"source": "x.md", "changed": changed, "sequence": 7, "url": "kalender/x/"}
    series = Event(key="s", uid="s@x", title="Studiecirkel " + LONG[:90], start=start, rrule=local, **common)
    series.feed_rrule, series.length, series.summary = feed, dt.timedelta(hours=2), f"<p>{LONG}</p>"
    series.exdates, series.cancelled_dates = [dt.datetime(2026, 9, 9, 18)], [dt.datetime(2026, 9, 16, 18)]
    series.category, series.venue = {"id": "studier", "name": "Studier"}, {"name": "ABF", "address": "Storgatan 1"}
    midsummer = Event(key="m", uid="m@x", title="Midsommar", start=dt.datetime(2027, 6, 25), all_day=True, **common)
    midsummer.content, midsummer.signup = f"<ul><li>{LONG}</li></ul>", "https://example.org/anmal"
    cancelled = Event(
        key="c", uid="c@x", title="Årsmöte", start=dt.datetime(2025, 3, 1, 14), status="cancelled", **common
    )
    return [series, midsummer, cancelled]


@given(st.text(alphabet=st.sampled_from("a;,:\\^ åÖ€🎉\r\t"), max_size=400) | st.text(max_size=300))
def test_folding_is_icalendars_to_the_byte(text: str) -> None:
    line = "DESCRIPTION:" + text.replace("\n", "")
    assert feeds.folded(line) == Contentline(line).to_ical()


@pytest.mark.parametrize("chosen", [[0, 1, 2], [0], [1], [2], []])
def test_calendar_file_writes_what_icalendar_writes(chosen: list[int]) -> None:
    some, memo = [events()[i] for i in chosen], {}
    for _ in range(2):  # the second time from the remembered VTIMEZONE and events
        assert feeds.calendar_file(some, SETTINGS, ZONE, "Kalender – Björkvik", memo) == reference(
            some, "Kalender – Björkvik"
        )


def test_an_event_changed_in_place_is_serialised_anew() -> None:
    (series, *_), memo = events(), {}
    before = feeds.calendar_file([series], SETTINGS, ZONE, "x", memo)
    series.title, series.cancelled_dates = "Ny titel", []
    after = feeds.calendar_file([series], SETTINGS, ZONE, "x", memo)
    assert after != before and b"SUMMARY:Ny titel" in after and b"RECURRENCE-ID" not in after
    assert after == reference([series], "x") and one_line(series.title) == "Ny titel"
