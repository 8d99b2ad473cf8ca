"""Shared pytest fixtures, in sections. Add yours in a section of its own.

Helpers that are plain functions (run_axe, run_vnu, serve_dir, ...) live in
tests/browser.py; import them with ``from browser import ...`` (tests/ is on the path
through pytest.ini's ``pythonpath``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM_ARGS, ENSURE_HINT, require_chromium, serve_dir
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

# Property tests check behaviour, not speed: a loaded 2-core CI machine must not turn
# a slow example into a failure.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")

# ======================================================================================
# Browser (Playwright driving Debian's chromium)
# ======================================================================================

# Tests that use these fixtures get the `browser` marker automatically, so that
# `pytest -m "not browser"` runs everything that needs no chromium.
_BROWSER_FIXTURES = {"playwright_instance", "browser", "page"}

# Playwright's default of 30 s per action makes a broken page take minutes to fail.
PAGE_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    """The Playwright sync API object, one per test session (per xdist worker)."""
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Headless Debian chromium, shared by the session. Fails (not skips) if missing."""
    executable = require_chromium()
    try:
        browser = playwright_instance.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as exc:  # any launch error gets the same advice
        pytest.fail(f"could not start {executable}: {exc}\n{ENSURE_HINT}", pytrace=False)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context and page per test, so no storage leaks between tests."""
    context = browser.new_context()
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


# ======================================================================================
# Local HTTP server
# ======================================================================================


@pytest.fixture
def serve() -> Iterator[Callable[[str | Path], str]]:
    """Factory: ``base = serve(path)`` serves a directory on 127.0.0.1 for this test.

    Returns the base URL without a trailing slash; servers stop at the end of the test.
    """
    with contextlib.ExitStack() as stack:
        yield lambda path: stack.enter_context(serve_dir(path))


# ======================================================================================
# Site builds
# ======================================================================================

# Built once per session, in this process (sitebuild.build_site): a test that needs one
# of these sites takes the fixture instead of building it again.


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's demo site, built once per session with the documented demo password.

    Tests read it; none may write to it.
    """
    output = tmp_path_factory.mktemp("demo") / "output"
    build_or_fail("the demo site does not build", output=output, env={"MEMBERS_PASSWORD": None, "BOARD_PASSWORD": None})
    return output


def build_or_fail(what: str, **options: Any) -> None:
    """Build with sitebuild.build_site; a session fixture whose site does not build fails loudly."""
    from sitebuild import build_site

    result = build_site(**options)
    if result.returncode != 0:
        pytest.fail(f"{what}:\n{result.stderr}", pytrace=False)


# A members' password that publishconf accepts; for tests only.
TEST_MEMBERS_PASSWORD = "Test-Medlemmar-Lösen-2026"
# The demo's site.yml has the level styrelse (issue 17): publishing needs its password too.
TEST_BOARD_PASSWORD = "Test-Styrelsen-Lösen-2026"


@pytest.fixture(scope="session")
def published_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built as `make publish` builds it (real SITEURL, feeds)."""
    output = tmp_path_factory.mktemp("published") / "output"
    build_or_fail(
        "the demo site does not build for publishing",
        output=output,
        publish=True,
        env={"MEMBERS_PASSWORD": TEST_MEMBERS_PASSWORD, "BOARD_PASSWORD": TEST_BOARD_PASSWORD},
    )
    return output


# ======================================================================================
# Members' area (tests/test_members_*.py, tests/test_leak_audit.py)
# ======================================================================================


@pytest.fixture(scope="session")
def members_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of tests/fixtures/members built once (demo password, search on).

    Returns the site folder; its build is in ``<site>/output``. Copied first, since a
    build writes its content cache into the site folder. Tests read it, never write.
    """
    import shutil

    site = tmp_path_factory.mktemp("members") / "site"
    shutil.copytree(Path(__file__).parent / "fixtures" / "members", site)
    # CALENDAR_NOW: the fixture's members-only event stays upcoming, so it is listed.
    build_or_fail(
        "the members' fixture site does not build",
        root=site,
        now="2026-09-15T12:00:00+02:00",
        env={"MEMBERS_PASSWORD": None},
    )
    return site


# ======================================================================================
# Calendar (tests/test_calendar*.py)
# ======================================================================================

# The calendar fixture is built as if it were this moment: before the October DST
# change, so that upcoming series cross it, and after some dates, so the archive has some.
CALENDAR_NOW = "2026-09-15T12:00:00+02:00"


@pytest.fixture(scope="session")
def calendar_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of tests/fixtures/calendar built once at CALENDAR_NOW (no search index).

    Returns the site folder; its build is in ``<site>/output``. Tests read it, never write.
    """
    import shutil

    site = tmp_path_factory.mktemp("calendar") / "site"
    shutil.copytree(Path(__file__).parent / "fixtures" / "calendar", site, ignore=shutil.ignore_patterns(".cache"))
    build_or_fail(
        "the calendar fixture site does not build",
        root=site,
        search=False,
        now=CALENDAR_NOW,
        env={"MEMBERS_PASSWORD": None},
    )
    return site


# ======================================================================================
# The StatiCrypt test vector made by the official tool (a copy in tests/fixtures/staticrypt/)
# ======================================================================================

VECTOR_PATH = Path(__file__).resolve().parent / "fixtures" / "staticrypt" / "vector.json"


@pytest.fixture(scope="session")
def vector() -> dict[str, str]:
    import json

    if not VECTOR_PATH.is_file():
        pytest.fail(f"StatiCrypt test vector missing: expected {VECTOR_PATH}")
    return json.loads(VECTOR_PATH.read_text(encoding="utf-8"))
