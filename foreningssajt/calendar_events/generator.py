"""The calendar: reads content/events/ (and Zetkin's stored events), writes pages and feeds.

Pages:  /kalender/  /kalender/<category>/  /kalender/tidigare/  /kalender/<year>/<slug>/
Feeds:  /kalender.ics  /kalender/<category>.ics  and one .ics per event beside its page.
Context for other templates and plugins: upcoming_events (public occurrences, home
page), members_events (members-only occurrences, for the members' area only).
The list pages also get the feed's addresses: calendar_feed_https (Google Calendar on
Android needs it), calendar_feed_webcal (iPhone), calendar_feed_google (Google's add
page, filled in) and calendar_feed_url (relative). Templates read event.rule_text
(the series' rule in Swedish words, "" when it cannot be said simply) and each
occurrence's cancelled (the whole event, or just that date: `cancelled:` in the file).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import urllib.parse
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from foreningssajt.content_rules.reading import read_folder
from foreningssajt.siteconfig.errors import Invalid, SiteError, relative
from foreningssajt.siteconfig.session import session_of

from .feeds import calendar_file
from .identity import ChangeTimes, event_uid, sequence_for
from .model import Event, Occurrence
from .parsing import EventErrors, EventParser
from .recurrence import MAX_PER_BUILD, expand
from .structured_data import event_json_ld
from .zetkin_data import load_zetkin_events

CALENDAR_URL = "kalender/"
PAST_URL = "kalender/tidigare/"
FEED = "kalender.ics"
HORIZON_DAYS = 365  # how far ahead the pages list a series' dates
NEXT_DATES = 12  # a series' page lists this many next dates


def by_month(occurrences: list[Occurrence]) -> list[tuple[dt.date, list[Occurrence]]]:
    return [(month, list(group)) for month, group in itertools.groupby(occurrences, key=lambda o: o.month)]


def webcal_url(site_url: str, path: str) -> str:
    """webcal:// makes phones offer to subscribe instead of importing once."""
    return "webcal://" + site_url.split("://", 1)[-1] + "/" + path


def google_calendar_url(feed_url: str) -> str:
    """Google Calendar's "add calendar" page with the feed filled in: Android's app cannot add one by URL."""
    return "https://calendar.google.com/calendar/r?cid=" + urllib.parse.quote(feed_url, safe="")


class CalendarGenerator(Generator):
    """Events to occurrences, pages and iCalendar feeds."""

    def generate_context(self) -> None:
        with session_of(self.settings).stats.stage("calendar"):
            self._generate_context()

    def _generate_context(self) -> None:
        self.zone = ZoneInfo(self.settings["TIMEZONE"])
        self.now = session_of(self.settings).now.astimezone(self.zone)
        self.categories: dict[str, dict] = self.settings.get("EVENT_CATEGORIES", {})
        self.host = self.settings["PUBLISH_SITEURL"].split("://", 1)[-1].split("/")[0]
        if "tidigare" in self.categories:
            message = "id:t 'tidigare' är sidan för gångna evenemang; välj ett annat"
            problem = SiteError("site.yml", "event_categories", message)
            session_of(self.settings).problems.add(problem)
        local = self._local_events()
        # A local event that links to its Zetkin page replaces Zetkin's copy of it.
        linked = {event.signup for event in local if event.signup}
        events = local + [event for event in self._zetkin_events() if event.signup not in linked]
        self._place(events)
        events = self._expand(events)
        self.public = [
            e for e in events if not (e.members_only or session_of(self.settings).inventory.is_protected(e.source))
        ]
        listed = [event for event in self.public if event.listed]
        self.upcoming, self.past = self._split(listed)
        members_upcoming, _ = self._split([event for event in events if event.members_only])
        self.context["upcoming_events"] = self.upcoming
        # For the members' area only (it encrypts what it shows); never used by public templates.
        self.context["members_events"] = members_upcoming
        self.context["CALENDAR_URL"] = CALENDAR_URL

    def _expand(self, events: list[Event]) -> list[Event]:
        """Each event's occurrences up to the horizon; a series with too many dates is left out, with one line."""
        days = self.settings.get("CALENDAR_HORIZON_DAYS", HORIZON_DAYS)
        until = (self.now + dt.timedelta(days=days)).replace(tzinfo=None)
        expanded, total = [], 0
        for event in events:
            try:
                event.occurrences = expand(event, self.zone, until)
            except Invalid as problem:
                session_of(self.settings).problems.add(problem.at(event.source, "recurrence"))
                continue
            total += len(event.occurrences)
            expanded.append(event)
        if total > MAX_PER_BUILD:
            message = "ger tillsammans {count} tillfällen, fler än {most}; sätt slut (UNTIL) på de längsta serierna"
            problem = SiteError("content/events", "recurrence", message, count=total, most=MAX_PER_BUILD)
            session_of(self.settings).problems.add(problem)
        return expanded

    def _local_events(self) -> list[Event]:
        parser = EventParser(self.settings, self.zone)
        site_root = Path(self.path).parent
        changes = ChangeTimes(site_root, relative(self.path, site_root) + "/events")
        events = []
        for item in read_folder(self, "events"):
            source = relative(Path(self.path) / item.source_relpath, site_root)
            try:
                event = parser.parse(item, source, item.source_relpath.replace(os.sep, "/"))
            except EventErrors as problems:
                for error in problems.errors:
                    session_of(self.settings).problems.add(error)
                continue
            if event is None:
                continue
            event.uid = event_uid(event.key, self.host)
            changed = changes.changed(source)
            modified = item.metadata.get("modified")
            if isinstance(modified, dt.datetime):  # `modified:` may only move it later
                modified = modified if modified.tzinfo else modified.replace(tzinfo=self.zone)
                changed = max(changed, modified.astimezone(dt.UTC))
            event.changed, event.sequence = changed, sequence_for(changed)
            events.append(event)
        return events

    def _zetkin_events(self) -> list[Event]:
        organisation = (self.settings.get("SITE", {}).get("zetkin") or {}).get("organisation")
        venues = self.settings.get("VENUES", {})
        session = session_of(self.settings)
        events, problems = load_zetkin_events(Path(self.path).parent, organisation, venues, self.zone, session.now)
        session.problems.extend(problems)
        for event in events:
            event.uid = event_uid(event.key, self.host)
            event.changed = event.changed or session.now
        return events

    def _place(self, events: list[Event]) -> None:
        """URLs by the first date's year and the file's slug; two events in one place is a mistake."""
        seen: dict[str, Event] = {}
        for event in events:
            event.url = f"{CALENDAR_URL}{event.start.year}/{event.slug}/"
            event.ics_url = f"{event.url}{event.slug}.ics"
            if event.members_only:
                continue
            other = seen.setdefault(event.url, event)
            if other is not event:
                message = "skulle skriva över {other}; byt namn på den ena filen eller sätt slug:"
                session_of(self.settings).problems.add(SiteError(event.source, "", message, other=other.source))

    def _split(self, events: list[Event]) -> tuple[list[Occurrence], list[Occurrence]]:
        """(upcoming from the earliest, past from the latest) occurrences of the events."""
        occurrences = sorted(
            (o for event in events for o in event.occurrences), key=lambda o: (o.start, o.title, o.uid)
        )
        upcoming = [o for o in occurrences if o.hide_after > self.now]
        past = [o for o in reversed(occurrences) if o.hide_after <= self.now]
        return upcoming, past

    # ---- output -------------------------------------------------------------------

    def generate_output(self, writer: Any) -> None:
        with session_of(self.settings).stats.stage("calendar"):
            self._generate_output(writer)

    def _generate_output(self, writer: Any) -> None:
        self._serialised_events: dict = {}  # this build's events as iCalendar bytes (feeds.event_ical)
        common = {
            "calendar_built": self.now,
            "calendar_categories": list(self.categories.values()),
            "past_url": PAST_URL,
        }
        self._write_lists(writer, common)
        for event in self.public:
            self._write_event(writer, event, common)
        self._write_feeds()

    def _feed_links(self, feed: str) -> dict[str, str]:
        """The feed's addresses: webcal:// for iPhone and Mac, https:// for Google Calendar (Android)."""
        site_url = self.settings["PUBLISH_SITEURL"]
        return {
            "calendar_feed_url": feed,
            "calendar_feed_webcal": webcal_url(site_url, feed),
            "calendar_feed_https": f"{site_url}/{feed}",
            "calendar_feed_google": google_calendar_url(webcal_url(site_url, feed)),
        }

    def _write_page(self, writer: Any, url: str, template: str, **values: Any) -> None:
        writer.write_file(url + "index.html", self.get_template(template), self.context, page_url=url, **values)

    def _write_lists(self, writer: Any, common: dict[str, Any]) -> None:
        everything = {**common, **self._feed_links(FEED)}
        self._write_page(writer, CALENDAR_URL, "calendar", months=by_month(self.upcoming), category=None, **everything)
        for category in self.categories.values():
            chosen = [o for o in self.upcoming if o.category and o.category["id"] == category["id"]]
            links = self._feed_links(f"{CALENDAR_URL}{category['id']}.ics")
            url = f"{CALENDAR_URL}{category['id']}/"
            self._write_page(writer, url, "calendar", months=by_month(chosen), category=category, **common, **links)
        self._write_page(writer, PAST_URL, "calendar_past", months=by_month(self.past), **common)

    def _write_event(self, writer: Any, event: Event, common: dict[str, Any]) -> None:
        upcoming = [o for o in event.occurrences if o.hide_after > self.now]
        shown = upcoming or event.occurrences[-1:]  # a past event's page still describes it
        json_ld = event_json_ld(shown, self.settings["SITE"], self.settings["PUBLISH_SITEURL"]) if shown else ""
        values = {"event": event, "next_dates": upcoming[:NEXT_DATES], "shown": shown, "json_ld": json_ld}
        self._write_page(writer, event.url, "event", **values, **common)
        name = f"{event.title} – {self.settings['SITENAME']}"
        self._write_bytes(
            event.ics_url, calendar_file([event], self.settings, self.zone, name, self._serialised_events)
        )

    def _write_feeds(self) -> None:
        listed = [event for event in self.public if event.listed]
        name = f"{self.settings['SITENAME']} – kalender"
        self._write_bytes(FEED, calendar_file(listed, self.settings, self.zone, name, self._serialised_events))
        for category in self.categories.values():
            chosen = [e for e in listed if e.category and e.category["id"] == category["id"]]
            feed = calendar_file(
                chosen, self.settings, self.zone, f"{name}: {category['name']}", self._serialised_events
            )
            self._write_bytes(f"{CALENDAR_URL}{category['id']}.ics", feed)

    def _write_bytes(self, name: str, data: bytes) -> None:
        path = Path(self.output_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
