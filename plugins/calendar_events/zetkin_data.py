"""Zetkin's public events, as `make zetkin` stored them in data/zetkin-events.json.

The build reads only this committed file, never the network: the site builds offline
and every change to the events is a reviewable diff. docs/zetkin.md lists the fields.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from siteconfig.errors import SiteError

from .model import CANCELLED, Event

DATA_FILE = "data/zetkin-events.json"
RERUN = "run 'make zetkin' again, or restore the file from git"


def zetkin_event_url(organisation: int, event_id: int) -> str:
    return f"https://app.zetkin.org/o/{organisation}/events/{event_id}"


def load_zetkin_events(root: Path, organisation: int | None, venues: dict[str, dict], zone: ZoneInfo) -> list[Event]:
    """Events from the data file; none when site.yml names no organisation or nothing was fetched."""
    path = root / DATA_FILE
    if organisation is None or not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stored = data["organisation"]
        items = data["events"]
    except (ValueError, KeyError, TypeError):
        raise SiteError(DATA_FILE, "", f"is not what 'make zetkin' writes; {RERUN}") from None
    if stored != organisation:
        raise SiteError(
            DATA_FILE, "organisation", f"holds organisation {stored}, but site.yml names {organisation}; {RERUN}"
        )
    events = []
    for number, item in enumerate(items, start=1):
        try:
            events.append(_event(item, organisation, venues, zone))
        except (ValueError, KeyError, TypeError) as exc:
            raise SiteError(DATA_FILE, f"events[{number}]", f"cannot be read ({exc}); {RERUN}") from None
    return events


def _local(text: str, zone: ZoneInfo) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:  # Zetkin's times are UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).replace(tzinfo=None)


def _venue(location: str | None, venues: dict[str, dict]) -> dict | None:
    """A Zetkin location named like one of our venues gets that venue's address and notes."""
    wanted = (location or "").strip().casefold()
    return next((v for v in venues.values() if wanted in (v["id"], v["name"].casefold())), None) if wanted else None


def _lines(paragraph: str) -> str:
    """Zetkin's info text is plain text: escape it, and keep its line breaks."""
    return "<br>".join(html.escape(line) for line in paragraph.splitlines())


def _event(item: dict[str, Any], organisation: int, venues: dict[str, dict], zone: ZoneInfo) -> Event:
    event_id = int(item["id"])
    start = _local(item["start_time"], zone)
    end = _local(item["end_time"], zone) if item.get("end_time") else None
    venue = _venue(item.get("location"), venues)
    paragraphs = [p.strip() for p in str(item.get("info_text") or "").split("\n\n") if p.strip()]
    return Event(
        source=DATA_FILE,
        key=f"zetkin/{organisation}/{event_id}",
        title=str(item["title"]),
        start=start,
        length=end - start if end and end > start else None,
        status=CANCELLED if item.get("cancelled") else "confirmed",
        venue=venue,
        place=None if venue else item.get("location"),
        signup=item.get("url") or zetkin_event_url(organisation, event_id),
        content="".join(f"<p>{_lines(paragraph)}</p>" for paragraph in paragraphs),
        slug=f"zetkin-{event_id}",
        sequence=int(item.get("sequence", 0)),
        changed=dt.datetime.fromisoformat(item["changed"]) if item.get("changed") else None,
        from_zetkin=True,
    )
