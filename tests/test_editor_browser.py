"""The web editor through its own interface, as a volunteer uses it with `make editor`.

Real parts only: the vendored Decap CMS in Chromium, decap-server (pinned in
foreningssajt/cli/decap_server, started by the same function `make editor` uses) on 127.0.0.1, writing
into a copy of the demo site; then the real build of what it wrote.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import struct
import time
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import record_external_requests, serve_dir, tool_missing
from members_helpers import PAYLOAD, flat, read_output
from playwright.sync_api import Browser, Page
from sitebuild import REPO, build_site, site_settings

from foreningssajt.cli import editor as editor_tool
from foreningssajt.content_rules.header import read_header
from foreningssajt.editor.admin import write_admin
from foreningssajt.editor.labels import MEMBERS_NOTE
from foreningssajt.siteconfig.session import SETTING

GUIDE_SHOTS = REPO / "docs" / "guide" / "bilder"


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A real RGB PNG (red pixels), made here so the test needs no image file."""
    rows = b"".join(b"\x00" + b"\xa3\x00\x1b" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = tiny_png()
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

POST_TITLE = "Vi öppnar ett nytt lokalkontor"
IMAGE_ALT = "Skylten ovanför dörren till det nya kontoret."
MINUTE_TITLE = "Protokoll extra styrelsemöte i december"
MINUTE_TEXT = "Styrelsen beslutade att hyra kontoret på Hamngatan från januari."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_demo_site(root: Path, local_port: int) -> Path:
    for name in ("site.yml", "members-salt.txt"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "content", root / "content")
    editor_yml = (REPO / "editor.yml").read_text(encoding="utf-8")
    (root / "editor.yml").write_text(
        editor_yml.replace("local_port: 8081", f"local_port: {local_port}"), encoding="utf-8"
    )
    return root


def wait_for_backend(port: int, process) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1", data=b'{"action": "info"}', headers={"Content-Type": "application/json"}
    )
    for _ in range(100):
        if process.poll() is not None:
            pytest.fail("decap-server stopped at start", pytrace=False)
        try:
            with urllib.request.urlopen(request, timeout=1) as answer:
                assert json.load(answer)["type"] == "local_fs"  # MODE=fs: saves write files, never commit
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("decap-server did not answer on 127.0.0.1", pytrace=False)


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A copy of the demo site, its development build served, decap-server writing into it."""
    if not editor_tool.installed():
        tool_missing("decap-server (foreningssajt/cli/decap_server/node_modules)")
    port = free_port()
    root = copy_demo_site(tmp_path_factory.mktemp("editor"), port)
    # /admin/ as the build's editor step writes it; the whole build runs after the writing.
    settings = site_settings(root, root / "output")
    write_admin(settings[SETTING], settings)
    backend = editor_tool.decap_server(root, port)
    try:
        wait_for_backend(port, backend)
        with serve_dir(root / "output") as base:
            yield root, base
    finally:
        backend.terminate()
        backend.wait(timeout=10)


# ---- the volunteer's steps, in the editor's own words ---------------------------------


def open_new(page: Page, base: str, collection: str, new_button: str, first_label: str) -> None:
    """As a volunteer does it: the collection in the side bar, then its ＋ button."""
    page.goto(f"{base}/admin/#/collections/{collection}", wait_until="domcontentloaded")
    page.get_by_text(new_button, exact=True).click()
    page.get_by_label(first_label).wait_for()


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_text(option, exact=True).click()


def upload(page: Page, button: str, path: Path) -> None:
    page.get_by_role("button", name=button).click()
    page.locator("input[type=file]").set_input_files(path)
    page.get_by_text(path.name).wait_for()
    page.get_by_role("button", name="Välj markerad").click()


def write_body(page: Page, text: str) -> None:
    page.locator("[data-slate-editor=true]").click()
    page.keyboard.type(text)


def publish(page: Page, shot: str | None = None) -> None:
    page.get_by_role("button", name="Publicera").first.click()
    if shot:
        guide_shot(page, shot)
    page.get_by_text("Publicera nu").click()
    page.wait_for_url("**/entries/**")
    page.get_by_text("Ändringar sparade", exact=False).first.wait_for()


def guide_shot(page: Page, name: str) -> None:
    """The guide's screenshots (docs/guide/bilder/), retaken when asked for:
    UPDATE_GUIDE_SCREENSHOTS=1 pytest tests/test_editor_browser.py (a plain run leaves git clean)."""
    if os.environ.get("UPDATE_GUIDE_SCREENSHOTS") == "1":
        page.screenshot(path=GUIDE_SHOTS / f"{name}.png")


@pytest.fixture(scope="module")
def written(editor_site: tuple[Path, str], browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A post with an image, a monthly meeting and a minute with a PDF, written in the editor."""
    root, base = editor_site
    files = tmp_path_factory.mktemp("uploads")
    (files / "lokalkontor.png").write_bytes(PNG)
    (files / "protokoll-signerat.pdf").write_bytes(PDF)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(20_000)
    # The editor is 5 MB of script; on a busy machine its first load takes a while.
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    external = record_external_requests(page, base)
    try:
        page.goto(f"{base}/admin/", wait_until="domcontentloaded")
        guide_shot(page, "redaktor-logga-in")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_text("Samlingar").wait_for()
        guide_shot(page, "redaktor-samlingar")

        open_new(page, base, "post", "＋ Nyhet", "Rubrik")
        page.get_by_label("Rubrik").fill(POST_TITLE)
        page.get_by_label("Datum och tid").fill("2026-11-20T18:30")
        upload(page, "Välj en bild", files / "lokalkontor.png")
        page.get_by_label("Bildbeskrivning").fill(IMAGE_ALT)
        write_body(page, "Kontoret på Hamngatan öppnar i januari. Välkommen in på fika!")
        publish(page, shot="redaktor-nyhet")

        open_new(page, base, "event", "＋ Evenemang", "Aktivitetens namn")
        page.get_by_label("Aktivitetens namn").fill("Medlemsmöte i Ekhagen")
        page.get_by_label("Börjar").fill("2027-01-07T18:30")
        page.get_by_label("Längd (frivillig)").fill("2h")
        choose(page, "Plats (frivillig)", "Folkets hus, lilla salen")
        choose(page, "Kategori (frivillig)", "Medlemsmöte")
        page.get_by_label("Upprepning (frivillig)").fill("FREQ=MONTHLY;BYDAY=1TH;COUNT=6")
        guide_shot(page, "redaktor-aktivitet")
        publish(page)

        page.goto(f"{base}/admin/#/collections/minutes", wait_until="domcontentloaded")
        page.get_by_text(MEMBERS_NOTE).wait_for()  # beside the collection, before anyone writes
        open_new(page, base, "minutes", "＋ Protokoll", "Rubrik")
        page.get_by_text(MEMBERS_NOTE).wait_for()  # and above the form
        page.get_by_label("Rubrik").fill(MINUTE_TITLE)
        page.get_by_label("Mötets datum och tid").fill("2026-12-16T18:00")
        choose(page, "Mötestyp", "Styrelsemöte")
        page.get_by_role("button", name="Add bilagor").click()
        upload(page, "Välj en fil", files / "protokoll-signerat.pdf")
        write_body(page, MINUTE_TEXT)
        guide_shot(page, "redaktor-protokoll")
        publish(page)
    finally:
        context.close()
    return {"external": external, "root": root}


# ---- what landed in the site folder ---------------------------------------------------


def header_of(path: Path) -> dict:
    return read_header(path.read_text(encoding="utf-8"), path.name).values


def test_the_editor_writes_files_with_the_headers_the_contract_asks_for(written: dict) -> None:
    content = written["root"] / "content"
    post = header_of(content / "posts" / "vi-oppnar-ett-nytt-lokalkontor.md")
    assert post["title"] == POST_TITLE
    assert str(post["date"]).startswith("2026-11-20 18:30")
    assert post["image"] == "images/lokalkontor.png"  # as the theme reads it, relative to the site
    assert (content / "images" / "lokalkontor.png").read_bytes() == PNG

    event = header_of(content / "events" / "medlemsmote-i-ekhagen.md")
    assert event["recurrence"] == "FREQ=MONTHLY;BYDAY=1TH;COUNT=6"
    assert (event["location"], event["category"], event["duration"]) == ("folkets-hus", "medlemsmote", "2h")

    minute_path = content / "members" / "minutes" / "protokoll-2026-12-16-styrelse.md"
    minute = header_of(minute_path)
    assert (minute["title"], minute["meeting"]) == (MINUTE_TITLE, "styrelse")
    assert minute["attachments"] == ["protokoll-signerat.pdf"]
    # The attachment lies beside the minute, under content/members/: never in the public images.
    assert (minute_path.parent / "protokoll-signerat.pdf").read_bytes() == PDF
    assert not (content / "images" / "protokoll-signerat.pdf").exists()
    # The page's own origin and decap-server's port on the same loopback address; nothing else.
    elsewhere = [url for url in written["external"] if urlsplit(url).hostname != "127.0.0.1"]
    assert not elsewhere, f"the editor asked other hosts: {elsewhere}"


def test_what_the_editor_wrote_builds_with_the_post_public_and_the_minute_encrypted(written: dict) -> None:
    from foreningssajt.members.password import DEMO_PASSWORD
    from foreningssajt.members.staticrypt import Cipher, derive_key

    root = written["root"]
    output = root / "after"
    built = build_site(root, output, search=False, env={"MEMBERS_PASSWORD": None})
    assert built.returncode == 0, built.stderr

    post = (output / "nyheter" / "2026" / "vi-oppnar-ett-nytt-lokalkontor" / "index.html").read_text(encoding="utf-8")
    assert POST_TITLE in post
    # The uploaded image, with the description typed in the editor (the theme makes sized variants).
    assert re.search(r'<img src="[^"]*/images/lokalkontor[^"]*"[^>]*alt="' + IMAGE_ALT + '"', post)
    assert (output / "images" / "lokalkontor.png").is_file()
    (event,) = output.glob("kalender/*/medlemsmote-i-ekhagen")
    assert (event / "index.html").is_file()
    assert "RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=1TH" in (event / "medlemsmote-i-ekhagen.ics").read_text(encoding="utf-8")

    texts = read_output(output)
    for phrase in (MINUTE_TITLE, MINUTE_TEXT):
        assert not [name for name, text in texts.items() if flat(phrase) in text], f"{phrase!r} in plaintext"
    assert not [p for p in output.rglob("*") if p.is_file() and PDF in p.read_bytes()], "the PDF in plaintext"

    page = next((output / "medlem" / "protokoll").glob("2026-12-16*/index.html"))
    payload = json.loads(PAYLOAD.search(page.read_text(encoding="utf-8")).group(1))
    cipher = Cipher(derive_key(DEMO_PASSWORD, (root / "members-salt.txt").read_text().strip()))
    region = cipher.decrypt(payload["staticryptEncryptedMsgUniqueVariableName"]).decode("utf-8")
    assert MINUTE_TITLE in region and "protokoll-signerat.pdf" in region  # there, but only encrypted
