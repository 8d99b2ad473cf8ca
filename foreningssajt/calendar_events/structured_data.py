"""schema.org Event JSON-LD for an event's page, so search engines show date and place."""

from __future__ import annotations

import json
from typing import Any

from .feeds import plain_text
from .model import CANCELLED, Event, Occurrence

STATUS = {
    "confirmed": "https://schema.org/EventScheduled",
    "tentative": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
}
MOST = 10  # a series' next dates; enough for search engines, small enough for the page


def _place(event: Event) -> dict[str, Any] | None:
    if event.venue:
        place: dict[str, Any] = {"@type": "Place", "name": event.venue["name"]}
        if event.venue.get("address"):
            place["address"] = {"@type": "PostalAddress", "streetAddress": event.venue["address"]}
        return place
    if event.place:
        return {"@type": "Place", "name": event.place, "address": event.place}
    return None


def _one(occurrence: Occurrence, site: dict[str, Any], site_url: str) -> dict[str, Any]:
    event = occurrence.event
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": occurrence.iso_start,
        "eventStatus": STATUS[CANCELLED if occurrence.cancelled else event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": f"{site_url}/{event.url}",
        "organizer": {"@type": "Organization", "name": site["name"], "url": site["url"]},
    }
    if occurrence.end is not None:
        data["endDate"] = occurrence.last_day.isoformat() if event.all_day else occurrence.end.isoformat()
    place = _place(event)
    if place:
        data["location"] = place
    text = plain_text(event.summary) or plain_text(event.content)
    if text:
        data["description"] = text if len(text) <= 500 else text[:500].rsplit(" ", 1)[0] + " …"
    return data


def event_json_ld(occurrences: list[Occurrence], site: dict[str, Any], site_url: str) -> str:
    """One Event per date shown (a series lists its next dates), as a JSON text for <script>."""
    items = [_one(occurrence, site, site_url) for occurrence in occurrences[:MOST]]
    data: Any = items[0] if len(items) == 1 else items
    return script_safe(json.dumps(data, ensure_ascii=False, indent=1))


def script_safe(text: str) -> str:
    """JSON that cannot end or change its <script> element.

    "</script>" ends the element and "<!--" makes the HTML parser swallow the rest of the
    page into it; escaping <, > and & as JSON's \\u escapes rules out both, and the
    JSON means the same. (Outside strings JSON has none of these characters.)
    """
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
