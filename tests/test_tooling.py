"""Self-tests of the test tooling (tests/browser.py, conftest fixtures, tests/tools).

They run on tiny hand-written pages, not on the site, so that a failure here means the
tooling is broken, not the site. Each check is shown to find a problem in a bad page as
well as none in a good one: a checker that never reports anything would pass silently.
"""

from __future__ import annotations

import json
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
from browser import (
    format_violations,
    ical_to_jcal,
    node_bin,
    record_external_requests,
    run_axe,
    run_node,
    run_vnu,
    serve_dir,
)
from playwright.sync_api import Page

CLEAN_PAGE = """<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ren sida</title>
</head>
<body>
<header><p>Föreningen</p></header>
<main id="main">
<h1>Välkommen</h1>
<p>En bild med alternativtext:</p>
<img src="logo.png" alt="Föreningens logotyp" width="10" height="10">
</main>
<footer><p>Kontakt</p></footer>
</body>
</html>
"""

# One obvious WCAG failure (image-alt), otherwise like the clean page, so the
# difference between the two runs is exactly that rule.
IMG_WITHOUT_ALT = CLEAN_PAGE.replace(' alt="Föreningens logotyp"', "")

EXTERNAL_IMG = CLEAN_PAGE.replace('src="logo.png"', 'src="http://example.invalid/x.png"')

# A 1x1 transparent PNG, so the clean page's image loads.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def write_site(root: Path, pages: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "logo.png").write_bytes(PNG_1X1)
    for name, html in pages.items():
        (root / name).write_text(html, encoding="utf-8")
    return root


# ---- server ---------------------------------------------------------------------------


def test_serve_dir_serves_files_on_loopback_only(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.html": CLEAN_PAGE})
    with serve_dir(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:")
        assert not base.endswith("/")
        port = int(base.rsplit(":", 1)[1])
        with urllib.request.urlopen(f"{base}/", timeout=5) as resp:
            assert resp.status == 200
            assert "Välkommen" in resp.read().decode("utf-8")
        # The listening socket is on 127.0.0.1: the port answers there, and the same
        # port on this machine's other addresses does not accept connections.
        other = _non_loopback_address()
        if other is not None:
            with pytest.raises(OSError), socket.create_connection((other, port), timeout=2):
                pass
    # After the context manager the server is gone.
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/", timeout=2)


def test_serve_dir_binds_127_0_0_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Independent of the machine's network setup: look at the address actually bound.
    import browser

    bound: list[tuple[str, int]] = []
    original = browser._QuietServer.server_bind

    def spy(self: browser._QuietServer) -> None:
        original(self)
        bound.append(self.socket.getsockname()[:2])

    monkeypatch.setattr(browser._QuietServer, "server_bind", spy)
    with serve_dir(tmp_path):
        pass
    assert len(bound) == 1
    assert bound[0][0] == "127.0.0.1"


def _non_loopback_address() -> str | None:
    # The address this machine would use towards the outside; no packet is sent
    # (UDP connect only chooses a route). None when there is no such route.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed for real
        except OSError:
            return None
        addr = s.getsockname()[0]
    return None if addr.startswith("127.") or addr == "0.0.0.0" else addr


# ---- axe-core -------------------------------------------------------------------------


def test_axe_finds_img_without_alt(tmp_path: Path, page: Page) -> None:
    write_site(tmp_path, {"bad.html": IMG_WITHOUT_ALT})
    with serve_dir(tmp_path) as base:
        page.goto(f"{base}/bad.html")
        violations = run_axe(page)
    ids = {v["id"] for v in violations}
    assert "image-alt" in ids, format_violations(violations)
    report = format_violations(violations)
    assert "image-alt" in report
    assert 'img src="logo.png"' in report  # the offending element's html is shown


def test_axe_clean_page_has_no_violations(tmp_path: Path, page: Page) -> None:
    write_site(tmp_path, {"index.html": CLEAN_PAGE})
    with serve_dir(tmp_path) as base:
        page.goto(f"{base}/")
        violations = run_axe(page)
        # A second run on the same page must not inject axe twice or fail.
        assert run_axe(page) == violations
    assert violations == [], format_violations(violations)


def test_axe_runs_under_strict_csp(tmp_path: Path, page: Page) -> None:
    # Our theme may send a CSP that forbids inline scripts; axe must still run.
    csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
    html = IMG_WITHOUT_ALT.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + csp)
    write_site(tmp_path, {"csp.html": html})
    with serve_dir(tmp_path) as base:
        page.goto(f"{base}/csp.html")
        violations = run_axe(page)
    assert "image-alt" in {v["id"] for v in violations}, format_violations(violations)


# ---- external requests ------------------------------------------------------------


def test_external_request_is_recorded(tmp_path: Path, page: Page) -> None:
    write_site(tmp_path, {"ext.html": EXTERNAL_IMG})
    with serve_dir(tmp_path) as base:
        external = record_external_requests(page, base)
        page.goto(f"{base}/ext.html")
        page.wait_for_load_state("load")
    assert external == ["http://example.invalid/x.png"]


def test_local_requests_are_not_recorded(tmp_path: Path, page: Page) -> None:
    html = CLEAN_PAGE.replace("</main>", '<img src="data:image/png;base64,iVBORw0KGgo=" alt="punkt"></main>')
    write_site(tmp_path, {"index.html": html})
    with serve_dir(tmp_path) as base:
        external = record_external_requests(page, base)
        page.goto(f"{base}/")
        page.wait_for_load_state("load")
    assert external == []


# ---- Nu HTML Checker ------------------------------------------------------------------


def test_vnu_reports_invalid_and_passes_valid_html(tmp_path: Path) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "index.html": CLEAN_PAGE,
            "broken.html": CLEAN_PAGE.replace("<h1>Välkommen</h1>", "<h1>Välkommen</span></h1>"),
        },
    )
    (site / "style.css").write_text("body { color: #000 }\n", encoding="utf-8")
    sub = site / "nyheter"
    sub.mkdir()
    (sub / "index.html").write_text(CLEAN_PAGE.replace("<title>Ren sida</title>", ""), encoding="utf-8")

    errors = run_vnu(site)  # one JVM run over the whole folder, recursively

    broken = [e for e in errors if e.startswith("broken.html:")]
    assert broken, errors
    assert any("span" in e for e in broken), errors
    # Line numbers point at the offending line (the <h1> is on line 11).
    assert any(e.startswith("broken.html:11:") for e in broken), errors
    assert any(e.startswith("nyheter/index.html:") and "title" in e for e in errors), errors
    assert not [e for e in errors if e.startswith("index.html:")], errors


def test_vnu_valid_file_has_no_errors(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.html": CLEAN_PAGE})
    assert run_vnu([tmp_path / "index.html"]) == []


# ---- node tools ---------------------------------------------------------------------


def test_pinned_npm_tools_match_lockfile() -> None:
    tools = Path(__file__).parent / "tools"
    lock = json.loads((tools / "package-lock.json").read_text(encoding="utf-8"))
    wanted = json.loads((tools / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, version in wanted.items():
        installed = json.loads((tools / "node_modules" / name / "package.json").read_text(encoding="utf-8"))
        assert installed["version"] == version == lock["packages"][f"node_modules/{name}"]["version"]


def test_staticrypt_cli_runs() -> None:
    proc = subprocess.run(
        [str(node_bin("staticrypt")), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "--password" in proc.stdout + proc.stderr


def test_ical_js_parses_and_rejects() -> None:
    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:a@b",
            "DTSTAMP:20240101T000000Z",
            "DTSTART:20240501T100000",
            "SUMMARY:Första maj",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    jcal = ical_to_jcal(ics)
    assert jcal[0] == "vcalendar"
    (event,) = jcal[2]
    assert event[0] == "vevent"
    props = {p[0]: p[3] for p in event[1]}
    assert props["summary"] == "Första maj"
    assert props["dtstart"] == "2024-05-01T10:00:00"
    with pytest.raises(RuntimeError):
        ical_to_jcal("BEGIN:VCALENDAR\r\nthis is not a content line\r\n")


def test_run_node_passes_arguments() -> None:
    out = run_node("console.log(JSON.stringify(process.argv.slice(1)))", ["a b", "c"])
    assert json.loads(out) == ["a b", "c"]
