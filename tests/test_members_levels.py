"""Access levels, search and password rotation in the members' area, in headless Chromium.

The site is tests/fixtures/members_levels: a members' minute, a newsletter, a board
minute (access: styrelse), a members-only event and a board-only event. Built with the
demo passwords, then (for rotation) again with a new members' password.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser import node_bin, record_external_requests, record_page_errors
from playwright.sync_api import Page, expect
from sitebuild import build_site

from foreningssajt.members.staticrypt import Cipher, derive_key

FIXTURE = Path(__file__).parent / "fixtures" / "members_levels"
NOW = "2026-09-15T12:00:00+02:00"
MEMBERS_PASSWORD = "demo-medlem-2026"
BOARD_PASSWORD = "demo-styrelse-2026"
NEW_MEMBERS_PASSWORD = "Nytt-Medlemslösen-Efter-Bytet"
BOARD_MINUTE = "/medlem/protokoll/2026-05-06-styrelse/"
BOARD_TITLE = "Styrelsens protokoll om kanslistens lönesamtal"
MEMBERS_MINUTE = "/medlem/protokoll/2026-04-02-medlemsmote/"
MEMBERS_TITLE = "Protokoll medlemsmöte 2 april 2026"
UNLOCK_TIMEOUT = 20_000  # 600,000 PBKDF2 rounds in WebCrypto on a loaded machine
PAYLOAD = re.compile(r'<script type="application/json" id="members-payload"[^>]*>(.*?)</script>', re.S)

pytestmark = pytest.mark.slow


def build(root: Path, output: Path, members_password: str | None = None) -> Path:
    env = {"MEMBERS_PASSWORD": members_password, "BOARD_PASSWORD": None}
    done = build_site(root, output, search=False, now=NOW, env=env)
    assert done.returncode == 0, done.stderr
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("levels") / "site"
    shutil.copytree(FIXTURE, root)
    build(root, root / "output")
    return root


@pytest.fixture(scope="module")
def rotated_output(site: Path) -> Path:
    """The same site after the members' password was changed (same salt, same board password)."""
    return build(site, site.parent / "rotated", NEW_MEMBERS_PASSWORD)


@pytest.fixture
def base(site: Path, serve: Callable[[Path], str]) -> str:
    return serve(site / "output")


def unlock(page: Page, password: str, forget: bool = False) -> None:
    if forget:
        page.check("#members-forget")
    page.fill("#members-password", password)
    page.press("#members-password", "Enter")


def expect_unlocked(page: Page, title: str) -> None:
    expect(page.locator("#members-content h1")).to_have_text(title, timeout=UNLOCK_TIMEOUT)
    expect(page.locator("#members-locked")).to_be_hidden()


def stored_key(page: Page, storage: str = "localStorage") -> str | None:
    return page.evaluate(f"{storage}.getItem('staticrypt_passphrase')")


# ---- the browser: levels --------------------------------------------------------------


def test_members_password_does_not_open_a_board_page(page: Page, base: str) -> None:
    errors = record_page_errors(page)
    page.goto(base + BOARD_MINUTE)
    expect(page.locator("#members-locked")).to_contain_text("bara för styrelsen")
    # A demo build says so, and names the variable to set, without printing the board's demo password.
    expect(page.locator(".members-demo")).to_contain_text("demolösenordet för styrelsen")
    expect(page.locator(".members-demo")).to_contain_text("BOARD_PASSWORD")
    assert BOARD_PASSWORD not in page.content()
    unlock(page, MEMBERS_PASSWORD)
    error = page.locator("#members-error")
    expect(error).to_have_text(
        "Den här sidan är bara för styrelsen. Ditt lösenord öppnar andra medlemssidor.", timeout=UNLOCK_TIMEOUT
    )
    expect(page.locator("#members-content")).to_be_empty()
    assert "lönesamtal" not in page.content()
    # The members' password is right for members' pages: remembered, and they open.
    page.goto(base + MEMBERS_MINUTE)
    expect_unlocked(page, MEMBERS_TITLE)
    page.goto(base + "/medlem/")
    expect_unlocked(page, "Medlemssidor")
    expect(page.locator("#members-content")).to_contain_text("Medlemmarnas sillfrukost")
    expect(page.locator("#members-content")).not_to_contain_text("Bara för styrelsen")
    expect(page.locator("#members-content")).not_to_contain_text("kanslistens")
    page.goto(base + BOARD_MINUTE)  # a remembered members' key: still locked, told why, not forgotten
    expect(page.locator("#members-notice")).to_contain_text("bara för styrelsen", timeout=UNLOCK_TIMEOUT)
    expect(page.locator("#members-content")).to_be_empty()
    assert stored_key(page) is not None
    assert errors == []


def test_board_password_opens_board_and_members_pages(page: Page, base: str) -> None:
    external = record_external_requests(page, base)
    errors = record_page_errors(page)
    page.goto(base + BOARD_MINUTE)
    unlock(page, BOARD_PASSWORD)
    expect_unlocked(page, BOARD_TITLE)
    expect(page.locator("#members-content")).to_contain_text("fyra procent")
    page.goto(base + MEMBERS_MINUTE)  # no typing: the board key unwraps the members' key
    expect_unlocked(page, MEMBERS_TITLE)
    assert page.input_value("#members-password") == ""
    page.goto(base + "/medlem/")
    expect_unlocked(page, "Medlemssidor")
    board_list = page.locator("#members-content .members-level")
    expect(board_list).to_contain_text("Bara för styrelsen")
    expect(board_list.get_by_role("link", name=BOARD_TITLE)).to_be_visible()
    expect(board_list).to_contain_text("Styrelsens planeringsdag om budgeten för hösten")
    expect(page.locator("#members-content")).to_contain_text("Medlemmarnas sillfrukost")
    assert external == [] and errors == []


def test_one_password_entry_derives_one_key(page: Page, base: str) -> None:
    page.add_init_script(
        """(() => {
          const real = crypto.subtle.deriveBits.bind(crypto.subtle);
          window.__derivations = 0;
          crypto.subtle.deriveBits = (...args) => { window.__derivations++; return real(...args); };
        })();"""
    )
    page.goto(base + MEMBERS_MINUTE)
    unlock(page, BOARD_PASSWORD)
    expect_unlocked(page, MEMBERS_TITLE)
    # One derivation is StatiCrypt's chain of three PBKDF2 rounds; a second key would make six.
    assert page.evaluate("window.__derivations") == 3


# ---- the browser: search ----------------------------------------------------------------


def search(page: Page, query: str) -> None:
    page.fill("#members-search-query", query)
    page.press("#members-search-query", "Enter")


def test_search_finds_a_word_in_a_minute_only_after_unlock(page: Page, base: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "/medlem/")
    page.wait_for_load_state("load")
    expect(page.locator("#members-search-query")).to_have_count(0)  # no search box before unlock
    assert "cykelställ" not in page.content()
    assert not [url for url in requested if "/medlem/sok/" in url]  # and no index fetched

    unlock(page, MEMBERS_PASSWORD)
    expect_unlocked(page, "Medlemssidor")
    search(page, "cykelställen")  # the minute says "cykelställ": found by its stem
    results = page.locator("#members-search-results")
    expect(results.get_by_role("link", name=MEMBERS_TITLE)).to_be_visible()
    expect(page.locator("#members-search-status")).to_have_text("1 träff för ”cykelställen”.")
    assert [url for url in requested if url.endswith("/medlem/sok/medlem.txt")]
    assert not [url for url in requested if url.endswith("/medlem/sok/styrelse.txt")]  # not this level's

    search(page, "kanslistens")  # a board minute's word: not for members
    expect(page.locator("#members-search-status")).to_have_text("0 träffar för ”kanslistens”.")
    expect(results.locator("li")).to_have_count(0)

    search(page, "cykelställ")
    results.get_by_role("link", name=MEMBERS_TITLE).click()
    expect_unlocked(page, MEMBERS_TITLE)


def test_board_search_finds_board_and_members_pages(page: Page, base: str) -> None:
    page.goto(base + BOARD_MINUTE)
    unlock(page, BOARD_PASSWORD)
    expect_unlocked(page, BOARD_TITLE)
    page.goto(base + "/medlem/")  # unlocked by the remembered key, before anyone types: search still works
    expect_unlocked(page, "Medlemssidor")
    search(page, "lönen")
    expect(page.locator("#members-search-results").get_by_role("link", name=BOARD_TITLE)).to_be_visible()
    search(page, "cykelställ")
    expect(page.locator("#members-search-results").get_by_role("link", name=MEMBERS_TITLE)).to_be_visible()
    search(page, "beslutade")  # in both minutes: newest first, whatever the level
    expect(page.locator("#members-search-results a")).to_have_text([BOARD_TITLE, MEMBERS_TITLE])


# ---- the browser: remembering and rotation ------------------------------------------------


@pytest.fixture
def switchable(
    site: Path, serve: Callable[[Path], str], tmp_path: Path
) -> Iterator[tuple[str, Callable[[Path], None]]]:
    """A served folder whose content a test can replace with another build (same origin)."""
    served = tmp_path / "served"
    shutil.copytree(site / "output", served)

    def switch(output: Path) -> None:
        shutil.rmtree(served)
        shutil.copytree(output, served)

    yield serve(served), switch


def test_rotation_logs_remembered_members_out(
    page: Page, rotated_output: Path, switchable: tuple[str, Callable[[Path], None]]
) -> None:
    base, switch = switchable
    page.goto(base + MEMBERS_MINUTE)
    unlock(page, MEMBERS_PASSWORD)
    expect_unlocked(page, MEMBERS_TITLE)
    assert stored_key(page) is not None
    page.goto(base + "/medlem/")
    expect_unlocked(page, "Medlemssidor")  # remembered: opens without typing

    switch(rotated_output)  # the association changed the members' password and published
    page.goto(base + MEMBERS_MINUTE)
    notice = page.locator("#members-notice")
    expect(notice).to_have_text("Lösenordet har bytts. Skriv det nya lösenordet en gång.", timeout=UNLOCK_TIMEOUT)
    expect(page.locator("#members-locked")).to_be_visible()
    expect(page.locator("#members-content")).to_be_empty()
    assert stored_key(page) is None  # the old key is forgotten
    unlock(page, MEMBERS_PASSWORD)  # the old password no longer works
    expect(page.locator("#members-error")).to_have_text("Fel lösenord. Försök igen.", timeout=UNLOCK_TIMEOUT)
    unlock(page, NEW_MEMBERS_PASSWORD)  # once
    expect_unlocked(page, MEMBERS_TITLE)
    page.goto(base + "/medlem/")
    expect_unlocked(page, "Medlemssidor")  # and remembered again
    expect(page.locator("#members-notice")).to_be_hidden()


def test_board_member_is_not_logged_out_when_only_the_members_password_changes(
    page: Page, rotated_output: Path, switchable: tuple[str, Callable[[Path], None]]
) -> None:
    base, switch = switchable
    page.goto(base + BOARD_MINUTE)
    unlock(page, BOARD_PASSWORD)
    expect_unlocked(page, BOARD_TITLE)
    switch(rotated_output)
    page.goto(base + MEMBERS_MINUTE)  # the board key unwraps the new members' key
    expect_unlocked(page, MEMBERS_TITLE)


def test_do_not_remember_me_keeps_nothing_after_the_visit(page: Page, base: str) -> None:
    page.goto(base + MEMBERS_MINUTE)
    expect(page.get_by_label("Kom inte ihåg mig på den här enheten")).not_to_be_checked()
    unlock(page, MEMBERS_PASSWORD, forget=True)
    expect_unlocked(page, MEMBERS_TITLE)
    assert stored_key(page) is None and page.evaluate("localStorage.length") == 0
    assert stored_key(page, "sessionStorage") is not None  # this tab's visit only
    page.goto(base + "/medlem/")
    expect_unlocked(page, "Medlemssidor")
    fresh = page.context.new_page()  # another tab: sessionStorage is per tab
    fresh.goto(base + MEMBERS_MINUTE)
    fresh.wait_for_load_state("load")
    expect(fresh.locator("#members-locked")).to_be_visible()
    expect(fresh.locator("#members-content")).to_be_empty()


# ---- the built files: official CLI, nothing readable -----------------------------------------


def config_of(page_file: Path) -> dict:
    return json.loads(PAYLOAD.search(page_file.read_text(encoding="utf-8")).group(1))


def cli_decrypt(cwd: Path, target: Path, password: str, salt: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = cwd / "decrypted"
    done = subprocess.run(
        [str(node_bin("staticrypt")), str(target), "--decrypt", "-p", password, "--salt", salt, "-d", str(out)],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return done, out / target.name


def as_page(payload: str, salt: str, folder: Path) -> Path:
    """A payload in the form the official CLI opens (like our pages)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = {"staticryptEncryptedMsgUniqueVariableName": payload, "staticryptSaltUniqueVariableName": salt}
    page = folder / "index.html"
    page.write_text(f'<script type="application/json">{json.dumps(config)}</script>', encoding="utf-8")
    return page


def test_official_cli_opens_board_pages_with_the_board_password_only(site: Path, tmp_path: Path) -> None:
    salt = (site / "members-salt.txt").read_text().strip()
    board_page = site / "output" / BOARD_MINUTE.strip("/") / "index.html"
    (tmp_path / "board").mkdir()
    done, plain = cli_decrypt(tmp_path / "board", board_page, BOARD_PASSWORD, salt)
    assert done.returncode == 0 and "ERROR" not in done.stdout, done.stdout + done.stderr
    assert f"<h1>{BOARD_TITLE}</h1>" in plain.read_text(encoding="utf-8")
    (tmp_path / "member").mkdir()
    done, plain = cli_decrypt(tmp_path / "member", board_page, MEMBERS_PASSWORD, salt)
    assert "ERROR: could not decrypt" in done.stdout and not plain.exists()


def test_search_indexes_are_ciphertext_the_official_cli_opens_per_level(site: Path, tmp_path: Path) -> None:
    salt = (site / "members-salt.txt").read_text().strip()
    indexes = {path.stem: path.read_text(encoding="ascii") for path in (site / "output/medlem/sok").iterdir()}
    assert set(indexes) == {"medlem", "styrelse"}
    for payload in indexes.values():
        assert re.fullmatch(r"[0-9a-f]+", payload)
    opened = {}
    for level, password in (("medlem", MEMBERS_PASSWORD), ("styrelse", BOARD_PASSWORD)):
        folder = tmp_path / level
        done, plain = cli_decrypt(folder, as_page(indexes[level], salt, folder / "in"), password, salt)
        assert done.returncode == 0 and "ERROR" not in done.stdout, done.stdout
        opened[level] = json.loads(plain.read_text(encoding="utf-8"))
    assert [page[1] for page in opened["styrelse"]["pages"]] == [BOARD_TITLE]
    assert opened["styrelse"]["pages"][0][4].startswith("2026-05-06T18:00")
    assert "cykelställ" in opened["medlem"]["terms"] and "kanslist" not in opened["medlem"]["terms"]
    folder = tmp_path / "wrong"
    done, _ = cli_decrypt(folder, as_page(indexes["styrelse"], salt, folder / "in"), MEMBERS_PASSWORD, salt)
    assert "ERROR: could not decrypt" in done.stdout


def test_pages_carry_their_level_and_nothing_is_readable(site: Path) -> None:
    salt = (site / "members-salt.txt").read_text().strip()
    members_key, board_key = derive_key(MEMBERS_PASSWORD, salt), derive_key(BOARD_PASSWORD, salt)
    index = config_of(site / "output/medlem/index.html")
    assert index["membersLevel"] == "medlem" and [e["level"] for e in index["membersExtras"]] == ["styrelse"]
    assert "kanslistens" not in Cipher(members_key).decrypt(index["staticryptEncryptedMsgUniqueVariableName"]).decode()
    assert BOARD_TITLE in Cipher(board_key).decrypt(index["membersExtras"][0]["payload"]).decode()
    board = config_of(site / "output" / BOARD_MINUTE.strip("/") / "index.html")
    assert board["membersLevel"] == "styrelse"
    assert Cipher(board_key).decrypt(board["membersLevels"][1]["wrap"]).decode() == members_key
    everything = "\n".join(p.read_text(errors="replace") for p in (site / "output").rglob("*") if p.is_file())
    for word in ("kanslistens", "lönesamtal", "cykelställ", "planeringsdag", "sillfrukost"):
        assert word not in everything


# ---- accessibility and valid HTML of the new parts -----------------------------------------


@pytest.mark.parametrize("password", [MEMBERS_PASSWORD, BOARD_PASSWORD])
def test_no_axe_violations_unlocked_with_search_results(page: Page, base: str, password: str) -> None:
    from browser import format_violations, run_axe

    page.goto(base + "/medlem/")
    violations = run_axe(page)
    assert violations == [], "locked: " + format_violations(violations)
    unlock(page, password)
    expect_unlocked(page, "Medlemssidor")
    search(page, "cykelställ")
    expect(page.locator("#members-search-results li")).to_have_count(1)
    violations = run_axe(page)
    assert violations == [], "unlocked: " + format_violations(violations)


def test_no_axe_violations_when_a_member_meets_a_board_page(page: Page, base: str) -> None:
    from browser import format_violations, run_axe

    page.goto(base + BOARD_MINUTE)
    unlock(page, MEMBERS_PASSWORD)
    expect(page.locator("#members-error")).to_be_visible(timeout=UNLOCK_TIMEOUT)
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def test_unlocked_index_with_the_board_list_is_valid_html(site: Path, tmp_path: Path) -> None:
    from browser import run_vnu

    salt = (site / "members-salt.txt").read_text().strip()
    members, board = Cipher(derive_key(MEMBERS_PASSWORD, salt)), Cipher(derive_key(BOARD_PASSWORD, salt))
    page_file = site / "output/medlem/index.html"
    config = config_of(page_file)
    region = members.decrypt(config["staticryptEncryptedMsgUniqueVariableName"]).decode()
    extra = board.decrypt(config["membersExtras"][0]["payload"]).decode()
    region = region.replace("<div data-members-slot></div>", f"<div data-members-slot>{extra}</div>")
    text = page_file.read_text(encoding="utf-8")
    unlocked = text.replace('<div id="members-content"></div>', f'<div id="members-content">{region}</div>')
    assert "Bara för styrelsen" in unlocked and 'id="members-search"' in unlocked
    target = tmp_path / "index.html"
    target.write_text(unlocked, encoding="utf-8")
    assert run_vnu([page_file, target]) == []


# ---- the audit's view: the same crossing check over output/ ------------------------------------


def test_audit_check_over_output_is_clean_then_catches_a_pasted_board_sentence(site: Path, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from foreningssajt.members.crossings import inventory_texts, level_crossings, output_regions

    salt = (site / "members-salt.txt").read_text().strip()
    keys = {"medlem": derive_key(MEMBERS_PASSWORD, salt), "styrelse": derive_key(BOARD_PASSWORD, salt)}
    secret = "Styrelsen beslutade att höja kanslistens lön med fyra procent från den första juni."
    board_item = SimpleNamespace(
        source="content/members/minutes/styrelse-2026-05-06-personal.md",
        values={"access": "styrelse"},
        access="medlem",  # the inventory's default; the header's access: wins
        title=BOARD_TITLE,
        summary="",
        html=None,
        body=secret,
    )
    texts = inventory_texts([board_item], {"medlem": 0, "styrelse": 1})
    output = tmp_path / "output"
    shutil.copytree(site / "output", output)
    regions = list(output_regions(output, keys))
    assert {(r.url, r.level) for r in regions} >= {("medlem/", "styrelse"), (BOARD_MINUTE.lstrip("/"), "styrelse")}
    assert level_crossings(texts, regions) == []

    newsletter = output / "medlem/medlemsbrev/2026-05/index.html"
    text = newsletter.read_text(encoding="utf-8")
    config = config_of(newsletter)
    pasted = Cipher(keys["medlem"]).encrypt(f"<p>Nytt från styrelsen: {secret}</p>")
    newsletter.write_text(text.replace(config["staticryptEncryptedMsgUniqueVariableName"], pasted), encoding="utf-8")
    problems = level_crossings(texts, output_regions(output, keys))
    assert [p.path for p in problems] == [board_item.source]
    assert "/medlem/medlemsbrev/2026-05/" in str(problems[0])


def test_publishing_without_the_board_password_stops_with_one_line(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("förra bygget", encoding="utf-8")
    env = {"MEMBERS_PASSWORD": "Ett-Riktigt-Medlemslösen-2026", "BOARD_PASSWORD": None}
    done = build_site(site, output, publish=True, now=NOW, env=env)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if "BOARD_PASSWORD" in line]
    assert len(lines) == 1 and lines[0].startswith("BOARD_PASSWORD: är inte satt"), done.stderr
    assert "Traceback" not in done.stderr and "Ett-Riktigt" not in done.stderr + done.stdout
    assert [p.name for p in output.iterdir()] == ["index.html"]  # output/ as it was
