"""`make zetkin` (tools/zetkin.py) against a recorded API answer served on 127.0.0.1, never the network.

tests/fixtures/zetkin/v1/orgs/4321/actions has the shape of Zetkin's API v1
/orgs/<org>/actions answer (docs/zetkin.md), with a cancelled, an unpublished and a
not-yet-published event in it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CALENDAR_NOW
from sitebuild import REPO, build_site, make_site

RECORDED = Path(__file__).parent / "fixtures" / "zetkin"
DATA = "data/zetkin-events.json"


def site_for(root: Path, organisation: str = "4321") -> Path:
    site_yml = (
        (REPO / "site.yml").read_text(encoding="utf-8").replace("organisation: null", f"organisation: {organisation}")
    )
    return make_site(root, {}, site_yml=site_yml)


def fetch(site: Path, base: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(REPO / "tools" / "zetkin.py"), "--root", str(site), "--base-url", base]
    return subprocess.run([*command, "--timeout", "5"], capture_output=True, text=True, timeout=60, check=False)


def stored(site: Path) -> dict:
    return json.loads((site / DATA).read_text(encoding="utf-8"))


@pytest.fixture
def zetkin(serve: Callable[[Path], str]) -> str:
    return serve(RECORDED)


def test_fetch_keeps_published_events_with_the_fields_we_use(tmp_path: Path, zetkin: str) -> None:
    site = site_for(tmp_path / "site")
    result = fetch(site, zetkin)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    assert "3 events (1 cancelled, 2 unpublished left out)" in result.stdout
    data = stored(site)
    assert data["organisation"] == 4321
    events = {event["id"]: event for event in data["events"]}
    assert list(events) == [5102, 5277, 5390]  # by start time; 5400 and 5401 are not published
    assert events[5102] == {
        "id": 5102,
        "title": "Lördagar på torget",
        "info_text": "Vi står vid fontänen.\n\nTa med varma kläder; det blåser ofta.",
        "start_time": "2026-10-03T08:00:00+00:00",
        "end_time": "2026-10-03T12:00:00+00:00",
        "location": "Stortorget",
        "cancelled": False,
        "url": "https://app.zetkin.org/o/4321/events/5102",
        "sequence": 0,
        "changed": events[5102]["changed"],
    }
    assert events[5277]["title"] == "Dörrknackning"  # no title of its own: the activity's
    assert events[5277]["location"] is None and events[5277]["start_time"] == "2026-10-24T08:00:00+00:00"
    assert events[5390]["cancelled"] is True
    assert "Hemlig planering" not in (site / DATA).read_text(encoding="utf-8")


def test_a_second_fetch_changes_nothing_and_a_changed_event_gets_a_higher_sequence(
    tmp_path: Path, serve: Callable[[Path], str]
) -> None:
    recorded = tmp_path / "zetkin"
    shutil.copytree(RECORDED, recorded)
    base = serve(recorded)
    site = site_for(tmp_path / "site")
    assert fetch(site, base).returncode == 0
    first = (site / DATA).read_bytes()

    again = fetch(site, base)
    assert again.returncode == 0 and "already up to date" in again.stdout
    assert (site / DATA).read_bytes() == first

    answer = recorded / "v1/orgs/4321/actions"
    answer.write_text(answer.read_text(encoding="utf-8").replace("Lördagar på torget", "Lördag på torget"))
    assert fetch(site, base).returncode == 0
    sequences = {event["id"]: event["sequence"] for event in stored(site)["events"]}
    assert sequences == {5102: 1, 5277: 0, 5390: 0}


@pytest.mark.parametrize("answer", [None, "<html>Underhåll</html>", '{"data": {"not": "a list"}}', '{"data": [{}]}'])
def test_a_failed_fetch_leaves_the_data_file_untouched_and_says_why(
    tmp_path: Path, serve: Callable[[Path], str], answer: str | None
) -> None:
    served = tmp_path / "served"
    if answer is not None:
        (served / "v1/orgs/4321").mkdir(parents=True)
        (served / "v1/orgs/4321/actions").write_text(answer, encoding="utf-8")
    else:
        served.mkdir()  # nothing there: Zetkin answers 404
    site = site_for(tmp_path / "site")
    (site / "data").mkdir()
    (site / DATA).write_text('{"organisation": 4321, "events": []}\n', encoding="utf-8")
    before = (site / DATA).read_bytes()

    result = fetch(site, serve(served))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Zetkin: ") and lines[0].endswith("is unchanged.")
    assert (site / DATA).read_bytes() == before


def test_unreachable_zetkin_is_one_line(tmp_path: Path) -> None:
    site = site_for(tmp_path / "site")
    result = fetch(site, "http://127.0.0.1:9")  # the discard port: nothing listens
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "could not reach" in result.stderr
    assert not (site / DATA).exists()


def test_no_organisation_in_site_yml_says_what_to_write(tmp_path: Path) -> None:
    result = fetch(site_for(tmp_path / "site", organisation="null"), "http://127.0.0.1:9")
    assert result.returncode == 1
    assert result.stderr.strip() == "site.yml: zetkin: organisation: not set; write your Zetkin organisation's number"


def test_fetched_events_reach_the_calendar_with_their_zetkin_links(tmp_path: Path, zetkin: str) -> None:
    site = site_for(tmp_path / "site")
    assert fetch(site, zetkin).returncode == 0
    result = build_site(root=site, search=False, now=CALENDAR_NOW, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 0, result.stderr
    output = site / "output"
    page = (output / "kalender/2026/zetkin-5102/index.html").read_text(encoding="utf-8")
    assert 'href="https://app.zetkin.org/o/4321/events/5102"' in page
    assert "Stortorget, Björkvik" in page  # a Zetkin location named like a venue gets its address
    assert "Steglös entré" in page
    listing = (output / "kalender/index.html").read_text(encoding="utf-8")
    assert "Inställt:</span> <a" in listing and "Flygblad vid stationen" in listing
    ics = (output / "kalender.ics").read_text(encoding="utf-8")
    assert "STATUS:CANCELLED" in ics
    assert "Hemlig planering" not in ics and "Hemlig planering" not in listing
