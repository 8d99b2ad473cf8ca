"""Events and their occurrences, as the templates and feeds see them.

An Event is one Markdown file (or one Zetkin action); a series is one Event with a
recurrence rule. An Occurrence is one date of an Event, with aware datetimes in the
site's timezone, so that templates never deal with naive times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

CANCELLED = "cancelled"


@dataclass
class Event:
    """One event or series. Times are naive local wall-clock times in the site's timezone."""

    source: str  # shown in error messages: content/events/pubkvall.md
    key: str  # what the UID is made from: events/pubkvall.md, or zetkin/<org>/<id>
    title: str
    start: dt.datetime  # for all-day events: midnight of the first day
    all_day: bool = False
    length: dt.timedelta | None = None  # None: a timed event with no end given
    rrule: str | None = None  # local form, for python-dateutil
    feed_rrule: dict[str, Any] | None = None  # RFC 5545 form (UNTIL in UTC), for icalendar
    exdates: list[dt.datetime] = field(default_factory=list)
    cancelled_dates: list[dt.datetime] = field(default_factory=list)  # dates of a series called off
    rule_text: str = ""  # the series' rule in Swedish words, for its page: "Varannan onsdag kl. 18.00"
    status: str = "confirmed"
    members_only: bool = False
    listed: bool = True  # status: hidden keeps the page but leaves it out of lists and feeds
    venue: dict[str, Any] | None = None
    place: str | None = None  # free-text location when it is not a venue
    category: dict[str, Any] | None = None
    signup: str | None = None
    summary: str = ""  # HTML
    content: str = ""  # HTML
    slug: str = ""
    url: str = ""  # relative to the site root, ends with "/"
    ics_url: str = ""
    uid: str = ""
    sequence: int = 0
    changed: dt.datetime | None = None  # aware; last revision, for DTSTAMP and LAST-MODIFIED
    from_zetkin: bool = False
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def is_series(self) -> bool:
        return self.rrule is not None

    @property
    def location(self) -> str:
        """The place as one line of text, for lists and feeds."""
        if self.venue:
            return self.venue["name"]
        return self.place or ""

    @property
    def address(self) -> str:
        return (self.venue or {}).get("address", "")

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


@dataclass(frozen=True)
class Occurrence:
    """One date of an event. start and end are aware datetimes in the site's timezone."""

    event: Event
    start: dt.datetime
    end: dt.datetime | None  # exclusive; None when the writer gave no end
    date_cancelled: bool = False  # this date alone is called off (`cancelled:` in the file)

    # The attributes templates use, so that `occurrence.title` works like a page's.
    @property
    def title(self) -> str:
        return self.event.title

    @property
    def url(self) -> str:
        return self.event.url

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    @property
    def cancelled(self) -> bool:
        """The whole event is cancelled, or just this date of the series."""
        return self.event.cancelled or self.date_cancelled

    @property
    def location(self) -> str:
        return self.event.location

    @property
    def venue(self) -> dict[str, Any] | None:
        return self.event.venue

    @property
    def category(self) -> dict[str, Any] | None:
        return self.event.category

    @property
    def signup(self) -> str | None:
        return self.event.signup

    @property
    def uid(self) -> str:
        return self.event.uid

    @property
    def last_day(self) -> dt.date:
        """The day an all-day occurrence ends on (inclusive), for "1–3 maj"."""
        if self.end is None:
            return self.start.date()
        return (self.end - dt.timedelta(days=1)).date() if self.all_day else self.end.date()

    @property
    def hide_after(self) -> dt.datetime:
        """When the visitor's clock should hide it: its end, or the end of its day."""
        if self.end is not None:
            return self.end
        next_day = self.start.date() + dt.timedelta(days=1)
        return dt.datetime.combine(next_day, dt.time(), self.start.tzinfo)

    @property
    def iso_start(self) -> str:
        """What the page's data-start holds: a date for all-day events, else a datetime."""
        return self.start.date().isoformat() if self.all_day else self.start.isoformat()

    @property
    def month(self) -> dt.date:
        return self.start.date().replace(day=1)
