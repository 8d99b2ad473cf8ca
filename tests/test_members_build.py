"""The members' area as built: URLs, generic shell, ciphertext only, official CLI decrypts.

Uses the fixture site tests/fixtures/members (built once per session by the
``members_site`` fixture, demo password) and the published demo site.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from browser import node_bin
from conftest import TEST_BOARD_PASSWORD, TEST_MEMBERS_PASSWORD
from members_helpers import PAYLOAD, protected_pages, protected_phrases, public_source_text, read_output
from sitebuild import site_settings

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "members"
DEMO_PASSWORD = "demo-medlem-2026"
ATTACHMENT = "styrelseprotokoll-signerat-2026-03-04.pdf"

pytestmark = pytest.mark.slow

BOARD_PAGES = ["medlem/protokoll/2026-11-25-styrelse/index.html"]
EXPECTED_PAGES = {
    "medlem/index.html",
    "medlem/medlemsbrev/2025-12/index.html",
    "medlem/medlemsbrev/2026-10/index.html",
    "medlem/medlemsbrev/2026-10-2/index.html",  # two newsletters in October: -2 for the later
    "medlem/medlemsbrev/2026-11/index.html",
    "medlem/protokoll/2026-03-04-styrelse/index.html",
    "medlem/protokoll/2026-04-02-medlemsmote/index.html",
}


def test_public_generators_never_see_content_members() -> None:
    settings = site_settings(REPO)
    assert settings["MEMBERS_PATH"] == "members"
    for key in ("ARTICLE_PATHS", "PAGE_PATHS", "STATIC_PATHS"):
        assert not any(p == "members" or p.startswith("members/") for p in settings[key]), key
        assert "" not in settings[key] and "." not in settings[key], f"{key} would include every folder"
    assert "members" in settings["ARTICLE_EXCLUDES"]
    assert "members" in settings["PAGE_EXCLUDES"]
    from foreningssajt import leak_audit, members, plugin

    assert settings["PLUGINS"] == ["foreningssajt"]
    assert members in plugin.PARTS and leak_audit not in plugin.PARTS  # the audit is a step of cli/build.py


def test_urls_from_type_and_date_only(members_site: Path) -> None:
    output = members_site / "output"
    assert {p.relative_to(output).as_posix() for p in protected_pages(output)} == EXPECTED_PAGES
    files = sorted((output / "medlem" / "filer").iterdir())
    assert len(files) == 1 and re.fullmatch(r"[0-9a-f]{32}\.bin", files[0].name)


def test_pages_are_generic_shell_with_payload(members_site: Path) -> None:
    for page in protected_pages(members_site / "output"):
        text = page.read_text(encoding="utf-8")
        assert "<title>Medlemssidor – Socialdemokraterna i Björkvik</title>" in text, page
        assert '<meta property="og:title" content="Medlemssidor">' in text, page
        assert 'class="site-header"' in text and 'class="site-footer"' in text, page  # public shell
        assert "/theme/js/members.js" in text, page
        assert "Demobygge" in text, page  # built without MEMBERS_PASSWORD
        config = json.loads(PAYLOAD.search(text).group(1))
        assert re.fullmatch(r"[0-9a-f]{160,}", config["staticryptEncryptedMsgUniqueVariableName"])


def test_no_plaintext_of_protected_sources_anywhere(members_site: Path) -> None:
    _assert_no_plaintext(members_site / "content", members_site / "output")


def test_no_plaintext_in_published_demo_site(published_output: Path) -> None:
    _assert_no_plaintext(REPO / "content", published_output)


def _assert_no_plaintext(content: Path, output: Path) -> None:
    texts = read_output(output)
    phrases = protected_phrases(content, public_source_text(content))
    assert len(phrases) > 10, "the check would prove nothing without protected phrases"
    leaks = [(name, phrase, file) for name, phrase in phrases for file, text in texts.items() if phrase in text]
    assert not leaks, leaks[:5]
    attachments = [p for p in (content / "members").rglob("*") if p.is_file() and p.suffix != ".md"]
    assert attachments, "the check would prove nothing without a protected file"
    names = [p.name.casefold() for p in attachments]
    for file, text in texts.items():
        for name in names:
            assert name not in file.casefold() and name not in text, (name, file)
    # No copy of a protected file's bytes, under any name (Pelican's static copying, say).
    sizes = {p.stat().st_size: p.read_bytes() for p in attachments}
    copies = [f for f in output.rglob("*") if f.is_file() and sizes.get(f.stat().st_size) == f.read_bytes()]
    assert not copies, copies


def _staticrypt_decrypt(
    tmp_path: Path, output: Path, password: str, salt: str, what: str = "medlem"
) -> tuple[str, Path]:
    target = tmp_path / "decrypted"
    # cwd: the CLI reads .env and .staticrypt.json from the working directory.
    proc = subprocess.run(
        [str(node_bin("staticrypt")), str(output / what), "-r", "--decrypt", "-p", password, "--salt", salt,
         "-d", str(target)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, target


@pytest.mark.parametrize("site", ["fixture", "published demo"])
def test_official_staticrypt_cli_decrypts_every_page(
    site: str, members_site: Path, published_output: Path, tmp_path: Path
) -> None:
    if site == "fixture":
        output, password, salt_file = members_site / "output", DEMO_PASSWORD, members_site / "members-salt.txt"
    else:
        output, password, salt_file = published_output, TEST_MEMBERS_PASSWORD, REPO / "members-salt.txt"
    salt = salt_file.read_text().strip()
    stdout, decrypted = _staticrypt_decrypt(tmp_path, output, password, salt)
    # The demo's board-only minute (access: styrelse) opens with the board password only.
    board = [f"{output}/{page}" for page in BOARD_PAGES] if site == "published demo" else []
    assert [line for line in stdout.splitlines() if "ERROR" in line] == [f"ERROR: could not decrypt {b}" for b in board]
    for page in board:
        (tmp_path / "board").mkdir(exist_ok=True)
        _, board_decrypted = _staticrypt_decrypt(tmp_path / "board", output, TEST_BOARD_PASSWORD, salt, page)
        assert "<h1>" in (board_decrypted / Path(page).name).read_text(encoding="utf-8")
    pages = protected_pages(output)
    assert len(pages) >= 7
    for page in pages:
        if f"{output}/{page.relative_to(output)}" in board:
            continue
        plain = (decrypted / page.relative_to(output)).read_text(encoding="utf-8")
        assert plain.lstrip().startswith(("<article", "<div")) and "<h1>" in plain, page

    (tmp_path / "wrong").mkdir()
    # One page is enough: with a wrong key the CLI retries two older hash schemes per page.
    wrong_stdout, wrong = _staticrypt_decrypt(tmp_path / "wrong", output, password + "x", salt, "medlem/index.html")
    assert "ERROR: could not decrypt" in wrong_stdout
    assert not list(wrong.rglob("*.html"))


def test_fixture_items_decrypt_to_their_own_content(members_site: Path, tmp_path: Path) -> None:
    salt = (members_site / "members-salt.txt").read_text().strip()
    _, decrypted = _staticrypt_decrypt(tmp_path, members_site / "output", DEMO_PASSWORD, salt)
    item = (decrypted / "medlem/protokoll/2026-03-04-styrelse/index.html").read_text(encoding="utf-8")
    assert "<h1>Protokoll styrelsemöte 4 mars 2026</h1>" in item
    assert "48 312 kronor" in item and "Styrelsemöte" in item
    assert f'data-filename="{ATTACHMENT}"' in item and 'data-mime="application/pdf"' in item
    index = (decrypted / "medlem/index.html").read_text(encoding="utf-8")
    order = [index.index(t) for t in ("november 2026", "oktober 2026", "december 2025")]
    assert order == sorted(order), "newsletters newest first"
    assert index.index("<h3>2026</h3>") < index.index("<h3>2025</h3>")
    # The members-only event from the calendar, listed in the encrypted index only.
    assert "Hemlig planeringsmiddag för valberedningen" in index


def test_locked_and_unlocked_pages_are_valid_html(members_site: Path, tmp_path: Path) -> None:
    from browser import run_vnu

    from foreningssajt.members.staticrypt import Cipher, derive_key

    cipher = Cipher(derive_key(DEMO_PASSWORD, (members_site / "members-salt.txt").read_text().strip()))
    output = members_site / "output"
    for page in protected_pages(output):
        text = page.read_text(encoding="utf-8")
        config = json.loads(PAYLOAD.search(text).group(1))
        region = cipher.decrypt(config["staticryptEncryptedMsgUniqueVariableName"]).decode("utf-8")
        # What members.js does: the region replaces the empty #members-content.
        unlocked = text.replace('<div id="members-content"></div>', f'<div id="members-content">{region}</div>')
        assert unlocked != text
        target = tmp_path / page.relative_to(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(unlocked, encoding="utf-8")
    assert run_vnu([*protected_pages(output), tmp_path]) == []  # one JVM for both
