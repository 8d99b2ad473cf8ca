"""Search: Pagefind indexes the public pages only, and the search page works for everyone.

A small site (a public post and a protected newsletter) is built once; the browser
types Swedish words into /sok/ and reads the results, as a visitor would.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import format_violations, record_external_requests, run_axe
from playwright.sync_api import Page, expect
from sitebuild import build_site, make_site, post

from foreningssajt.search.indexing import start_index

PUBLIC_SENTENCE = "Vi kräver bättre äldreomsorg och fler förskollärare i Björkvik."
PUBLIC_WORD = "äldreomsorgen"  # another form of a word above: found only through Swedish stemming
PROTECTED_SENTENCE = "Styrelsen förhandlar i hemlighet om lokalhyran med fastighetsbolaget Östmark."
PROTECTED_WORD = "lokalhyran"

NEWSLETTER = f"""---
title: Medlemsbrev mars
date: 2026-03-05
---
{PROTECTED_SENTENCE}
"""


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(
        tmp_path_factory.mktemp("search-site"),
        {
            "posts/omsorg.md": post(title="Omsorgen i Björkvik", date="2026-03-02 10:00", body=PUBLIC_SENTENCE),
            "posts/annat.md": post(title="Vårens möten", date="2026-02-01 10:00", body="Vi ses på torget."),
            "members/newsletters/2026-03.md": NEWSLETTER,
        },
    )
    output = root / "output"
    result = build_site(root, output, env={"MEMBERS_PASSWORD": None})
    if result.returncode != 0:
        pytest.fail(f"the search fixture site does not build:\n{result.stderr}", pytrace=False)
    return output


def index_text(output: Path) -> str:
    """Everything Pagefind wrote, decompressed (its fragments and index chunks are gzip)."""
    texts = []
    for path in (output / "pagefind").rglob("*"):
        if path.is_file() and path.suffix in {".pf_fragment", ".pf_index", ".pf_meta"}:
            texts.append(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
    return "\n".join(texts)


def search_for(page: Page, base: str, words: str) -> None:
    page.goto(f"{base}/sok/")
    page.get_by_label("Sökord").fill(words)
    page.get_by_label("Sökord").press("Enter")
    expect(page.locator("#search-status")).not_to_have_text("Söker …")
    expect(page.locator("#search-status")).not_to_be_empty()


# ---- the index ------------------------------------------------------------------------


def test_index_is_swedish_and_holds_public_text_only(search_site: Path) -> None:
    entry = json.loads((search_site / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"sv"}  # from <html lang="sv">: Swedish stemming
    text = index_text(search_site)
    assert "förskollärare" in text  # the check below can fail: it reads the real index
    assert PROTECTED_WORD not in text
    assert "Östmark" not in text


def test_members_pages_are_never_indexed_even_if_marked_for_search(tmp_path: Path) -> None:
    # A members' page in plaintext with data-pagefind-body: only the glob keeps it out.
    page = (
        '<!doctype html><html lang="sv"><head><title>{t}</title></head>'
        "<body><main data-pagefind-body><h1>{t}</h1><p>{p}</p></main></body></html>"
    )
    output = tmp_path / "output"
    for relative, title, text in [
        ("nyheter/2026/a/index.html", "Nyhet", PUBLIC_SENTENCE),
        ("medlem/medlemsbrev/2026-03/index.html", "Medlemsbrev", PROTECTED_SENTENCE),
    ]:
        (output / relative).parent.mkdir(parents=True)
        (output / relative).write_text(page.format(t=title, p=text), encoding="utf-8")
    running = start_index(output)
    assert running is not None  # there are public pages
    running.finish()
    text = index_text(output)
    assert "förskollärare" in text
    assert PROTECTED_WORD not in text


def test_no_search_build_skips_indexing_but_keeps_the_page(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"posts/a.md": post(body=PUBLIC_SENTENCE)})
    result = build_site(root, root / "output", search=False, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 0, result.stderr
    assert not (root / "output" / "pagefind").exists()
    assert (root / "output" / "sok" / "index.html").exists()


# ---- the search page in a browser ----------------------------------------------------


def test_a_swedish_word_finds_the_public_post(page: Page, serve, search_site: Path) -> None:
    base = serve(search_site)
    external = record_external_requests(page, base)
    search_for(page, base, PUBLIC_WORD)
    results = page.locator("#search-results-list > li")
    expect(results).to_have_count(1)
    link = results.first.get_by_role("link", name="Omsorgen i Björkvik")
    expect(link).to_have_attribute("href", "/nyheter/2026/omsorg/")
    expect(results.first).to_contain_text("2 mars 2026")  # the date, from data-pagefind-meta
    expect(results.first.locator("mark")).to_contain_text("äldreomsorg")
    expect(page.locator("#search-status")).to_have_text("1 träff för ”äldreomsorgen”.")
    assert external == []


def test_a_protected_sentence_is_not_found(page: Page, serve, search_site: Path) -> None:
    base = serve(search_site)
    search_for(page, base, PROTECTED_WORD)
    expect(page.locator("#search-status")).to_contain_text("Inga träffar")
    expect(page.locator("#search-results-list > li")).to_have_count(0)
    expect(page.get_by_role("link", name="Alla nyheter, efter datum")).to_be_visible()


def test_the_header_field_leads_to_results(page: Page, serve, search_site: Path) -> None:
    base = serve(search_site)
    page.goto(f"{base}/nyheter/2026/annat/")
    search = page.get_by_role("search")
    search.get_by_label("Sök på webbplatsen").fill("förskollärare")
    search.get_by_role("button", name="Sök").click()
    expect(page).to_have_url(f"{base}/sok/?q={quote('förskollärare')}")
    expect(page.get_by_label("Sökord")).to_have_value("förskollärare")
    expect(page.get_by_role("link", name="Omsorgen i Björkvik")).to_be_visible()


def test_without_javascript_the_search_page_still_helps(browser, serve, search_site: Path) -> None:
    base = serve(search_site)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base}/nyheter/2026/annat/")
        page.get_by_label("Sök på webbplatsen").fill("torget")
        page.get_by_role("button", name="Sök").click()
        expect(page).to_have_url(f"{base}/sok/?q=torget")
        expect(page.get_by_text("Sökningen behöver JavaScript")).to_be_visible()
        page.get_by_role("link", name="Alla nyheter, efter datum").click()
        expect(page).to_have_url(f"{base}/nyheter/arkiv/")
    finally:
        context.close()


def test_search_page_with_results_has_no_axe_violations(page: Page, serve, search_site: Path) -> None:
    base = serve(search_site)
    search_for(page, base, "Björkvik")
    expect(page.locator("#search-results-list > li").first).to_be_visible()
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def test_publishing_never_skips_search() -> None:
    done = build_site(publish=True, search=False)  # refused before anything is built
    assert done.returncode != 0
    assert "always has search" in done.stderr
