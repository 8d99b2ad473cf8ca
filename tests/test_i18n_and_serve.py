"""The theme speaks English too, and the local servers stay on this computer."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from sitebuild import REPO, build_site, make_site, post

from foreningssajt.cli.serve import HOST, make_server

TRANSLATIONS = REPO / "foreningssajt" / "theme" / "translations"


def template_messages() -> set[str]:
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    found = extract_from_dir(str(REPO / "foreningssajt" / "theme" / "templates"), method_map, options_map=options)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_template_message_has_an_english_translation() -> None:
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="en")
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string}
    missing = sorted(template_messages() - translated)
    assert not missing, f"add English for these to foreningssajt/theme/translations/en (make translations): {missing}"


def test_an_english_site_shows_english_labels(tmp_path: Path) -> None:
    site_yml = (REPO / "site.yml").read_text(encoding="utf-8").replace("language: sv", "language: en")
    root = make_site(tmp_path / "site", {"posts/a.md": post(date="2026-03-04 10:00")}, site_yml=site_yml)
    result = build_site(root, tmp_path / "out", search=False)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in home
    assert "Skip to content" in home
    assert "Hoppa till innehållet" not in home
    article = (tmp_path / "out/nyheter/2026/a/index.html").read_text(encoding="utf-8")
    assert "March 4, 2026" in article


def test_the_server_listens_on_loopback_only(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    server = make_server(tmp_path, 0)
    try:
        address, port = server.server_address[:2]
        assert HOST == "127.0.0.1"
        assert address == "127.0.0.1"
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    finally:
        server.server_close()


def test_devserver_rebuilds_when_site_yml_changes(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"posts/a.md": post()})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "foreningssajt.cli.devserver", "--root", str(root), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        home = _wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode())
        assert "Socialdemokraterna i Björkvik" in home
        site_yml = root / "site.yml"
        site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("i Björkvik\n", "i Ängby\n", 1), "utf-8")
        renamed = _wait_for(
            lambda: _require("i Ängby", urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode())
        )
        assert "Socialdemokraterna i Ängby" in renamed
    finally:
        server.terminate()
        server.wait(timeout=10)


def _require(text: str, page: str) -> str:
    if text not in page:
        raise AssertionError(f"{text!r} not on the page yet")
    return page


def _wait_for(attempt, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return attempt()
        except (OSError, AssertionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_a_busy_port_gets_one_swedish_line_naming_a_free_one(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "foreningssajt.cli.serve", "--port", str(port), "--dir", str(tmp_path)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "OSError" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    suggested = int(re.search(r"make serve PORT=(\d+)", line).group(1))
    assert line.startswith(f"Port {port} används redan av ett annat program; starta med en ledig port")
    assert suggested != port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # the suggestion really is free


def test_make_html_installs_only_what_building_needs(tmp_path: Path) -> None:
    def planned(target: str) -> str:
        command = ["make", "-n", "-C", str(REPO), target, f"VENV={tmp_path / 'venv'}"]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    html = planned("html")
    assert "-r requirements.txt" in html and "requirements-dev.txt" not in html
    for target in ("test", "lint"):
        assert "-r requirements-dev.txt" in planned(target)


# The build's own messages: Swedish ids in the code, English in the plugins' catalogue.
MESSAGE_CATALOGUE = REPO / "foreningssajt/siteconfig/translations/en/LC_MESSAGES/messages.po"
KEYWORDS = {"SiteError": (3,), "Invalid": (1,), "N_": None, "_": None, "gettext": None}
VALIDATION_SOURCES = [
    "foreningssajt/siteconfig",
    *(f"foreningssajt/content_rules/{name}.py" for name in ("body", "folders", "header", "reader", "rules", "menu")),
    "foreningssajt/reports/validation.py",
    "foreningssajt/cli/quiet_pelican.py",
]


def build_messages(source: str) -> set[str]:
    from babel.messages.extract import extract, extract_from_dir

    path = REPO / source
    if path.is_file():
        with path.open("rb") as code:
            found = [(m[1], m[2]) for m in extract("python", code, keywords=KEYWORDS)]
    else:
        found = [(m[2], m[3]) for m in extract_from_dir(str(path), [("**.py", "python")], keywords=KEYWORDS)]
    return {message for message, _ in found if isinstance(message, str)}


def test_every_validation_message_has_an_english_translation_with_the_same_placeholders() -> None:
    with MESSAGE_CATALOGUE.open("rb") as po:
        catalog = {m.id: m.string for m in read_po(po, locale="en") if m.id}
    messages = set().union(*(build_messages(source) for source in VALIDATION_SOURCES))
    assert len(messages) > 40
    missing = sorted(m for m in messages if not catalog.get(m))
    assert not missing, f"add English for these to {MESSAGE_CATALOGUE} (make translations): {missing}"
    for message in messages:
        assert set(re.findall(r"{\w+}", message)) == set(re.findall(r"{\w+}", catalog[message])), message


def test_problems_read_in_english_when_the_site_is_english() -> None:
    from foreningssajt.siteconfig.errors import Problems
    from foreningssajt.siteconfig.vocabulary import Colour, Invalid, Time

    problems = Problems()
    for check, value, key in ((Time(), "sju", "start"), (Colour(), "röd", "primary")):
        try:
            check.clean(value)
        except Invalid as problem:
            problems.add(problem.at("site.yml", key))
    assert problems.lines("en") == [
        "site.yml: start: “sju” is not a time; write e.g. 18.00 or 18:00",
        'site.yml: primary: “röd” is not a colour; write a hex colour in quotes, e.g. "#a3001b"',
    ]
    assert problems.lines("sv")[0] == "site.yml: start: ”sju” är ingen tid; skriv t.ex. 18.00 eller 18:00"
