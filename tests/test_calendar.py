"""The activity calendar: pages, feeds checked by an independent parser, validation, privacy.

The fixture site (tests/fixtures/calendar) is built once at CALENDAR_NOW (conftest.py):
mid-September 2026, so that the upcoming series cross the October DST change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from browser import run_node, run_vnu
from conftest import CALENDAR_NOW
from hypothesis import given, settings
from hypothesis import strategies as st
from sitebuild import REPO, build_site, make_site

from foreningssajt.calendar_events.model import Event
from foreningssajt.calendar_events.parsing import find_venue, parse_duration
from foreningssajt.calendar_events.recurrence import expand, normalise_rrule

ZONE = ZoneInfo("Europe/Stockholm")
NOW = dt.datetime.fromisoformat(CALENDAR_NOW)
# The pages list a series' dates this far ahead (generator.HORIZON_DAYS).
UNTIL = (NOW + dt.timedelta(days=365)).replace(tzinfo=None).isoformat()
EXPAND_JS = (Path(__file__).parent / "calendar_tools" / "expand.mjs").read_text(encoding="utf-8")
LISTED = re.compile(r'<li class="occurrence[^"]*" data-uid="([^"]+)" data-start="([^"]+)" data-end="([^"]+)"')
MEMBERS_ONLY_TEXTS = ("Xylofonkvällen", "Kanelbullesnurran", "internat")


# ---- helpers ----------------------------------------------------------------------------


def read(site: Path, path: str) -> str:
    return (site / "output" / path).read_text(encoding="utf-8")


def expand_feed(ics: str, until: str = UNTIL) -> list[dict]:
    """Every occurrence of every VEVENT, expanded by ical.js up to `until` (local time)."""
    return json.loads(run_node(EXPAND_JS, [until], stdin=ics))


def listed(html: str) -> list[tuple[str, str, str]]:
    """(uid, data-start, data-end) of each occurrence a calendar page lists."""
    return LISTED.findall(html)


def as_feed_key(uid: str, start: str) -> tuple[str, str, int | None]:
    """A page's data-start in ical.js' terms: local wall-clock text and the UTC instant."""
    if len(start) == 10:
        return uid, start, None
    moment = dt.datetime.fromisoformat(start)
    return uid, moment.replace(tzinfo=None).isoformat(), int(moment.timestamp() * 1000)


def feed_key(item: dict) -> tuple[str, str, int | None]:
    return item["uid"], item["start"], None if item["allDay"] else item["startUtc"]


def json_ld(html: str) -> object:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def visible(html: str) -> str:
    """What a reader sees of some markup: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def event(**keys: object) -> str:
    lines = "\n".join(f"{key}: {value}" for key, value in keys.items())
    return f"---\n{lines}\n---\nText.\n"


# ---- units: durations, venues, rules, expansion -------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120),
        ("90min", 90),
        ("1h30min", 90),
        ("1h 30min", 90),
        ("2d", 2880),
        ("2 timmar", 120),
        ("1 timme 30 minuter", 90),
    ],
)
def test_durations_in_the_forms_writers_use(text: str, minutes: int) -> None:
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["2", "2 veckor", "h", "0h", "1.5h", "", "h2"])
def test_durations_that_are_not(text: str) -> None:
    with pytest.raises(ValueError, match="2h, 90min, 1h30min eller 2 timmar"):
        parse_duration(text)


def test_hours_may_have_one_digit() -> None:
    from foreningssajt.content_rules.rules import datetime_value

    assert datetime_value("2026-11-18 9:00") == dt.datetime(2026, 11, 18, 9, 0)


def test_location_is_a_venue_id_or_name_in_any_case_or_words_but_not_a_wrong_id() -> None:
    venues = {"folkets-hus": {"id": "folkets-hus", "name": "Folkets hus"}, "puben": {"id": "puben", "name": "P"}}
    assert find_venue("folkets-hus", venues) == (venues["folkets-hus"], None)
    assert find_venue("folkets hus", venues) == (venues["folkets-hus"], None)
    assert find_venue("FOLKETS HUS", venues) == (venues["folkets-hus"], None)
    assert find_venue("Biblioteket, Storgatan 5", venues) == (None, "Biblioteket, Storgatan 5")
    assert find_venue("Digitalt", venues) == (None, "Digitalt")
    with pytest.raises(ValueError, match="menade du folkets-hus"):
        find_venue("folkets-huset", venues)
    with pytest.raises(ValueError, match="skriv något av: folkets-hus, puben"):
        find_venue("stads-biblioteket", venues)
    with pytest.raises(ValueError, match="menade du puben"):
        find_venue("pubben", venues)


def test_rrule_until_becomes_utc_in_the_feed_and_local_for_expansion() -> None:
    start = dt.datetime(2026, 8, 28, 19, 0)
    local, feed = normalise_rrule("FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270430", start, False, ZONE)
    assert "UNTIL=20270430T235959" in local
    assert feed["UNTIL"] == [dt.datetime(2027, 4, 30, 21, 59, 59, tzinfo=dt.UTC)]
    _, all_day = normalise_rrule("RRULE:freq=yearly;until=20300101", start.replace(hour=0), True, ZONE)
    assert all_day["UNTIL"] == [dt.date(2030, 1, 1)]


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=MONTHLY;BYDAY=1XX", "går inte att läsa som regel"),
        ("FREQ=HOURLY", "oftare än en gång om dagen"),
        ("FREQ=DAILY;BYHOUR=9,18", "oftare än en gång om dagen"),
        ("FREQ=WEEKLY;BYDAY=MO;BYMINUTE=0,30", "oftare än en gång om dagen"),
        ("FREQ=DAILY;BYSECOND=1,2", "oftare än en gång om dagen"),
        ("BYDAY=MO", "saknar FREQ"),
        ("FREQ=WEEKLY;BYDAAY=MO", "BYDAAY finns inte i en RRULE (menade du BYDAY?)"),
        ("FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2", "ger inga datum alls"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=9", "ger inga datum alls"),
        ("FREQ=DAILY;BYSETPOS=2", "hör till FREQ=MONTHLY eller FREQ=YEARLY"),
        ("FREQ=MONTHLY;BYSETPOS=2", "BYSETPOS går bara med FREQ=MONTHLY och BYDAY"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0 ska vara ett tal från 1 till 100"),
        ("FREQ=WEEKLY;UNTIL=20261301", "UNTIL=20261301 är inget datum som finns"),
        ("sista onsdagen", "skriv den som RRULE: recurrence: FREQ=MONTHLY;BYDAY=-1WE (sista onsdagen varje månad)"),
        ("varannan tisdag", "recurrence: FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
    ],
)
def test_bad_rrules_are_refused_quickly_in_swedish(rule: str, says: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ValueError, match=re.escape(says)):
        normalise_rrule(rule, dt.datetime(2026, 9, 3, 18, 30), False, ZONE)
    assert time.perf_counter() - started < 1, "a bad rule must be refused before anything is expanded"


@pytest.mark.parametrize(
    ("rule", "start", "words"),
    [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "2026-09-02 18:00", "Varannan onsdag kl. 18.00"),
        ("FREQ=MONTHLY;BYDAY=1TU", "2026-09-01 18:00", "Första tisdagen varje månad kl. 18.00"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "2026-09-03 18:00", "Varje vecka på måndag och torsdag kl. 18.00"),
        (
            "FREQ=MONTHLY;BYDAY=-1WE;UNTIL=20270630",
            "2026-09-30 18:30",
            "Sista onsdagen varje månad kl. 18.30, till och med 30 juni 2027",
        ),
        (
            "FREQ=MONTHLY;BYDAY=1TH;BYMONTH=1,2,3,4,5,6,9,10,11,12",
            "2026-09-03 18:30",
            "Första torsdagen varje månad utom juli och augusti kl. 18.30",
        ),
        ("FREQ=WEEKLY;COUNT=4", "2026-10-13 19:00", "Varje tisdag kl. 19.00, 4 gånger"),
        ("FREQ=MONTHLY;BYMONTHDAY=21", "2026-09-21 10:00", "Den 21:a varje månad kl. 10.00"),
        ("FREQ=YEARLY", "2027-03-08 00:00", "Varje år den 8 mars kl. 00.00"),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2",
            "2026-09-02 18:00",
            "",
        ),  # not said in words: the page says "Återkommande"
    ],
)
def test_a_series_rule_in_swedish_words(rule: str, start: str, words: str) -> None:
    from foreningssajt.calendar_events.rule_words import describe

    begins = dt.datetime.fromisoformat(start)
    local, _ = normalise_rrule(rule, begins, False, ZONE)
    until = re.search(r"UNTIL=(\d{8}T\d{6})", local)
    last = dt.datetime.strptime(until.group(1), "%Y%m%dT%H%M%S") if until else None
    assert describe(local, begins, False, last) == words


BY_VALUES = {
    "BYHOUR": st.lists(st.integers(0, 23), min_size=1, max_size=3, unique=True),
    "BYMINUTE": st.lists(st.integers(0, 59), min_size=1, max_size=3, unique=True),
    "BYSECOND": st.lists(st.integers(0, 59), min_size=1, max_size=3, unique=True),
    "BYSETPOS": st.lists(st.integers(-5, 5), min_size=1, max_size=3, unique=True),
    "BYMONTHDAY": st.lists(st.integers(-31, 31), min_size=1, max_size=3, unique=True),
    "BYMONTH": st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True),
    "BYDAY": st.lists(
        st.sampled_from(["MO", "TU", "WE", "1TH", "-1FR", "2SA", "5SU"]), min_size=1, max_size=3, unique=True
    ),
}


@st.composite
def rules(draw: st.DrawFn) -> str:
    parts = [f"FREQ={draw(st.sampled_from(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']))}"]
    parts.append(f"INTERVAL={draw(st.integers(1, 3))}")
    for name in draw(st.lists(st.sampled_from(sorted(BY_VALUES)), max_size=4, unique=True)):
        parts.append(f"{name}={','.join(map(str, draw(BY_VALUES[name])))}")
    return ";".join(parts)


@settings(max_examples=200)
@given(rule=rules())
def test_an_accepted_rule_gives_at_most_one_date_a_day_and_ends_quickly(rule: str) -> None:
    start = dt.datetime(2026, 9, 3, 18, 30)
    try:
        local, feed = normalise_rrule(rule, start, False, ZONE)
    except ValueError:
        return  # refused, in one line: also fine
    series = Event(source="x.md", key="x.md", title="x", start=start, rrule=local, feed_rrule=feed)
    started = time.perf_counter()
    dates = expand(series, ZONE, dt.datetime(2028, 9, 3))
    assert time.perf_counter() - started < 5, f"{rule} took long to expand"
    days = [occurrence.start.date() for occurrence in dates]
    assert len(days) == len(set(days)), f"{rule} gives two times on one day"


def test_a_series_with_more_dates_than_the_cap_is_refused() -> None:
    from foreningssajt.calendar_events.recurrence import MAX_OCCURRENCES

    start = dt.datetime(2023, 1, 1, 9, 0)
    rule, feed = normalise_rrule("FREQ=DAILY", start, False, ZONE)
    daily = Event(source="x.md", key="x.md", title="x", start=start, rrule=rule, feed_rrule=feed)
    with pytest.raises(ValueError, match=f"ger fler än {MAX_OCCURRENCES} tillfällen"):
        expand(daily, ZONE, dt.datetime(2027, 9, 1))
    assert len(expand(daily, ZONE, dt.datetime(2025, 9, 1))) <= MAX_OCCURRENCES


def test_series_stays_at_wall_clock_time_across_dst() -> None:
    start = dt.datetime(2026, 10, 13, 19, 0)
    rule, feed = normalise_rrule("FREQ=WEEKLY;COUNT=4", start, False, ZONE)
    series = Event(source="x.md", key="x.md", title="x", start=start, rrule=rule, feed_rrule=feed)
    series.length = dt.timedelta(minutes=90)
    got = expand(series, ZONE, dt.datetime(2027, 1, 1))
    assert [o.start.strftime("%H:%M") for o in got] == ["19:00"] * 4
    assert [o.start.utcoffset().total_seconds() / 3600 for o in got] == [2, 2, 1, 1]
    assert [o.end.strftime("%H:%M") for o in got] == ["20:30"] * 4


# ---- the built fixture: pages against feeds, through ical.js ------------------------------


def test_feed_occurrences_are_the_ones_the_pages_list(calendar_site: Path) -> None:
    pages = listed(read(calendar_site, "kalender/index.html")) + listed(
        read(calendar_site, "kalender/tidigare/index.html")
    )
    from_pages = {as_feed_key(uid, start) for uid, start, _ in pages}
    from_feed = {feed_key(item) for item in expand_feed(read(calendar_site, "kalender.ics"))}
    assert len(pages) == len(from_pages), "an occurrence is listed twice"
    assert len(from_pages) > 25
    assert from_feed == from_pages


def test_category_feeds_match_category_pages(calendar_site: Path) -> None:
    for category in ("medlemsmote", "pub", "studier", "utadriktat"):
        page = {
            as_feed_key(uid, start) for uid, start, _ in listed(read(calendar_site, f"kalender/{category}/index.html"))
        }
        feed = expand_feed(read(calendar_site, f"kalender/{category}.ics"))
        upcoming = {feed_key(item) for item in feed if (item["endUtc"] or item["startUtc"]) > NOW.timestamp() * 1000}
        assert page, category
        assert upcoming == page, category


def test_series_keep_their_local_time_across_the_october_dst_change(calendar_site: Path) -> None:
    feed = [i for i in expand_feed(read(calendar_site, "kalender/studier.ics")) if not i["allDay"]]
    assert [item["start"] for item in feed] == [f"2026-10-{day}T19:00:00" for day in (13, 20, 27)] + [
        "2026-11-03T19:00:00"
    ]
    utc_hours = [dt.datetime.fromtimestamp(item["startUtc"] / 1000, dt.UTC).hour for item in feed]
    assert utc_hours == [17, 17, 18, 18]
    page = read(calendar_site, "kalender/studier/index.html")
    assert 'data-start="2026-10-20T19:00:00+02:00"' in page
    assert 'data-start="2026-10-27T19:00:00+01:00"' in page
    assert 'data-end="2026-10-27T20:30:00+01:00"' in page


def test_a_series_is_one_vevent_with_rrule_exdate_and_a_vtimezone(calendar_site: Path) -> None:
    ics = read(calendar_site, "kalender.ics")
    # 7 public local files + 2 Zetkin events (one is a duplicate) + the member meeting's cancelled date
    assert ics.count("BEGIN:VEVENT") == 10
    assert ics.count("BEGIN:VTIMEZONE") == 1 and "TZID:Europe/Stockholm" in ics
    assert "RRULE:FREQ=MONTHLY;BYDAY=1TH;BYMONTH=1,2,3,4,5,6,9,10,11,12" in ics
    assert "EXDATE;TZID=Europe/Stockholm:20261203T183000" in ics
    assert "UNTIL=20270430T215959Z" in ics  # 23:59:59 local summer time, in UTC as RFC 5545 wants
    assert "DTSTART;VALUE=DATE:20270307" in ics and "DTEND;VALUE=DATE:20270309" in ics
    assert "EXDATE;VALUE=DATE:20261114" in ics  # an all-day series excepts a day, not a moment
    raw = (calendar_site / "output/kalender.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines must be folded at 75 octets"
    assert b"\n" not in raw.replace(b"\r\n", b""), "lines end in CRLF"
    feed = expand_feed(ics)
    assert not [i for i in feed if i["start"].startswith("2026-12-03")], "the except date is still in the feed"


def test_a_category_without_events_still_has_a_valid_feed(calendar_site: Path) -> None:
    ics = read(calendar_site, "kalender/fest.ics")
    assert "BEGIN:VTIMEZONE" in ics and "BEGIN:VEVENT" not in ics
    assert expand_feed(ics) == []


def test_feed_text_is_escaped_and_survives_a_round_trip(calendar_site: Path) -> None:
    from browser import ical_to_jcal

    calendar = ical_to_jcal(read(calendar_site, "kalender/utadriktat.ics"))
    events = [c for c in calendar[2] if c[0] == "vevent"]
    props = {
        p[0]: p[3] for p in next(e for e in events if any(p[3] == "INSTÄLLT: Torgmöte om skolan" for p in e[1]))[1]
    }
    assert "semikolon; ett kommatecken, och 3 < 4 & 5 > 2." in props["description"]
    assert props["url"] == "https://bjorkvik.example.org/kalender/2026/torgmote-installt/"
    assert props["location"] == "Stortorget, Björkvik"


def test_every_event_page_offers_its_own_ics(calendar_site: Path) -> None:
    page = read(calendar_site, "kalender/2026/medlemsmote/index.html")
    assert 'href="/kalender/2026/medlemsmote/medlemsmote.ics" download>Lägg till i kalender<' in page
    own = expand_feed(read(calendar_site, "kalender/2026/medlemsmote/medlemsmote.ics"))
    assert {item["uid"] for item in own} == {listed(read(calendar_site, "kalender/medlemsmote/index.html"))[0][0]}
    assert own[0]["start"] == "2026-09-03T18:30:00"


def test_cancelled_is_said_in_words_on_pages_feed_and_json_ld(calendar_site: Path) -> None:
    page = read(calendar_site, "kalender/2026/torgmote-installt/index.html")
    assert "Den här aktiviteten är inställd." in page
    heading = re.search(r"<h1>.*?</h1>", page, re.DOTALL).group(0)
    assert visible(heading) == "Inställt: Torgmöte om skolan"
    assert json_ld(page)["eventStatus"] == "https://schema.org/EventCancelled"
    assert "Anmäl dig" not in page.split("<main", 1)[1]
    listing = read(calendar_site, "kalender/index.html")
    item = re.search(r'<li class="occurrence is-cancelled".*?</li>', listing, re.DOTALL).group(0)
    assert "Inställt: Torgmöte om skolan" in visible(item)
    statuses = {i["summary"]: i["status"] for i in expand_feed(read(calendar_site, "kalender.ics"))}
    assert statuses["INSTÄLLT: Torgmöte om skolan"] == "CANCELLED"
    assert statuses["INSTÄLLT: Flygbladsutdelning vid stationen"] == "CANCELLED"  # from Zetkin
    assert statuses["Medlemsmöte"] == "CONFIRMED"


def test_a_cancelled_date_of_a_series_is_installt_in_lists_page_feeds_and_json_ld(calendar_site: Path) -> None:
    listing = read(calendar_site, "kalender/index.html")
    items = {
        m.group(1): m.group(0)
        for m in re.finditer(r'<li class="occurrence[^"]*"[^>]*data-start="([^"]+)".*?</li>', listing, re.DOTALL)
    }
    cancelled, next_one = items["2026-11-05T18:30:00+01:00"], items["2026-10-01T18:30:00+02:00"]
    assert "is-cancelled" in cancelled and "Inställt: Medlemsmöte" in visible(cancelled)
    assert "Anmäl dig" not in cancelled
    assert "is-cancelled" not in next_one and "Inställt" not in visible(next_one)

    page = read(calendar_site, "kalender/2026/medlemsmote/index.html")
    assert "Den här aktiviteten är inställd." not in page  # only one date is
    dates = re.search(r'<ol class="occurrences compact">.*?</ol>', page, re.DOTALL).group(0)
    assert "torsdag 5 november 2026, kl. 18:30 – inställt" in visible(dates)
    assert visible(dates).count("inställt") == 1
    statuses = [item["eventStatus"].rsplit("/", 1)[1] for item in json_ld(page)]
    assert statuses[:3] == ["EventScheduled", "EventCancelled", "EventScheduled"]

    for feed in ("kalender.ics", "kalender/2026/medlemsmote/medlemsmote.ics", "kalender/medlemsmote.ics"):
        meetings = [i for i in expand_feed(read(calendar_site, feed)) if i["summary"].endswith("Medlemsmöte")]
        by_start = {item["start"]: item for item in meetings}
        assert by_start["2026-11-05T18:30:00"]["status"] == "CANCELLED", feed
        assert by_start["2026-11-05T18:30:00"]["summary"] == "INSTÄLLT: Medlemsmöte"
        assert [i["start"] for i in meetings if i["status"] == "CANCELLED"] == ["2026-11-05T18:30:00"], feed
        assert by_start["2026-10-01T18:30:00"]["status"] == "CONFIRMED"
        assert len({item["uid"] for item in meetings}) == 1, "the override belongs to the series"


def test_a_series_page_says_its_rule_in_words(calendar_site: Path) -> None:
    said = {
        "medlemsmote": "Första torsdagen varje månad utom juli och augusti kl. 18.30. Nästa gång:",
        "pubkvall": "Sista fredagen varje månad kl. 19.00, till och med 30 april 2027. Nästa gång:",
        "studiecirkel": "Varje tisdag kl. 19.00, 4 gånger. Nästa gång:",
    }
    for slug, words in said.items():
        assert words in visible(read(calendar_site, f"kalender/2026/{slug}/index.html")), slug
    assert "Återkommande" not in visible(read(calendar_site, "kalender/2026/medlemsmote/index.html"))


def test_the_feed_is_offered_as_https_for_android_and_webcal_for_iphone(calendar_site: Path) -> None:
    from foreningssajt.calendar_events.generator import google_calendar_url

    for page, feed in (("kalender/index.html", "kalender.ics"), ("kalender/pub/index.html", "kalender/pub.ics")):
        html = read(calendar_site, page)
        assert f'value="https://bjorkvik.example.org/{feed}"' in html, page
        assert f'href="webcal://bjorkvik.example.org/{feed}"' in html, page
    assert google_calendar_url("webcal://bjorkvik.example.org/kalender.ics") == (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fbjorkvik.example.org%2Fkalender.ics"
    )


def test_event_page_has_json_ld_place_and_the_venues_accessibility(calendar_site: Path) -> None:
    page = read(calendar_site, "kalender/2026/medlemsmote/index.html")
    data = json_ld(page)
    assert isinstance(data, list) and len(data) == 9  # a series: its dates within the next year, December excepted
    first = data[0]
    assert first["@type"] == "Event" and first["eventStatus"] == "https://schema.org/EventScheduled"
    assert first["startDate"] == "2026-10-01T18:30:00+02:00" and first["endDate"] == "2026-10-01T20:30:00+02:00"
    assert first["location"]["address"] == {"@type": "PostalAddress", "streetAddress": "Storgatan 12, Björkvik"}
    assert data[1]["startDate"] == "2026-11-05T18:30:00+01:00"
    for text in ("Steglös entré", "Hörslinga finns", "Ingång från parkeringen, hiss till plan 2."):
        assert text in page
    pub = read(calendar_site, "kalender/2026/pubkvall/index.html")
    assert "Inte steglös entré" in pub and "Ingen hörslinga" in pub and "Två trappsteg vid entrén" in pub


def test_calendar_page_groups_by_month_links_categories_archive_and_webcal(calendar_site: Path) -> None:
    page = read(calendar_site, "kalender/index.html")
    months = re.findall(r'<h2 id="month-(\d{4}-\d{2})">', page)
    assert months == sorted(months) and months[0] == "2026-09"
    assert 'href="webcal://bjorkvik.example.org/kalender.ics"' in page
    assert 'href="/kalender/tidigare/"' in page and 'href="/kalender/pub/"' in page
    assert "Listan uppdaterades 15 september 2026." in page
    assert 'href="https://app.zetkin.org/o/4321/events/900"' in page  # the member meeting's sign-up
    assert "Folkets hus, lilla salen" in page and "kl. 18:30–20:30" in page
    category = read(calendar_site, "kalender/pub/index.html")
    titles = re.findall(r'class="occurrence-title">(?:<span[^>]*>[^<]*</span> )?<a [^>]*>([^<]+)</a>', category)
    assert titles and set(titles) == {"Pubkväll"}
    assert 'href="webcal://bjorkvik.example.org/kalender/pub.ics"' in category


def test_past_archive_lists_what_has_ended_newest_first(calendar_site: Path) -> None:
    starts = [start for _, start, _ in listed(read(calendar_site, "kalender/tidigare/index.html"))]
    assert starts[0] == "2026-09-03T18:30:00+02:00" and starts[-1] == "2026-04-16T18:00:00+02:00"
    assert all(dt.datetime.fromisoformat(s) < NOW for s in starts)


def test_home_page_shows_what_is_coming_with_time_and_place(calendar_site: Path) -> None:
    home = read(calendar_site, "index.html")
    section = home.split('id="home-events"', 1)[1].split("</section>", 1)[0]
    assert "Pubkväll" in section
    assert re.search(r"fredag 25 september</time>, kl\. 19:00(?:<br>|\W)+Puben Ankaret", section)
    shown = len(re.findall(r"<li [^>]*data-end=[^>]*>", section))
    spares = len(re.findall(r"<li [^>]*data-end=[^>]* hidden>", section))
    assert shown > spares >= 5  # spares for calendar-today.js, which hides what has passed


def test_zetkin_events_are_merged_and_link_to_zetkin(calendar_site: Path) -> None:
    page = read(calendar_site, "kalender/2026/zetkin-910/index.html")
    assert 'href="https://app.zetkin.org/o/4321/events/910"' in page
    assert "<p>Vi går två och två.</p><p>Samling vid busshållplatsen.</p>" in page
    assert "lördag 24 oktober 2026</time>, kl. 10:00–13:00" in page  # 08:00 UTC is 10:00 summer time
    assert not (calendar_site / "output/kalender/2026/zetkin-900").exists(), "the local event already links it"


def test_members_only_events_appear_nowhere_public(calendar_site: Path) -> None:
    output = calendar_site / "output"
    files = [path for path in output.rglob("*") if path.is_file()]
    assert any(path.suffix == ".ics" for path in files)
    for path in files:
        data = path.read_bytes()
        for text in MEMBERS_ONLY_TEXTS:
            assert text.encode() not in data, f"{text!r} is in {path.relative_to(output)}"
            assert text not in str(path.relative_to(output))


@pytest.mark.slow
def test_calendar_pages_are_valid_html(calendar_site: Path) -> None:
    output = calendar_site / "output"
    pages = [output / "kalender", output / "index.html"]
    assert run_vnu(pages) == []


# ---- rebuilds: UID stays, SEQUENCE grows ----------------------------------------------------


def feed_identities(site: Path, output: Path) -> dict[str, tuple[str, int]]:
    result = build_site(root=site, output=output, search=False, now=CALENDAR_NOW, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 0, result.stderr
    ics = (output / "kalender.ics").read_text(encoding="utf-8")
    return {item["uid"]: (item["summary"], item["sequence"]) for item in expand_feed(ics)}


def test_uids_survive_rebuilds_and_edits_and_sequence_only_grows(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "fixtures" / "calendar", site, ignore=shutil.ignore_patterns(".cache"))
    first = feed_identities(site, tmp_path / "one")
    assert first == feed_identities(site, tmp_path / "two"), "a rebuild changed UIDs or SEQUENCE"

    pub = site / "content/events/pubkvall.md"
    pub.write_text(pub.read_text(encoding="utf-8").replace("title: Pubkväll", "title: Pubkväll på hamnen"))
    later = pub.stat().st_mtime + 3600
    os.utime(pub, (later, later))
    edited = feed_identities(site, tmp_path / "three")

    assert edited.keys() == first.keys()
    changed = [uid for uid in first if first[uid] != edited[uid]]
    assert len(changed) == 1
    assert edited[changed[0]][0] == "Pubkväll på hamnen"
    assert edited[changed[0]][1] > first[changed[0]][1]


# ---- mistakes stop the build, one line each --------------------------------------------------


# The worst case of issue 12: every minute of every day, once a 48-65 s build and a 158 MB page.
EVERY_MINUTE = "FREQ=DAILY;BYHOUR={};BYMINUTE={}".format(",".join(map(str, range(24))), ",".join(map(str, range(60))))
BROKEN = {
    "events/slut-fore-start.md": event(title="A", start="2026-10-01 19:00", end="2026-10-01 18:00"),
    "events/trasig-regel.md": event(title="B", start="2026-10-01 19:00", recurrence="FREQ=MONTHLY;BYDAY=1XX"),
    "events/fel-lokal.md": event(title="C", start="2026-10-01 19:00", location="folkets-huset"),
    "events/utan-tid.md": event(title="D", start="2026-10-01"),
    "events/konstig-langd.md": event(title="E", start="2026-10-01 19:00", duration="2 veckor"),
    "events/okand-status.md": event(title="F", start="2026-10-01 19:00", status="inställd"),
    "events/okand-kategori.md": event(title="G", start="2026-10-01 19:00", category="dans"),
    "events/fel-startdag.md": event(title="H", start="2026-10-02 18:30", recurrence="FREQ=MONTHLY;BYDAY=1TH"),
    "events/undantag-utan-serie.md": event(title="I", start="2026-10-01 19:00", **{"except": "[2026-10-08]"}),
    "events/bade-slut-och-langd.md": event(title="J", start="2026-10-01 19:00", end="2026-10-01 21:00", duration="2h"),
    "events/heldag-med-tid.md": event(title="K", start="2026-10-01 19:00", all_day="true"),
    "events/sista-onsdagen.md": event(title="L", start="2026-10-28 19:00", recurrence="sista onsdagen"),
    "events/tatast.md": event(title="M", start="2026-10-01 00:00", recurrence=EVERY_MINUTE),
    "events/installt-utan-serie.md": event(title="N", start="2026-10-01 19:00", cancelled="[2026-10-01]"),
    "events/installt-fel-dag.md": event(
        title="O", start="2026-10-01 19:00", recurrence="FREQ=MONTHLY;BYDAY=1TH", cancelled="[2026-10-08]"
    ),
    "events/installt-och-undantag.md": event(
        title="P",
        start="2026-10-01 19:00",
        recurrence="FREQ=MONTHLY;BYDAY=1TH",
        cancelled="[2026-11-05]",
        **{"except": "[2026-11-05]"},
    ),
    "events/ar-9999.md": event(title="Q", start="9999-12-31 23:00", duration="2h"),
}
EXPECTED = {
    "slut-fore-start": ("end", "är inte efter start"),
    "trasig-regel": ("recurrence", "går inte att läsa som regel"),
    "fel-lokal": ("location", "menade du folkets-hus"),
    "utan-tid": ("start", "saknar klockslag"),
    "konstig-langd": ("duration", "2h, 90min, 1h30min eller 2 timmar"),
    "okand-status": ("status", "cancelled"),
    "okand-kategori": ("category", "medlemsmote"),
    "fel-startdag": ("start", "är inget datum i serien (dess första är 2026-11-05 18:30)"),
    "undantag-utan-serie": ("except", "bara en serie har datum här"),
    "bade-slut-och-langd": ("duration", "inte båda"),
    "heldag-med-tid": ("start", "har en tid, men all_day är true"),
    "sista-onsdagen": ("recurrence", "recurrence: FREQ=MONTHLY;BYDAY=-1WE (sista onsdagen varje månad)"),
    "tatast": ("recurrence", "högst ett tillfälle per dag"),
    "installt-utan-serie": ("cancelled", "bara en serie har datum här"),
    "installt-fel-dag": ("cancelled", "2026-10-08 19:00 är inget av seriens datum"),
    "installt-och-undantag": ("cancelled", "2026-11-05 19:00 står också under except"),
    "ar-9999": ("start", "ligger utanför åren 1976–2036"),
}


def test_each_mistake_is_one_line_naming_file_and_key(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {**BROKEN, "events/bra.md": event(title="Bra", start="2026-10-01 19:00")})
    result = build_site(root=site, output=tmp_path / "out", search=False, now=CALENDAR_NOW)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    for name, (key, says) in EXPECTED.items():
        found = [line for line in lines if line.startswith(f"content/events/{name}.md: {key}: ")]
        assert len(found) == 1, f"{name}: {key} not reported once in:\n{result.stderr}"
        assert says in found[0], found[0]
    assert not (tmp_path / "out").exists()


def test_draft_events_are_left_out_and_hidden_ones_only_get_their_page(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "events/utkast.md": event(title="Utkastmötet", start="2026-10-01 19:00", status="draft"),
            "events/gomd.md": event(title="Gömda mötet", start="2026-10-02 19:00", status="hidden"),
            "events/synlig.md": event(title="Synliga mötet", start="2026-10-03 19:00", status="tentative"),
        },
    )
    result = build_site(root=site, output=tmp_path / "out", search=False, now=CALENDAR_NOW)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    listing = (out / "kalender/index.html").read_text(encoding="utf-8")
    ics = (out / "kalender.ics").read_text(encoding="utf-8")
    assert "Synliga mötet" in listing and "STATUS:TENTATIVE" in ics
    assert "Gömda mötet" not in listing and "Gömda mötet" not in ics
    assert (out / "kalender/2026/gomd/index.html").is_file()
    assert not any("Utkastmötet" in p.read_text(encoding="utf-8", errors="ignore") for p in out.rglob("*.*"))


def test_events_beyond_the_horizon_still_show_their_first_date() -> None:
    far = dt.datetime(2030, 5, 1, 10, 0)
    single = Event(source="x.md", key="x.md", title="x", start=far)
    rule, feed = normalise_rrule("FREQ=WEEKLY", far, False, ZONE)
    weekly = Event(source="y.md", key="y.md", title="y", start=far, rrule=rule, feed_rrule=feed)
    horizon = dt.datetime(2027, 1, 1)
    assert [o.start for o in expand(single, ZONE, horizon)] == [far.replace(tzinfo=ZONE)]
    assert [o.start for o in expand(weekly, ZONE, horizon)] == [far.replace(tzinfo=ZONE)]
    assert len(expand(weekly, ZONE, dt.datetime(2030, 5, 31))) == 5


def test_a_venue_says_only_what_site_yml_says_about_access(tmp_path: Path) -> None:
    site_yml = (
        (REPO / "site.yml")
        .read_text(encoding="utf-8")
        .replace("venues:\n", "venues:\n  - id: okand-lokal\n    name: Okänd lokal\n", 1)
    )
    site = make_site(
        tmp_path / "site",
        {"events/a.md": event(title="A", start="2026-10-01 19:00", location="okand-lokal")},
        site_yml=site_yml,
    )
    result = build_site(root=site, output=tmp_path / "out", search=False, now=CALENDAR_NOW)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out/kalender/2026/a/index.html").read_text(encoding="utf-8")
    assert "Okänd lokal" in page
    assert "Tillgänglighet" not in page and "steglös" not in page.lower() and "hörslinga" not in page.lower()


def test_the_calendars_messages_read_in_english_too() -> None:
    from foreningssajt.siteconfig.errors import Invalid, message_catalogue

    english, problems = message_catalogue("en"), []
    for rule in ("sista onsdagen", EVERY_MINUTE, "FREQ=MONTHLY;BYDAY=1XX", "FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2"):
        with pytest.raises(Invalid) as caught:
            normalise_rrule(rule, dt.datetime(2026, 9, 3, 18, 30), False, ZONE)
        problems.append(caught.value.at("content/events/x.md", "recurrence"))
    with pytest.raises(Invalid) as caught:
        parse_duration("2 veckor")
    problems.append(caught.value.at("content/events/x.md", "duration"))
    for problem in problems:
        assert problem.render(english) != problem.render(), problem.message
    assert "repeats more often than once a day" in problems[1].render(english)
