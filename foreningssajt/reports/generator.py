"""Reads content/reports/ and writes the reports' pages and feeds.

/rapporter/                               latest reports, committees and representatives
/rapporter/<committee>/                   the committee's meetings, before and after side by side
/rapporter/<committee>/<meeting>-fore/    one report (-efter/ for the after report)
/rapporter/person/<person>/               one representative's reports
/rapporter.atom, /rapporter/<committee>.atom
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.generators import Generator

from foreningssajt.content_rules.reading import place, read_folder
from foreningssajt.siteconfig.errors import relative
from foreningssajt.siteconfig.session import session_of
from foreningssajt.theme_i18n.catalogues import translations_for

from . import grouping, validation
from .feeds import report_feed, write_feed
from .model import Report

REPORTS_URL = "rapporter/"
LATEST_COUNT = 10
PHASE_SLUGS = {grouping.BEFORE: "fore", grouping.AFTER: "efter"}


def report_url(committee: str, meeting: Any, phase: str) -> str:
    return f"{REPORTS_URL}{committee}/{meeting.isoformat()}-{PHASE_SLUGS[phase]}/"


def committee_url(committee: str) -> str:
    return f"{REPORTS_URL}{committee}/"


def person_url(person: str) -> str:
    return f"{REPORTS_URL}person/{person}/"


def person_entry(people: dict[str, Any], pid: str) -> dict[str, Any]:
    """site.yml's entry for a person; an id site.yml lacks stands for itself (the reader refuses those)."""
    return people.get(pid, {"id": pid, "name": pid})


def feed_url(committee: str | None = None) -> str:
    return f"{REPORTS_URL}{committee}.atom" if committee else REPORTS_URL.rstrip("/") + ".atom"


class ReportsGenerator(Generator):
    """Reads content/reports/, checks the reports against each other, pairs and groups them."""

    def generate_context(self) -> None:
        committees, people = self.settings["COMMITTEES"], self.settings["PEOPLE"]
        pages = [page for page in read_folder(self, "reports") if page.status == "published"]
        reports = [self._describe(page, committees, people) for page in pages]
        meetings, duplicates = grouping.pair_meetings(reports)
        self._check(reports, duplicates, committees)
        # A duplicate is reported and left out, so it cannot overwrite the report it repeats.
        second_ones = {id(second) for second, _ in duplicates}
        reports = [r for r in reports if id(r) not in second_ones]
        for meeting in meetings:
            for item in meeting.reports:
                item.twin = grouping.twin(meeting, item)
                item.meeting_group = meeting
        self.reports = grouping.newest_first(reports)
        self.meetings = grouping.by_committee(meetings)
        self.people = grouping.by_person(reports)
        self.context.update(
            reports=self.reports,
            REPORTS_URL=REPORTS_URL,
            REPORTS_FEED=feed_url(),
        )

    def _describe(self, page: Any, committees: dict, people: dict) -> Report:
        """The report with its URL and the names the templates show."""
        committee, meeting, phase, author = page.committee, page.meeting, page.phase, str(page.author)
        place(page, report_url(committee, meeting, phase))
        return Report(
            page=page,
            shown_path=relative(page.source_path, Path(self.settings["PATH"]).parent),
            committee=committee,
            committee_name=committees.get(committee, {}).get("name", committee),
            committee_url=committee_url(committee),
            meeting=meeting,
            phase=phase,
            author=author,
            person=person_entry(people, author),
            person_url=person_url(author),
        )

    def _check(self, reports: list[Report], duplicates: list, committees: dict) -> None:
        for error in validation.reserved_committee_ids(committees):
            session_of(self.settings).problems.add(error)
        for item in reports:
            error = validation.after_report_too_early(item)
            if error:
                session_of(self.settings).problems.add(error)
        for second, first in duplicates:
            session_of(self.settings).problems.add(validation.duplicate(second, first))

    def generate_output(self, writer: Any) -> None:
        write = self._writer(writer)
        for item in self.reports:
            write(item.save_as, "report", page_url=item.url, report=item)
        committees = self.settings["COMMITTEES"]
        for cid, committee in committees.items():
            meetings = self.meetings.get(cid, [])
            write(
                committee_url(cid) + "index.html",
                "report_committee",
                page_url=committee_url(cid),
                committee=committee,
                meetings=meetings,
                committee_feed=feed_url(cid),
            )
        for pid, written in self.people.items():
            person = person_entry(self.settings["PEOPLE"], pid)
            write(
                person_url(pid) + "index.html",
                "report_person",
                page_url=person_url(pid),
                person=person,
                person_reports=written,
            )
        write(
            REPORTS_URL + "index.html",
            "reports",
            page_url=REPORTS_URL,
            latest_reports=self.reports[:LATEST_COUNT],
            committee_overview=self._overview(committees),
        )
        self._write_feeds(writer.output_path, committees)

    def _writer(self, writer: Any) -> Any:
        def write(save_as: str, template: str, **values: Any) -> None:
            writer.write_file(save_as, self.get_template(template), self.context, **values)

        return write

    def _overview(self, committees: dict) -> list[dict[str, Any]]:
        """Each committee with the people who report from it, for /rapporter/."""
        people = self.settings["PEOPLE"]
        overview = []
        for cid, committee in committees.items():
            meetings = self.meetings.get(cid, [])
            names = [person_entry(people, pid) for pid in grouping.representatives(meetings)]
            overview.append(
                {"committee": committee, "url": committee_url(cid), "meetings": len(meetings), "people": names}
            )
        return overview

    def _write_feeds(self, output_path: str, committees: dict) -> None:
        catalogue = translations_for(self.settings["DEFAULT_LANG"], str(Path(self.settings["THEME"]) / "translations"))
        site_name = self.settings["SITENAME"]

        def write(title: str, page_url: str, path: str, reports: list) -> None:
            feed = report_feed(
                title=f"{site_name} – {title}",
                site_url=self.settings["PUBLISH_SITEURL"],
                page_url=page_url,
                feed_url=path,
                reports=reports,
                people=self.settings["PEOPLE"],
                limit=self.settings.get("FEED_MAX_ITEMS"),
                language=self.settings["DEFAULT_LANG"],
            )
            write_feed(feed, output_path, path)

        write(catalogue.gettext("Politiska rapporter"), REPORTS_URL, feed_url(), self.reports)
        for cid, committee in committees.items():
            reports = [r for meeting in self.meetings.get(cid, []) for r in meeting.reports]
            write(committee["name"], committee_url(cid), feed_url(cid), reports)
