"""Reports grouped by meeting, committee and person, and the checks across reports."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from foreningssajt.reports import grouping, validation

ZONE = ZoneInfo("Europe/Stockholm")


def rep(name: str, committee: str, meeting: str, phase: str, written: str, author: str = "anna") -> SimpleNamespace:
    """A stand-in with the attributes a report page has after reading."""
    return SimpleNamespace(
        source_path=f"/site/content/reports/{name}.md",
        shown_path=f"content/reports/{name}.md",
        committee=committee,
        meeting=dt.date.fromisoformat(meeting),
        phase=phase,
        date=dt.datetime.fromisoformat(written).replace(tzinfo=ZONE),
        author=author,
    )


def test_before_and_after_pair_up_and_meetings_are_newest_first() -> None:
    feb_before = rep("a", "ks", "2026-02-10", "before", "2026-02-06 16:00")
    feb_after = rep("b", "ks", "2026-02-10", "after", "2026-02-11 09:00")
    may_before = rep("c", "ks", "2026-05-12", "before", "2026-05-08 12:00")
    bun_after = rep("d", "bun", "2026-03-18", "after", "2026-03-18 21:00", author="bo")
    meetings, duplicates = grouping.pair_meetings([feb_after, bun_after, may_before, feb_before])
    assert duplicates == []
    assert [(m.committee, m.date.isoformat()) for m in meetings] == [
        ("ks", "2026-05-12"),
        ("bun", "2026-03-18"),
        ("ks", "2026-02-10"),
    ]
    may, bun, feb = meetings
    assert (feb.before, feb.after) == (feb_before, feb_after)
    assert (may.before, may.after) == (may_before, None)
    assert (bun.before, bun.after) == (None, bun_after)
    assert grouping.twin(feb, feb_before) is feb_after
    assert grouping.twin(feb, feb_after) is feb_before
    assert grouping.twin(may, may_before) is None
    assert feb.anchor == "mote-2026-02-10"


def test_same_date_in_two_committees_are_two_meetings() -> None:
    meetings, _ = grouping.pair_meetings(
        [
            rep("a", "ks", "2026-02-10", "before", "2026-02-01 10:00"),
            rep("b", "son", "2026-02-10", "before", "2026-02-01 10:00"),
        ]
    )
    assert len(meetings) == 2
    assert set(grouping.by_committee(meetings)) == {"ks", "son"}


def test_a_second_report_for_the_same_meeting_and_phase_is_a_duplicate() -> None:
    first = rep("ks-a", "ks", "2026-02-10", "after", "2026-02-11 09:00")
    second = rep("ks-b", "ks", "2026-02-10", "after", "2026-02-12 09:00")
    meetings, duplicates = grouping.pair_meetings([second, first])
    assert duplicates == [(second, first)], "the file whose name sorts first keeps its place"
    assert meetings[0].after is first
    error = validation.duplicate(second, first)
    assert str(error) == (
        "content/reports/ks-b.md: phase: content/reports/ks-a.md är redan efter-rapporten för sammanträdet i ks "
        "den 2026-02-10; kontrollera 'meeting' och 'phase', eller slå ihop de två filerna"
    )


def test_after_report_dated_before_its_meeting_is_an_error() -> None:
    early = rep("early", "ks", "2026-02-10", "after", "2026-02-09 20:00")
    error = validation.after_report_too_early(early)
    assert error is not None
    assert str(error).startswith("content/reports/early.md: date: 2026-02-09 är före sammanträdet (2026-02-10)")
    assert "\n" not in str(error)


def test_after_report_on_the_meeting_day_and_late_before_report_are_fine() -> None:
    assert validation.after_report_too_early(rep("x", "ks", "2026-02-10", "after", "2026-02-10 00:30")) is None
    assert validation.after_report_too_early(rep("y", "ks", "2026-02-10", "before", "2026-02-20 10:00")) is None


def test_by_person_and_representatives() -> None:
    a1 = rep("a1", "ks", "2026-02-10", "before", "2026-02-06 10:00", author="anna")
    a2 = rep("a2", "ks", "2026-05-12", "after", "2026-05-12 22:00", author="anna")
    b1 = rep("b1", "ks", "2026-05-12", "before", "2026-05-01 10:00", author="bo")
    grouped = grouping.by_person([a1, b1, a2])
    assert grouped == {"anna": [a2, a1], "bo": [b1]}
    meetings, _ = grouping.pair_meetings([a1, a2, b1])
    assert grouping.representatives(meetings) == ["bo", "anna"]


def test_newest_first_breaks_ties_by_meeting_then_phase() -> None:
    same_time = "2026-03-01 10:00"
    before = rep("p", "ks", "2026-03-01", "before", same_time)
    after = rep("q", "ks", "2026-03-01", "after", same_time)
    later_meeting = rep("r", "bun", "2026-03-05", "before", same_time)
    assert grouping.newest_first([before, after, later_meeting]) == [later_meeting, after, before]


def test_committee_id_that_clashes_with_the_person_pages_is_refused() -> None:
    errors = validation.reserved_committee_ids({"ks": {}, "person": {}})
    assert [str(e) for e in errors] == [
        "site.yml: committees: id ”person” används redan i rapportsidornas adresser; välj ett annat id"
    ]
