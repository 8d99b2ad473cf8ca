"""`make zetkin`: fetch the organisation's public events from Zetkin's API v1 into a data file.

GET {base}/v1/orgs/{org}/actions answers without authentication with
{"data": [action, ...]}. We keep the published actions, only the fields the calendar
uses (docs/zetkin.md), and write data/zetkin-events.json only when the whole fetch
succeeded; a failure leaves the last good file as it was and says why in one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .zetkin_data import DATA_FILE, zetkin_event_url

API_BASE = "https://api.zetk.in"
TIMEOUT = 20
# What we compare to decide that an event changed (and its SEQUENCE must grow).
FIELDS = ("id", "title", "info_text", "start_time", "end_time", "location", "cancelled", "url")


class FetchError(Exception):
    """Why the fetch failed, in one line for the volunteer who ran it."""


def actions_url(base: str, organisation: int) -> str:
    return f"{base.rstrip('/')}/v1/orgs/{organisation}/actions"


def fetch_actions(url: str, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "foreningssajt"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        advice = "check zetkin: organisation in site.yml"
        raise FetchError(f"the server answered {exc.code} {exc.reason} for {url}; {advice}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"could not reach {url} ({reason}); check the network and try again") from None
    try:
        data = json.loads(body)["data"]
    except (ValueError, KeyError, TypeError):
        raise FetchError(f'{url} did not answer with Zetkin\'s {{"data": [...]}}; nothing was changed') from None
    if not isinstance(data, list):
        raise FetchError(f"{url} answered with data that is not a list of events; nothing was changed")
    return data


def _utc(text: Any) -> str:
    moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is None:  # Zetkin's times are UTC, sometimes written without an offset
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()


def is_published(action: dict[str, Any], now: dt.datetime) -> bool:
    """Zetkin's `published` is when the event became public: null (draft) or later is not public yet."""
    if "published" not in action:
        return True  # the public endpoint lists only public events
    published = action["published"]
    return bool(published) and dt.datetime.fromisoformat(_utc(published)) <= now


def normalise(action: dict[str, Any], organisation: int) -> dict[str, Any]:
    """The fields the calendar uses, from one Zetkin action. KeyError/ValueError when malformed."""
    event_id = int(action["id"])
    owner = (action.get("organization") or {}).get("id") or organisation
    location = action.get("location") or {}
    activity = action.get("activity") or {}
    return {
        "id": event_id,
        "title": (action.get("title") or activity.get("title") or "Aktivitet").strip(),
        "info_text": (action.get("info_text") or "").strip(),
        "start_time": _utc(action["start_time"]),
        "end_time": _utc(action["end_time"]) if action.get("end_time") else None,
        "location": (location.get("title") or "").strip() or None,
        "cancelled": bool(action.get("cancelled")),
        "url": zetkin_event_url(int(owner), event_id),
    }


def with_sequences(events: list[dict], previous: list[dict], now: dt.datetime) -> list[dict]:
    """SEQUENCE grows by one when an event's fields changed since the stored file."""
    before = {item.get("id"): item for item in previous}
    stamped = []
    for event in events:
        old = before.get(event["id"])
        if old is not None and all(old.get(key) == event[key] for key in FIELDS):
            event.update(sequence=old.get("sequence", 0), changed=old.get("changed"))
        else:
            sequence = old.get("sequence", 0) + 1 if old is not None else 0
            event.update(sequence=sequence, changed=now.isoformat())
        stamped.append(event)
    return stamped


def stored_events(path: Path) -> list[dict]:
    try:
        return list(json.loads(path.read_text(encoding="utf-8")).get("events", []))
    except (OSError, ValueError, AttributeError):
        return []


def update(root: Path, organisation: int, base: str, now: dt.datetime, timeout: float = TIMEOUT) -> str:
    """Fetch and write the data file; returns what happened, raises FetchError on failure."""
    url = actions_url(base, organisation)
    actions = fetch_actions(url, timeout)
    try:
        public = [normalise(action, organisation) for action in actions if is_published(action, now)]
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
        raise FetchError(f"{url} sent an event we cannot read ({problem}); nothing was changed") from None
    public.sort(key=lambda event: (event["start_time"], event["id"]))
    path = root / DATA_FILE
    events = with_sequences(public, stored_events(path), now)
    text = json.dumps({"organisation": organisation, "events": events}, ensure_ascii=False, indent=2) + "\n"
    cancelled = sum(event["cancelled"] for event in events)
    summary = f"{len(events)} events ({cancelled} cancelled, {len(actions) - len(events)} unpublished left out)"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return f"Zetkin: {summary}; {DATA_FILE} is already up to date."
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # whole file or nothing: a reader never sees half of it
    return f"Zetkin: {summary} written to {DATA_FILE}; review with 'git diff' and commit."
