"""Live reload in `make devserver`: a saved edit reaches the open page; a failed build shows its message.

The dev server runs on a small generated site and Chromium keeps one of its news
pages open, as a volunteer would while writing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from generate import Sizes, generate  # noqa: E402

from foreningssajt.cli import livereload  # noqa: E402

SCRIPT_URL, Hub, event_text, inject = livereload.SCRIPT_URL, livereload.Hub, livereload.event_text, livereload.inject

SIZES = Sizes(posts=4, reports=2, events=2, series=1, plans=1, protected=2, attachments=1, attachment_kb=2, pages=1)
WAIT_MS = 240_000  # a rebuild on a loaded two-core machine


def test_the_script_goes_before_the_end_of_body_and_names_the_build() -> None:
    page = inject(b"<html><body><p>Hej</p></body></html>", "42")
    assert page.startswith(b"<html><body><p>Hej</p><script src=")
    assert b'data-build="42"' in page and page.endswith(b"</script></body></html>")
    assert inject(b"<p>utan body</p>", "1").startswith(b"<p>utan body</p><script")


def test_events_say_built_with_the_id_or_failed_with_the_lines() -> None:
    assert event_text("7", []).endswith(b"event: built\ndata: 7\n\n")
    failed = event_text("7", ["content/posts/a.md: date: fel"]).decode()
    assert "event: failed" in failed and '["content/posts/a.md: date: fel"]' in failed


def test_a_waiting_stream_wakes_on_the_next_build() -> None:
    hub = Hub()
    hub.built()
    version, first, _ = hub.wait(-1, 1)
    started = time.monotonic()
    assert hub.wait(version, 0.2)[0] == version and time.monotonic() - started >= 0.2  # nothing new: timeout
    hub.failed(["fel"])
    assert hub.wait(version, 1)[2] == ["fel"]
    hub.built()
    _, second, failure = hub.wait(version + 1, 1)
    assert second != first and failure == []


@pytest.fixture
def devserver(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "site"
    generate(root, SIZES, seed=5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # --no-code-watch: other work on the repository's code would restart the server mid-test.
    command = [sys.executable, "-m", "foreningssajt.cli.devserver", "--root", str(root), "--port", str(port)]
    env = {key: value for key, value in os.environ.items() if key != "MEMBERS_PASSWORD"}
    server = subprocess.Popen(
        [*command, "--no-code-watch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None, "the dev server stopped"
                assert time.monotonic() < deadline, "the dev server never served"
                time.sleep(0.3)
        yield root, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_edit_reloads_the_open_page_and_a_failed_build_shows_why(devserver: tuple[Path, str], page: Page) -> None:
    root, base = devserver
    post = sorted((root / "content" / "posts").glob("*.md"))[0]
    built_page = next((root / "output" / "nyheter").glob(f"*/{post.stem}/index.html"))
    url = base + "/" + built_page.relative_to(root / "output").parent.as_posix() + "/"
    page.goto(url)
    expect(page.locator(f'script[src="{SCRIPT_URL}"]')).to_have_count(1)
    assert "__dev" not in built_page.read_text(encoding="utf-8")  # only served pages get the script

    with post.open("a", encoding="utf-8") as text:
        text.write("\nEn mening som läggs till medan sidan är öppen.\n")
    expect(page.locator("main")).to_contain_text("medan sidan är öppen", timeout=WAIT_MS)

    good = post.read_text(encoding="utf-8")
    post.write_text(re.sub(r"(?m)^date: ", "date: i morgon ", good, count=1), encoding="utf-8")
    error = page.locator("#dev-build-error")
    expect(error).to_be_visible(timeout=WAIT_MS)
    expect(error).to_contain_text("Bygget misslyckades")
    expect(error).to_contain_text(f"content/posts/{post.name}")
    expect(error).to_contain_text("date")
    expect(page.locator("main")).to_contain_text("medan sidan är öppen")  # the last good page, still there

    post.write_text(good + "\nRättat igen.\n", encoding="utf-8")
    expect(page.locator("main")).to_contain_text("Rättat igen", timeout=WAIT_MS)
    expect(page.locator("#dev-build-error")).to_have_count(0)
    for served in (root / "output").rglob("*.html"):
        assert SCRIPT_URL not in served.read_text(encoding="utf-8"), served


class StandInBuild:
    """A stand-in for cli/build.py's main() as the dev server's child calls it."""

    def main(
        self, argv: list[str], published: object = None, carried_audit: object = None, keep_audit: bool = False
    ) -> int:
        assert keep_audit  # else a full build audits in a process of its own and has nothing to hand back
        return self.build(published, carried_audit)  # type: ignore[arg-type]

    def build(self, published: Callable[[object], None], carried_audit: object) -> int:
        raise NotImplementedError


class SlowCleanUp(StandInBuild):
    """Publishes, then takes its time removing the old output."""

    def __init__(self, gate: Path) -> None:
        self.gate = gate

    def build(self, published: Callable[[object], None], carried_audit: object) -> int:
        print("en rad före", file=sys.stderr, flush=True)
        published(SimpleNamespace(audit=None))
        while not self.gate.exists():  # the clean-up goes on until the test says so
            time.sleep(0.01)
        print("en rad efter", file=sys.stderr, flush=True)
        return 0


def test_the_browser_is_told_as_soon_as_the_new_output_is_in_place(tmp_path: Path) -> None:
    import threading

    from foreningssajt.cli import devserver

    hub, gate = Hub(), tmp_path / "gate"
    worker = threading.Thread(target=devserver.rebuild, args=(SlowCleanUp(gate), tmp_path, hub))
    worker.start()
    try:
        version, _, failure = hub.wait(0, timeout=20)
        assert (version, failure) == (1, []), "told while the child still cleans up"
        assert worker.is_alive()
    finally:
        gate.touch()
        worker.join(20)
    assert hub.version == 1  # told once, not again when the child ended


class Prepared:
    """A stand-in for leak_audit.audit.PreparedAudit: what a build hands on, by key."""

    def __init__(self, key: str) -> None:
        self.key = key

    def carried(self) -> Prepared:
        return self


class BuildWithAudit(StandInBuild):
    """A build whose audit comes from protected text named `key`."""

    def __init__(self, key: str) -> None:
        self.key = key

    def build(self, published: Callable[[object], None], carried_audit: object) -> int:
        same = carried_audit is not None and carried_audit.key == self.key  # type: ignore[attr-defined]
        published(SimpleNamespace(audit=carried_audit if same else Prepared(self.key)))
        return 0


def test_the_audit_is_handed_back_only_when_the_protected_text_changed(tmp_path: Path) -> None:
    from foreningssajt.cli import devserver

    def nothing(_lines: list[str]) -> None:
        return None

    code, _, first = devserver.build_in_fork(BuildWithAudit("a"), tmp_path, nothing)
    assert code == 0 and first.key == "a"  # made by the child, sent back through the pipe
    code, _, kept = devserver.build_in_fork(BuildWithAudit("a"), tmp_path, nothing, first)
    assert kept is first  # the same protected text: nothing sent, the server keeps its own
    code, _, changed = devserver.build_in_fork(BuildWithAudit("b"), tmp_path, nothing, first)
    assert changed is not first and changed.key == "b"
