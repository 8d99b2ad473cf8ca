"""`make zetkin`: fetch the organisation's public events from Zetkin's API v1 into a data file.

GET {base}/v1/orgs/{org}/actions answers without authentication with
{"data": [action, ...]}. Zetkin's answer is untrusted data: the request has a total
deadline and a size limit, the JSON a depth limit. We keep the published actions and
only the fields the calendar uses (docs/zetkin.md), cleaned: titles on one line,
control characters removed. An event we cannot use (no id, a time that is no time or
lies years away, an id seen before) is left out with one warning line naming it.
data/zetkin-events.json is written only when the fetch as a whole succeeded; a failure
leaves the last good file as it was and says why in one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foreningssajt.siteconfig.errors import Invalid, SiteError

from .bounded_get import get
from .clean_text import one_line, paragraphs
from .zetkin_data import DATA_FILE, zetkin_event_url
from .zetkin_values import (
    FETCH_YEARS,
    MAX_BYTES,
    MAX_TEXT,
    MAX_TITLE,
    BadField,
    checked,
    event_id,
    parse_json,
    text,
    utc_time,
)

API_BASE = "https://api.zetk.in"
TIMEOUT = 20
# What we compare to decide that an event changed (and its SEQUENCE must grow).
FIELDS = ("id", "title", "info_text", "start_time", "end_time", "location", "cancelled", "url")
LEFT_OUT = "aktiviteten är utelämnad"
ANY_YEAR = 10_000  # `published` is only compared with now: any year will do


class FetchError(SiteError):
    """Why the fetch as a whole failed, in one line naming the address asked."""


class Skipped(SiteError):
    """One event left out of the data file, and why."""

    def render(self, translations: Any = None) -> str:
        suffix = translations.gettext(LEFT_OUT) if translations else LEFT_OUT
        return f"{super().render(translations)}; {suffix}"


@dataclass
class Fetched:
    """What one fetch found: the events to store, the ones left out, and how many were drafts."""

    events: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[SiteError] = field(default_factory=list)
    unpublished: int = 0


def actions_url(base: str, organisation: int) -> str:
    return f"{base.rstrip('/')}/v1/orgs/{organisation}/actions"


def fetch_actions(url: str, timeout: float = TIMEOUT) -> list[Any]:
    """Zetkin's list of actions; FetchError naming the url when the answer is unusable."""
    headers = {"Accept": "application/json", "User-Agent": "foreningssajt"}
    try:
        data = parse_json(get(url, timeout, MAX_BYTES, headers))
    except Invalid as problem:
        raise FetchError(url, "", problem.message, **problem.params) from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise FetchError(url, "", 'svarade inte med Zetkins {"data": [...]}; det är inte en lista med aktiviteter')
    return data["data"]


def is_published(action: dict[str, Any], now: dt.datetime) -> bool:
    """Zetkin's `published` is when the event became public: null (draft) or later is not public yet."""
    if "published" not in action:
        return True  # the public endpoint lists only public events
    published = action["published"]
    if not published:
        return False
    return utc_time(published, now, ANY_YEAR) <= now  # Invalid when it is no time


def normalise(action: dict[str, Any], organisation: int, now: dt.datetime) -> dict[str, Any]:
    """The fields the calendar uses, cleaned, from one Zetkin action; (key, Invalid) when unusable."""
    event_number = checked("id", event_id, action.get("id"))
    start = checked("start_time", utc_time, action.get("start_time"), now, FETCH_YEARS)
    end = checked("end_time", utc_time, action["end_time"], now, FETCH_YEARS) if action.get("end_time") else None
    owner = _owner(action.get("organization"), organisation)
    location = action.get("location") if isinstance(action.get("location"), dict) else {}
    activity = action.get("activity") if isinstance(action.get("activity"), dict) else {}
    title = one_line(text(action.get("title"))) or one_line(text(activity.get("title"))) or "Aktivitet"
    return {
        "id": event_number,
        "title": title[:MAX_TITLE],
        "info_text": paragraphs(text(action.get("info_text")))[:MAX_TEXT],
        "start_time": start.isoformat(),
        "end_time": end.isoformat() if end and end > start else None,
        "location": one_line(text(location.get("title")))[:MAX_TITLE] or None,
        "cancelled": bool(action.get("cancelled")),
        "url": zetkin_event_url(owner, event_number),
    }


def _owner(organization: Any, organisation: int) -> int:
    """The organisation in the sign-up link (a sub-organisation's own); ours when unclear."""
    try:
        return event_id(organization.get("id")) if isinstance(organization, dict) else organisation
    except Invalid:
        return organisation


def public_events(actions: list[Any], organisation: int, now: dt.datetime, url: str) -> Fetched:
    """The published, usable events, sorted by start; the rest counted or named in `skipped`."""
    found, seen = Fetched(), set()
    for number, action in enumerate(actions, start=1):
        label = _label(action, number)
        try:
            if not isinstance(action, dict):
                raise BadField("", Invalid("är inte en aktivitet (inget JSON-objekt)"))
            if not checked("published", is_published, action, now):
                found.unpublished += 1
                continue
            event = normalise(action, organisation, now)
        except BadField as bad:
            key = f"{label}: {bad.key}" if bad.key else label
            found.skipped.append(Skipped(url, key, bad.problem.message, **bad.problem.params))
            continue
        if event["id"] in seen:
            problem = "finns två gånger i svaret; den första behålls"
            found.skipped.append(Skipped(url, label, problem))
            continue
        seen.add(event["id"])
        found.events.append(event)
    if actions and not found.events and found.skipped:
        raise FetchError(url, "", "skickade inga aktiviteter som går att läsa; det är inte ett svar vi känner igen")
    found.events.sort(key=lambda event: (event["start_time"], event["id"]))
    return found


def _label(action: Any, number: int) -> str:
    """An event named as Zetkin numbers it, or by its place in the answer when it has no number."""
    try:
        return f"aktivitet {event_id(action.get('id'))}" if isinstance(action, dict) else f"post {number}"
    except Invalid:
        return f"post {number}"


def with_sequences(events: list[dict], previous: list[dict], now: dt.datetime) -> list[dict]:
    """SEQUENCE grows by one when an event's fields changed since the stored file."""
    before = {item.get("id"): item for item in previous if isinstance(item, dict)}
    stamped = []
    for event in events:
        old = before.get(event["id"])
        if old is not None and all(old.get(key) == event[key] for key in FIELDS):
            event.update(sequence=old.get("sequence", 0), changed=old.get("changed"))
        else:
            sequence = _sequence(old) + 1 if old is not None else 0
            event.update(sequence=sequence, changed=now.isoformat())
        stamped.append(event)
    return stamped


def _sequence(old: dict) -> int:
    value = old.get("sequence", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31 - 1 else 0


def stored_events(path: Path) -> list[dict]:
    try:
        events = parse_json(path.read_bytes()).get("events", [])
    except (OSError, Invalid, AttributeError):
        return []
    return list(events) if isinstance(events, list) else []


@dataclass
class Outcome:
    """What `make zetkin` did: counts for the summary line, and the events it left out."""

    fetched: Fetched
    total: int
    written: bool


def update(root: Path, organisation: int, base: str, now: dt.datetime, timeout: float = TIMEOUT) -> Outcome:
    """Fetch and write the data file; raises FetchError (file untouched) on failure."""
    url = actions_url(base, organisation)
    actions = fetch_actions(url, timeout)
    fetched = public_events(actions, organisation, now, url)
    path = root / DATA_FILE
    events = with_sequences(fetched.events, stored_events(path), now)
    text = json.dumps({"organisation": organisation, "events": events}, ensure_ascii=False, indent=2) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8", errors="replace") == text:
        return Outcome(fetched, len(actions), written=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # whole file or nothing: a reader never sees half of it
    return Outcome(fetched, len(actions), written=True)
