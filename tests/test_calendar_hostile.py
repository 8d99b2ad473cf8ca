"""Titles that try to break the event page or the .ics, and the Swedish ways of writing an event.

One small site built once: a Zetkin event titled `Möte <!--<script> fortsätter` (which
once blanked the page: the JSON-LD block swallowed it), a local event with a bare CR
in its title (which once reached NAME/X-WR-CALNAME/SUMMARY raw), and an event written
the way Swedes write it: `18.00`, `folkets hus`, `2 timmar`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CALENDAR_NOW
from playwright.sync_api import Page
from sitebuild import REPO, build_site, make_site

SCRIPT_TITLE = "Möte <!--<script> fortsätter"
ZETKIN = {
    "organisation": 4321,
    "events": [
        {
            "id": 8001,
            "title": SCRIPT_TITLE,
            "info_text": "Text efter titeln </script><b>fet</b> & mer.",
            "start_time": "2026-10-08T16:00:00+00:00",
            "end_time": "2026-10-08T18:00:00+00:00",
            "location": "Stortorget",
            "cancelled": False,
            "url": "https://app.zetkin.org/o/4321/events/8001",
            "sequence": 0,
            "changed": "2026-09-01T10:00:00+00:00",
        }
    ],
}
FILES = {
    "events/svenska.md": "---\ntitle: Svenskt skrivsätt\nstart: 2026-10-01 18.00\nduration: 2 timmar\n"
    "location: folkets hus\n---\nText.\n",
    "events/radbrytning.md": '---\ntitle: "Möte\\rmed vagnretur"\nstart: 2026-10-02 19:00\n---\nText.\n',
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_yml = (REPO / "site.yml").read_text(encoding="utf-8").replace("organisation: null", "organisation: 4321")
    root = make_site(tmp_path_factory.mktemp("hostile") / "site", FILES, site_yml=site_yml)
    (root / "data").mkdir()
    (root / "data/zetkin-events.json").write_text(json.dumps(ZETKIN, ensure_ascii=False), encoding="utf-8")
    result = build_site(root=root, search=False, now=CALENDAR_NOW, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_json_ld_escapes_what_could_end_or_change_its_script(site: Path) -> None:
    page = (site / "kalender/2026/zetkin-8001/index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003c!--\\u003cscript\\u003e" in block
    assert json.loads(block)["name"] == SCRIPT_TITLE  # the same data, escaped
    assert page.count("</script>") == page.count("<script")


def test_the_page_of_a_script_like_title_still_shows_in_chromium(
    site: Path, serve: Callable[[Path], str], page: Page
) -> None:
    base = serve(site)
    page.goto(f"{base}/kalender/2026/zetkin-8001/")
    assert page.locator("h1").inner_text() == SCRIPT_TITLE
    assert page.get_by_text("Text efter titeln").is_visible()
    assert page.locator("footer").count() >= 1 and page.locator("footer").first.is_visible()


def test_a_bare_cr_in_a_title_never_reaches_the_ics(site: Path) -> None:
    raw = (site / "kalender/2026/radbrytning/radbrytning.ics").read_bytes()
    assert b"\r" not in raw.replace(b"\r\n", b""), "a CR outside a line ending"
    text = raw.decode("utf-8").replace("\r\n ", "")
    assert "SUMMARY:Möte med vagnretur" in text
    assert "NAME:Möte med vagnretur – " in text and "X-WR-CALNAME:Möte med vagnretur – " in text
    assert b"\r" not in (site / "kalender.ics").read_bytes().replace(b"\r\n", b"")


def test_18_00_folkets_hus_and_2_timmar_are_understood(site: Path) -> None:
    page = (site / "kalender/2026/svenska/index.html").read_text(encoding="utf-8")
    shown = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "kl. 18:00–20:00" in shown
    assert "Storgatan 12, Björkvik" in shown and "Hörslinga finns" in shown
