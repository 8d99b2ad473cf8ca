"""Whole-site checks with real tools: axe-core, the Nu HTML Checker, Chromium, a link walk."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser import format_violations, record_external_requests, run_axe, run_vnu

TEMPLATE = re.compile(r'<body data-template="([\w/-]+)"')


def pages_by_template(output: Path) -> dict[str, str]:
    """One URL path per template: every distinct page layout, found by the build's own marks."""
    found: dict[str, str] = {}
    for path in sorted(output.rglob("*.html")):
        match = TEMPLATE.search(path.read_text(encoding="utf-8", errors="replace"))
        if match and match.group(1) not in found:
            found[match.group(1)] = "/" + path.relative_to(output).as_posix().removesuffix("index.html")
    return found


def test_every_template_is_axe_clean_and_requests_nothing_from_other_hosts(demo_output: Path, serve, page) -> None:
    base = serve(demo_output)
    templates = pages_by_template(demo_output)
    assert {"home", "article", "page", "plan", "plans", "index", "tag", "tags", "archives", "404"} <= set(templates)
    problems = []
    external = record_external_requests(page, base)
    for template, url in templates.items():
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        violations = run_axe(page)
        if violations:
            problems.append(f"{template} ({url}):\n{format_violations(violations)}")
    assert not external, f"pages request other hosts: {external}"
    assert not problems, "\n".join(problems)


def test_skip_link_is_first_and_moves_focus_to_the_content(demo_output: Path, serve, page) -> None:
    base = serve(demo_output)
    page.goto(base + "/om-oss/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-64px", "visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main", "focus moves past the menu"


def test_text_reflows_at_400_percent_zoom(demo_output: Path, serve, browser) -> None:
    """WCAG 1.4.10: 1280 px at 400 % is a 320 px viewport; nothing may need sideways scrolling."""
    base = serve(demo_output)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for url in pages_by_template(demo_output).values():
            page.goto(base + url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{url} is {width}px wide at 320px"
    finally:
        context.close()


@pytest.mark.slow
def test_all_html_is_valid(demo_output: Path) -> None:
    errors = run_vnu(demo_output)
    assert not errors, "\n".join(errors[:40])


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(values[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def _target(output: Path, page: Path, link: str) -> tuple[Path, str] | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:", "webcal:", "data:")):
        return None
    if not parts.path:
        return page, parts.fragment
    base = output if parts.path.startswith("/") else page.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def test_no_broken_internal_link_or_missing_asset(demo_output: Path) -> None:
    broken = []
    parsed = {path.resolve(): _parse(path) for path in demo_output.rglob("*.html")}
    for page, links in parsed.items():
        for link in links.links:
            found = _target(demo_output, page, link)
            if found is None:
                continue
            target, fragment = found
            if not target.exists():
                broken.append(f"{page.relative_to(demo_output.resolve())}: {link}")
            elif fragment and target.suffix == ".html" and fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(demo_output.resolve())}: {link} (no such id)")
    assert not broken, "\n".join(sorted(set(broken))[:50])
