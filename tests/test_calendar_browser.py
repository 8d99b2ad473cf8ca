"""The calendar in Chromium: accessibility (axe-core), no other hosts, and the today filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from browser import format_violations, record_external_requests, record_page_errors, run_axe
from playwright.sync_api import Browser, Page

PAGES = [
    "/kalender/",
    "/kalender/pub/",
    "/kalender/tidigare/",
    "/kalender/2026/medlemsmote/",
    "/kalender/2026/torgmote-installt/",
    "/kalender/2027/kvinnodagen/",
    "/",
]
VISIBLE_STARTS = (
    "() => [...document.querySelectorAll('li[data-start]')].filter(li => !li.hidden).map(li => li.dataset.start)"
)


@pytest.fixture
def base(calendar_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(calendar_site / "output")


@pytest.mark.parametrize("path", PAGES)
def test_calendar_pages_pass_axe_and_stay_on_our_host(page: Page, base: str, path: str) -> None:
    external = record_external_requests(page, base)
    errors = record_page_errors(page)
    page.goto(base + path)
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    assert external == []
    assert errors == []


def at(page: Page, moment: str) -> None:
    """The visitor's clock, for the page's scripts."""
    page.clock.set_fixed_time(dt.datetime.fromisoformat(moment))


def test_what_passed_after_the_build_is_hidden_by_the_visitors_clock(page: Page, base: str) -> None:
    at(page, "2026-10-02T12:00:00+02:00")  # the build was made on 15 September
    page.goto(base + "/kalender/")
    starts = page.evaluate(VISIBLE_STARTS)
    assert starts[0] == "2026-10-03T11:00:00+02:00"  # the cancelled meeting is still to come, marked
    assert "2026-09-25T19:00:00+02:00" not in starts and "2026-10-01T18:30:00+02:00" not in starts
    assert page.locator("#month-2026-09").is_hidden()
    assert page.locator("#month-2026-10").is_visible()
    assert page.get_by_text("Inga kommande aktiviteter just nu.").is_hidden()


def test_an_entry_stays_until_it_has_ended(page: Page, base: str) -> None:
    at(page, "2026-10-01T20:00:00+02:00")  # the member meeting runs 18:30–20:30
    page.goto(base + "/kalender/")
    assert page.evaluate(VISIBLE_STARTS)[0] == "2026-10-01T18:30:00+02:00"


def test_when_everything_has_passed_the_page_says_so(page: Page, base: str) -> None:
    at(page, "2030-01-01T12:00:00+01:00")
    page.goto(base + "/kalender/")
    assert page.evaluate(VISIBLE_STARTS) == []
    assert page.get_by_text("Inga kommande aktiviteter just nu.").is_visible()
    assert page.get_by_text("Listan uppdaterades 15 september 2026.").is_visible()


def test_home_page_still_shows_as_many_coming_up_after_hiding_what_passed(page: Page, base: str) -> None:
    at(page, "2026-10-02T12:00:00+02:00")
    page.goto(base + "/")
    limit = int(page.locator(".upcoming").get_attribute("data-calendar-limit"))
    items = page.locator(".upcoming li")
    visible = [items.nth(i) for i in range(items.count()) if items.nth(i).is_visible()]
    assert len(visible) == limit >= 3
    assert "Pubkväll" not in visible[0].inner_text()  # 25 September has passed


def test_without_javascript_the_build_time_list_is_shown(browser: Browser, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/kalender/")
        assert page.locator("#month-2026-09").is_visible()
        assert page.locator("li[data-start='2026-09-25T19:00:00+02:00']").is_visible()
        assert page.get_by_text("Listan uppdaterades 15 september 2026.").is_visible()
    finally:
        context.close()
