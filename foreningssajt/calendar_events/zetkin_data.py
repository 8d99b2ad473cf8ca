"""Zetkin's public events, as `make zetkin` stored them in data/zetkin-events.json.

The build reads only this committed file, never the network: the site builds offline
and every change to the events is a reviewable diff. docs/zetkin.md lists the fields.
The file is checked again here as untrusted data (someone may have edited it by hand):
each mistake is one line naming the file and the event, and the build stops.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from foreningssajt.siteconfig.errors import Invalid, SiteError

from .clean_text import one_line, paragraphs
from .model import CANCELLED, Event
from .zetkin_values import BUILD_YEARS, BadField, checked, count, event_id, parse_json, text, utc_time

DATA_FILE = "data/zetkin-events.json"
RERUN = "kör 'make zetkin' igen, eller ta tillbaka filen ur git"


def zetkin_event_url(organisation: int, event_id: int) -> str:
    return f"https://app.zetkin.org/o/{organisation}/events/{event_id}"


def load_zetkin_events(
    root: Path, organisation: int | None, venues: dict[str, dict], zone: ZoneInfo, now: dt.datetime
) -> tuple[list[Event], list[SiteError]]:
    """(events, problems) from the data file; none when site.yml names no organisation or nothing was fetched."""
    path = root / DATA_FILE
    if organisation is None or not path.is_file():
        return [], []
    try:
        items = _items(path.read_bytes(), organisation)
    except Invalid as problem:
        return [], [problem.at(DATA_FILE, "")]
    events, problems, seen = [], [], set()
    for number, item in enumerate(items, start=1):
        label = _label(item, number)
        try:
            event = _event(item, organisation, venues, zone, now)
        except BadField as bad:
            problems.append(bad.problem.at(DATA_FILE, f"{label}: {bad.key}" if bad.key else label))
            continue
        if event.slug in seen:
            problems.append(SiteError(DATA_FILE, label, "finns två gånger; ta bort den ena, eller " + RERUN))
            continue
        seen.add(event.slug)
        events.append(event)
    return events, problems


def _items(body: bytes, organisation: int) -> list[Any]:
    data = parse_json(body)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list) or "organisation" not in data:
        raise Invalid("är inte det som 'make zetkin' skriver; " + RERUN)
    if data["organisation"] != organisation:
        raise Invalid(
            "gäller organisation {stored}, men site.yml anger {organisation}; " + RERUN,
            stored=str(data["organisation"])[:20],
            organisation=organisation,
        )
    return data["events"]


def _label(item: Any, number: int) -> str:
    try:
        return f"events: aktivitet {event_id(item.get('id'))}"
    except (Invalid, AttributeError):
        return f"events: post {number}"


def _local(value: Any, key: str, zone: ZoneInfo, now: dt.datetime) -> dt.datetime:
    return checked(key, utc_time, value, now, BUILD_YEARS).astimezone(zone).replace(tzinfo=None)


def _venue(location: str | None, venues: dict[str, dict]) -> dict | None:
    """A Zetkin location named like one of our venues gets that venue's address and notes."""
    wanted = (location or "").strip().casefold()
    if not wanted:
        return None
    return next((v for v in venues.values() if wanted in (v["id"].casefold(), v["name"].casefold())), None)


def _lines(paragraph: str) -> str:
    """Zetkin's info text is plain text: escape it, and keep its line breaks."""
    return "<br>".join(html.escape(line) for line in paragraph.splitlines())


def _signup(value: Any, organisation: int, number: int) -> str:
    address = one_line(text(value))
    if not address:
        return zetkin_event_url(organisation, number)
    if not address.startswith("https://"):  # a javascript: link would run on our page
        problem = Invalid("”{value}” är ingen https-adress; " + RERUN, value=address[:60])
        raise BadField("url", problem)
    return address


def _event(item: Any, organisation: int, venues: dict[str, dict], zone: ZoneInfo, now: dt.datetime) -> Event:
    if not isinstance(item, dict):
        raise BadField("", Invalid("är ingen aktivitet (inget JSON-objekt); " + RERUN))
    number = checked("id", event_id, item.get("id"))
    start = _local(item.get("start_time"), "start_time", zone, now)
    end = _local(item["end_time"], "end_time", zone, now) if item.get("end_time") else None
    location = one_line(text(item.get("location"))) or None
    venue = _venue(location, venues)
    paragraphs_ = [p.strip() for p in paragraphs(text(item.get("info_text"))).split("\n\n") if p.strip()]
    return Event(
        source=DATA_FILE,
        key=f"zetkin/{organisation}/{number}",
        title=one_line(text(item.get("title"))) or "Aktivitet",
        start=start,
        length=end - start if end and end > start else None,
        status=CANCELLED if item.get("cancelled") else "confirmed",
        venue=venue,
        place=None if venue else location,
        signup=_signup(item.get("url"), organisation, number),
        content="".join(f"<p>{_lines(paragraph)}</p>" for paragraph in paragraphs_),
        slug=f"zetkin-{number}",
        sequence=checked("sequence", count, item.get("sequence", 0)),
        changed=checked("changed", utc_time, item["changed"], now, BUILD_YEARS) if item.get("changed") else None,
        from_zetkin=True,
    )
