"""The members' area in headless Chromium: unlock, remember, log out, links, downloads, axe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browser import format_violations, record_external_requests, record_page_errors, run_axe
from playwright.sync_api import Page, expect

from foreningssajt.members.staticrypt import derive_key

DEMO_PASSWORD = "demo-medlem-2026"
MINUTES = "/medlem/protokoll/2026-03-04-styrelse/"
MINUTES_TITLE = "Protokoll styrelsemöte 4 mars 2026"
ATTACHMENT = "styrelseprotokoll-signerat-2026-03-04.pdf"
UNLOCK_TIMEOUT = 15_000  # 600,000 PBKDF2 rounds in WebCrypto, on a slow CI machine

pytestmark = pytest.mark.slow


@pytest.fixture
def base(members_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(members_site / "output")


def unlock(page: Page, password: str = DEMO_PASSWORD) -> None:
    page.fill("#members-password", password)
    page.press("#members-password", "Enter")


def expect_unlocked(page: Page, title: str) -> None:
    expect(page.locator("#members-content h1")).to_have_text(title, timeout=UNLOCK_TIMEOUT)
    expect(page.locator("#members-locked")).to_be_hidden()
    expect(page.locator("#members-logout")).to_be_visible()


def test_unlock_and_open_a_second_page_without_typing(page: Page, base: str) -> None:
    external = record_external_requests(page, base)
    errors = record_page_errors(page)
    page.goto(base + MINUTES)
    expect(page.locator(".members-demo")).to_contain_text("Demobygge")
    expect(page.locator("#members-content")).to_be_empty()
    unlock(page)
    expect_unlocked(page, MINUTES_TITLE)
    expect(page.locator("#members-content")).to_contain_text("48 312 kronor")
    # Focus moves to the text that appeared, for screen reader users.
    assert page.evaluate("document.activeElement.tagName") == "H1"

    page.get_by_role("link", name="Alla medlemssidor").click()
    expect_unlocked(page, "Medlemssidor")
    expect(page.locator("#members-content")).to_contain_text("Extra medlemsbrev om kongressombuden")
    assert page.input_value("#members-password") == ""  # nobody typed here
    assert external == [] and errors == []


def test_wrong_password_says_so_and_keeps_focus(page: Page, base: str) -> None:
    page.goto(base + MINUTES)
    unlock(page, "fel-lösenord")
    error = page.locator("#members-error")
    expect(error).to_be_visible(timeout=UNLOCK_TIMEOUT)
    expect(error).to_have_text("Fel lösenord. Försök igen.")
    assert page.evaluate("document.activeElement.id") == "members-password"
    expect(page.locator("#members-content")).to_be_empty()
    unlock(page)  # and the right one still works afterwards
    expect_unlocked(page, MINUTES_TITLE)
    expect(error).to_be_hidden()


def test_log_out_forgets_the_password(page: Page, base: str) -> None:
    page.goto(base + MINUTES)
    unlock(page)
    expect_unlocked(page, MINUTES_TITLE)
    page.click("#members-logout")
    expect(page.locator("#members-locked")).to_be_visible()
    expect(page.locator("#members-content")).to_be_empty()
    page.goto(base + "/medlem/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)  # give a (wrong) automatic unlock its chance
    expect(page.locator("#members-locked")).to_be_visible()
    expect(page.locator("#members-content")).to_be_empty()


def test_staticrypt_pwd_link_unlocks_and_leaves_the_address_bar(page: Page, members_site: Path, base: str) -> None:
    salt = (members_site / "members-salt.txt").read_text().strip()
    page.goto(f"{base}/medlem/#staticrypt_pwd={derive_key(DEMO_PASSWORD, salt)}")
    expect_unlocked(page, "Medlemssidor")
    assert page.url == base + "/medlem/"


def test_attachment_download_has_the_source_bytes(page: Page, members_site: Path, base: str) -> None:
    page.goto(base + MINUTES)
    unlock(page)
    expect_unlocked(page, MINUTES_TITLE)
    with page.expect_download() as info:
        page.get_by_role("link", name=ATTACHMENT).click()
    download = info.value
    assert download.suggested_filename == ATTACHMENT
    source = members_site / "content/members/minutes" / ATTACHMENT
    assert Path(download.path()).read_bytes() == source.read_bytes()


@pytest.mark.parametrize("url", [MINUTES, "/medlem/"])
def test_no_axe_violations_locked_or_unlocked(page: Page, base: str, url: str) -> None:
    page.goto(base + url)
    violations = run_axe(page)
    assert violations == [], "locked: " + format_violations(violations)
    unlock(page, "fel-lösenord")
    expect(page.locator("#members-error")).to_be_visible(timeout=UNLOCK_TIMEOUT)
    violations = run_axe(page)
    assert violations == [], "wrong password: " + format_violations(violations)
    unlock(page)
    expect(page.locator("#members-content h1")).to_be_visible(timeout=UNLOCK_TIMEOUT)
    violations = run_axe(page)
    assert violations == [], "unlocked: " + format_violations(violations)
