"""Helpers shared by the browser and validator tests.

Everything here drives tools pinned in tests/tools (installed by tests/tools/ensure.sh,
which `make test` runs): Debian's chromium through Playwright, axe-core, the Nu HTML
Checker (vnu.jar), staticrypt and ical.js. A missing tool fails the test with the
command that installs it; it never skips, because a skipped accessibility or leak
check looks like a passing one.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn
from urllib.parse import unquote, urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

TESTS_DIR = Path(__file__).resolve().parent
TOOLS_DIR = TESTS_DIR / "tools"
NODE_MODULES = TOOLS_DIR / "node_modules"
CHROMIUM_PATH = "/usr/bin/chromium"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Flags for Debian's chromium under Playwright: no sandbox (we run as root in CI), and
# nothing that phones home, so that the only network traffic is the page's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The WCAG 2.1 A and AA rule sets: the level DESIGN.md commits the theme to.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

ENSURE_HINT = "run `make test` or `bash tests/tools/ensure.sh` to install the test tools"


def tool_missing(what: str) -> NoReturn:
    """Fail the current test because a test tool is missing (never skip)."""
    pytest.fail(f"{what} is missing: {ENSURE_HINT}", pytrace=False)


# ---- local HTTP server ------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Types the site serves that mimetypes may not know on every machine; a wrong
    # type would make the browser refuse module scripts or wasm (search).
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".wasm": "application/wasm",
        ".ics": "text/calendar; charset=utf-8",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
        ".xml": "application/xml",
    }

    def log_message(self, format: str, *args: Any) -> None:
        # Request logs would drown pytest's output; failures show up in assertions.
        pass

    def end_headers(self) -> None:
        # Tests rebuild sites between runs; a cached old page would hide a change.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops connections it no longer needs (navigation, closed page);
        # that is normal and not worth a traceback on stderr.
        pass


@contextlib.contextmanager
def serve_dir(path: str | os.PathLike[str]) -> Iterator[str]:
    """Serve a directory over HTTP on 127.0.0.1 and a free port.

    Yields the base URL without a trailing slash, e.g. ``http://127.0.0.1:43117``, so
    that ``f"{base}/kalender/"`` is the page's URL. Bound to the loopback address only:
    tests must not expose the site (or its protected pages) to the network.
    """
    root = Path(path)
    if not root.is_dir():
        raise NotADirectoryError(f"serve_dir: {root} is not a directory")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    host, port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, name=f"serve_dir:{port}", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---- browser ------------------------------------------------------------------------


def require_chromium() -> str:
    """Return the chromium path, failing the test if Debian's chromium is missing."""
    if not os.access(CHROMIUM_PATH, os.X_OK):
        tool_missing(f"Debian's chromium ({CHROMIUM_PATH})")
    return CHROMIUM_PATH


def record_external_requests(page: Page, base_url: str) -> list[str]:
    """Collect the URL of every request the page makes to another origin than base_url.

    Returns a list that fills as the page loads; assert on it after navigating. Failed
    requests are recorded too (the request event fires before the network answers),
    which is what we want: an attempt to reach another host is already the leak.
    data:, blob: and about: URLs never leave the browser and are ignored.
    """
    base = urlsplit(base_url)
    base_origin = (base.scheme, base.netloc)
    external: list[str] = []

    def on_request(request: Any) -> None:
        url = request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        # Compare origins, not string prefixes: http://127.0.0.1:800 is a prefix of
        # http://127.0.0.1:8000 but another server.
        if (parts.scheme, parts.netloc) != base_origin:
            external.append(url)

    page.on("request", on_request)
    return external


def record_page_errors(page: Page) -> list[str]:
    """Collect uncaught JavaScript errors and console errors of a page, as text."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None,
    )
    return errors


# ---- axe-core -------------------------------------------------------------------------


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        tool_missing(f"axe-core ({AXE_JS.relative_to(TESTS_DIR.parent)})")
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Page, tags: Iterable[str] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Run the pinned axe-core on the page's current document; return its violations.

    Each violation is axe's own dict (``id``, ``impact``, ``help``, ``helpUrl``,
    ``nodes`` with ``target`` and ``html``). Use ``format_violations`` for messages.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        from playwright.sync_api import Error as PlaywrightError

        try:
            page.add_script_tag(content=_axe_source())
        except PlaywrightError:
            # A Content-Security-Policy without 'unsafe-inline' (which our theme may
            # well send) blocks the injected <script>. DevTools evaluation is not
            # subject to CSP, so load axe that way instead; the page stays unchanged.
            page.evaluate(_axe_source())
        if not page.evaluate("typeof window.axe === 'object'"):
            raise RuntimeError("run_axe: axe-core could not be loaded into the page")
    options = {"runOnly": {"type": "tag", "values": list(tags)}}
    results = page.evaluate("(options) => axe.run(document, options)", options)
    return list(results["violations"])


def format_violations(violations: list[dict[str, Any]]) -> str:
    """Readable report of axe violations for an assertion message."""
    if not violations:
        return "no axe violations"
    lines = [f"{len(violations)} axe violation(s):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'n/a'}): {v.get('help', '')}")
        if v.get("helpUrl"):
            lines.append(f"    {v['helpUrl']}")
        for node in v.get("nodes", []):
            target = ", ".join(" ".join(t) if isinstance(t, list) else str(t) for t in node.get("target", []))
            html = " ".join(str(node.get("html", "")).split())
            if len(html) > 200:
                html = html[:197] + "..."
            lines.append(f"    at {target}: {html}")
    return "\n".join(lines)


# ---- Nu HTML Checker ------------------------------------------------------------------


def _require_java() -> str:
    java = shutil.which("java")
    if java is None:
        tool_missing("java (needed by the Nu HTML Checker)")
    return java


def run_vnu(
    paths_or_dir: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    also_check_css: bool = False,
    timeout: float = 600,
) -> list[str]:
    """Validate HTML with the pinned Nu HTML Checker; return errors as text.

    Takes a directory (checked recursively, non-HTML files skipped) or a list of files
    and/or directories, all in one JVM run, since starting the JVM is most of the cost.
    Each error reads ``file:line: message``, with file relative to the given directory
    when one directory is given. Warnings are not reported.
    """
    single = isinstance(paths_or_dir, (str, os.PathLike))
    targets = [Path(paths_or_dir)] if single else [Path(p) for p in paths_or_dir]  # type: ignore[union-attr]
    if not targets:
        raise ValueError("run_vnu: nothing to check")
    for t in targets:
        if not t.exists():
            raise FileNotFoundError(f"run_vnu: {t} does not exist")
    if not VNU_JAR.is_file():
        tool_missing(f"the Nu HTML Checker ({VNU_JAR.relative_to(TESTS_DIR.parent)})")
    java = _require_java()
    cmd = [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--skip-non-html"]
    if also_check_css:
        cmd.append("--also-check-css")
    cmd += [str(t) for t in targets]
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    # vnu writes its JSON report on stderr and exits 1 when it found errors; anything
    # that is not JSON means vnu itself failed.
    try:
        report = json.loads(proc.stderr)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"run_vnu: vnu failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}{proc.stdout[-2000:]}"
        ) from None

    base = targets[0].resolve() if len(targets) == 1 and targets[0].is_dir() else None
    errors: list[str] = []
    for msg in report.get("messages", []):
        # "non-document-error" is an unreadable file or an I/O problem: also a failure.
        if msg.get("type") not in ("error", "non-document-error"):
            continue
        url = msg.get("url", "")
        file = unquote(url[len("file:") :]) if url.startswith("file:") else url
        if base is not None:
            with contextlib.suppress(ValueError):
                file = str(Path(file).resolve().relative_to(base))
        line = msg.get("lastLine") or msg.get("firstLine")
        where = f"{file}:{line}" if line else file
        errors.append(f"{where}: {msg.get('message', '').strip()}")
    return errors


# ---- node tools (staticrypt, ical.js) ---------------------------------------------


def node_bin(name: str) -> Path:
    """Path of a pinned npm tool's executable, e.g. ``node_bin("staticrypt")``."""
    path = NODE_MODULES / ".bin" / name
    if not path.exists():
        tool_missing(f"the npm tool {name!r} ({path.relative_to(TESTS_DIR.parent)})")
    return path


def run_node(
    script: str,
    args: Iterable[str] = (),
    *,
    stdin: str | None = None,
    timeout: float = 120,
) -> str:
    """Run an ES-module node script with tests/tools/node_modules importable; return stdout.

    The script runs with tests/tools as working directory so that bare imports such as
    ``import ICAL from "ical.js"`` resolve to the pinned packages. Extra arguments are
    in ``process.argv.slice(1)``. Raises RuntimeError with node's stderr on failure.
    """
    node = shutil.which("node")
    if node is None:
        tool_missing("node")
    if not NODE_MODULES.is_dir():
        tool_missing(f"the npm test tools ({NODE_MODULES.relative_to(TESTS_DIR.parent)})")
    cmd = [node, "--input-type=module", "-e", script, "--", *args]
    proc = subprocess.run(
        cmd,
        cwd=TOOLS_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"run_node: node exited {proc.returncode}:\n{proc.stderr[-4000:]}")
    return proc.stdout


_ICAL_TO_JCAL = """
import ICAL from "ical.js";
import { readFileSync } from "node:fs";
const text = readFileSync(0, "utf8");
process.stdout.write(JSON.stringify(ICAL.parse(text)));
"""


def ical_to_jcal(ics_text: str) -> Any:
    """Parse iCalendar text with Mozilla's ical.js (independent of our Python code).

    Returns the jCal structure (RFC 7265): ``["vcalendar", props, components]``.
    A parse error in ical.js raises RuntimeError.
    """
    return json.loads(run_node(_ICAL_TO_JCAL, stdin=ics_text))
