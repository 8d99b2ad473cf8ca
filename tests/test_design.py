"""The phone-first theme (issue 15), measured in Chromium on the demo site.

A visitor on a 390x844 phone: the header leaves the screen to the content, the menu
opens from the keyboard with JavaScript off, the coming events come before the news,
dark mode keeps its contrast, and no page costs more than 40 KB before its images.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import format_violations, run_axe
from playwright.sync_api import Browser, BrowserContext, Page

PHONE = {"width": 390, "height": 844}
COMPUTER = {"width": 1280, "height": 800}
BUDGET = 40 * 1024
# One page of each kind a visitor meets, by the build's own template marks.
KINDS = ("home", "article", "index", "calendar", "event", "plan", "report", "page")


def first_page(output: Path, template: str) -> str:
    mark = f'<body data-template="{template}"'
    # Shortest address first: /kalender/ rather than a category's /kalender/pub/.
    for path in sorted(output.rglob("index.html"), key=lambda p: (len(p.parts), str(p))):
        if mark in path.read_text(encoding="utf-8", errors="replace"):
            return "/" + path.relative_to(output).as_posix().removesuffix("index.html")
    raise AssertionError(f"no page made with {template}.html in the demo site")


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE)
    yield context
    context.close()


def test_phone_header_takes_at_most_12_percent_of_the_screen(demo_output: Path, serve, phone: BrowserContext) -> None:
    base = serve(demo_output)
    page = phone.new_page()
    for kind in KINDS:
        page.goto(base + first_page(demo_output, kind))
        height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
        assert height <= 0.12 * PHONE["height"], f"{kind}: header is {height:.0f} px of {PHONE['height']}"


def test_menu_opens_from_the_keyboard_without_javascript(demo_output: Path, serve, browser: Browser) -> None:
    base = serve(demo_output)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/om-oss/")
        menu_link = page.locator(".menu-phone nav a").first
        assert not menu_link.is_visible(), "the menu starts closed"
        button = page.locator(".menu-phone summary")
        assert button.inner_text().strip() == "Meny", "the button says what it is"
        for _ in range(5):  # skip link, the site's name, then the menu button
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY", "the menu button takes focus"
        page.keyboard.press("Enter")
        assert menu_link.is_visible(), "Enter opens the menu"
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused == menu_link.get_attribute("href"), "Tab goes into the menu's first link"
        assert page.locator(".nav-wide").is_hidden(), "one main menu at a time"
        page.locator(".menu-phone summary").press("Enter")
        assert not menu_link.is_visible(), "Enter closes it again"
    finally:
        context.close()


def test_computer_shows_the_menu_without_a_button(demo_output: Path, serve, browser: Browser) -> None:
    base = serve(demo_output)
    context = browser.new_context(viewport=COMPUTER)
    try:
        page = context.new_page()
        page.goto(base + "/")
        assert page.locator(".nav-wide a").first.is_visible()
        assert page.locator(".menu-phone").is_hidden()
    finally:
        context.close()


def test_home_shows_coming_events_before_the_news_on_a_phone(demo_output: Path, serve, phone: BrowserContext) -> None:
    base = serve(demo_output)
    page = phone.new_page()
    page.goto(base + "/")
    join = page.get_by_role("link", name="Bli medlem").first
    assert join.is_visible() and join.get_attribute("href").endswith("/bli-medlem/")
    assert page.locator("h1").inner_text().strip(), "the hero carries the page's one h1"
    event = page.locator(".home-events .card-title").first.bounding_box()
    news = page.locator(".news-card").first.bounding_box()
    assert event and news and event["y"] < news["y"], "the first event is above the first news card"
    assert page.locator(".home-events .event-card:visible").count() <= 3
    headings = page.eval_on_selector_all(
        "main h1, main h2", "els => els.map(e => e.tagName + ' ' + e.textContent.trim())"
    )
    assert headings[:3] == ["H1 " + page.locator("h1").inner_text().strip(), "H2 På gång", "H2 Senaste nytt"]


def test_headlines_are_not_underlined_blue_links(demo_output: Path, serve, phone: BrowserContext) -> None:
    base = serve(demo_output)
    page = phone.new_page()
    page.goto(base + "/nyheter/")
    title = page.locator(".news-card .card-title a").first
    style = title.evaluate("a => [getComputedStyle(a).textDecorationLine, getComputedStyle(a).color]")
    body = page.evaluate("getComputedStyle(document.body).color")
    assert style == ["none", body]


@pytest.mark.parametrize("size", [PHONE, COMPUTER], ids=["phone", "computer"])
def test_dark_mode_keeps_contrast(demo_output: Path, serve, browser: Browser, size: dict) -> None:
    base = serve(demo_output)
    context = browser.new_context(viewport=size, color_scheme="dark")
    try:
        page: Page = context.new_page()
        problems = []
        for kind in KINDS:
            page.goto(base + first_page(demo_output, kind))
            background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
            assert background == "rgb(18, 20, 23)", f"{kind} is not dark: {background}"
            violations = run_axe(page)
            if violations:
                problems.append(f"{kind}:\n{format_violations(violations)}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_every_page_weighs_at_most_40_kb_without_images(demo_output: Path, serve, phone: BrowserContext) -> None:
    base = serve(demo_output)
    page = phone.new_page()
    sizes: dict[str, int] = {}
    page.on(
        "response",
        lambda r: (
            sizes.__setitem__(r.url, len(r.body()))
            if r.request.resource_type in ("document", "stylesheet", "script")
            else None
        ),
    )
    over = []
    for kind in (*KINDS, "calendar_past", "reports", "plans", "tags", "404"):
        sizes.clear()
        url = first_page(demo_output, kind) if kind != "404" else "/404.html"
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        total = sum(sizes.values())
        assert total > 1000, f"{kind}: nothing measured"
        if total > BUDGET:
            over.append(f"{kind} ({url}): {total / 1024:.1f} KB: {sizes}")
    assert not over, "\n".join(over)


@pytest.mark.parametrize("kind", ["plan", "calendar"])
def test_print_shows_the_page_not_the_site_around_it(
    demo_output: Path, serve, phone: BrowserContext, kind: str
) -> None:
    base = serve(demo_output)
    page = phone.new_page()
    page.goto(base + first_page(demo_output, kind))
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".calendar-subscribe"):
        if page.locator(hidden).count():
            assert page.locator(hidden).is_hidden(), f"{hidden} is printed"
    assert page.locator("main h1").is_visible()
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
