"""The leak audit that reads beside a full build (leak_audit/alongside.py).

Its early reading may only save time: a file it found clean counts as read only if the
bytes are the same at the end; a leak written after it looked is still found; it ends
when the build is gone; and a full build's every leak attempt stops the build with it
as without it. Forking is refused beside other threads (Playwright's, once a browser
test has run), so each test runs its body in a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from foreningssajt.leak_audit.alongside import SETTLED_NS, AuditProcess
from foreningssajt.members.inventory import build_inventory
from foreningssajt.siteconfig import parallel
from foreningssajt.siteconfig.parallel import WorkerFailed
from foreningssajt.siteconfig.session import SETTING, BuildSession

TESTS = Path(__file__).resolve().parent
SECRET = "Kassören redovisade att sparkontot innehåller 48 312 kronor efter valrörelsen."
MINUTE = f"---\ntitle: Protokoll styrelsemöte 4 mars\ndate: 2026-03-04\nmeeting: styrelse\n---\n{SECRET}\n"
CLEAN = "<p>Välkommen till torget på lördag klockan tio, alla är välkomna.</p>"


def in_fresh_interpreter(function: str, *args: str) -> None:
    script = f"import sys; sys.path.insert(0, {str(TESTS)!r}); import test_audit_alongside as t; "
    script += f"t.{function}(*{list(args)!r})"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def small_site(root: Path) -> dict:
    """A site with one minute and an output folder of ten clean pages; the settings the process reads."""
    minute = root / "content/members/minutes/m.md"
    minute.parent.mkdir(parents=True)
    minute.write_text(MINUTE, encoding="utf-8")
    output = root / "staging"
    output.mkdir()
    for i in range(10):
        (output / f"p{i}.html").write_text(CLEAN.replace("tio", f"tio {i}"), encoding="utf-8")
    past = time.time_ns() - 10 * SETTLED_NS  # settled: the process may read them at once
    for page in output.iterdir():
        os.utime(page, ns=(past, past))
    assert build_inventory(root / "content", root).items  # the minute is protected
    return {"OUTPUT_PATH": str(output), "PATH": str(root / "content"), SETTING: BuildSession.start(root)}


def started(settings: dict, html: dict[str, str] | None = None) -> AuditProcess:
    """The process, given what the build hands over after its pre-read (here nothing, unless `html`)."""
    assert parallel.can_fork()
    process = AuditProcess.start(settings, [], "pagefind/")
    assert process is not None
    process.hand_over(html or {})
    return process


@contextlib.contextmanager
def small_site_folder() -> Iterator[dict]:
    root = Path(tempfile.mkdtemp())
    try:
        yield small_site(root)
    finally:
        shutil.rmtree(root)


def test_a_page_rewritten_after_it_was_read_clean_is_read_again() -> None:
    in_fresh_interpreter("rewritten_after_reading")


def rewritten_after_reading() -> None:
    # The process says nothing before finish(); a small site is read within a second,
    # and if a loaded machine had not let it read every page early, try again.
    for wait in (1, 3, 9):
        with small_site_folder() as settings:
            process = started(settings)
            time.sleep(wait)
            page = Path(settings["OUTPUT_PATH"]) / "p3.html"
            before = page.stat()
            leaked = f"<p>{SECRET}</p>".encode()
            # Same size and time stamp: only the bytes tell the early verdict no longer holds.
            page.write_bytes(leaked[: before.st_size].ljust(before.st_size, b" "))
            os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
            result = process.finish(None)
        assert [f.name for f in result.stats.findings] == ["p3.html"]
        assert result.patterns is not None and result.stats.files == 10
        if result.read_early == 10:
            assert result.stats.cached == 9  # every page read early; all kept but p3
            return
    raise AssertionError("the audit process read no page while the build was writing")


def test_the_patterns_come_from_the_html_the_build_hands_over() -> None:
    in_fresh_interpreter("html_handed_over")


def html_handed_over() -> None:
    # The minute's Markdown says SECRET; the HTML handed over says RENDERED. Only a process
    # that makes its patterns from what it was given finds RENDERED in a page.
    rendered = "Revisorerna föreslog att styrelsen beviljas full ansvarsfrihet för verksamhetsåret."
    with small_site_folder() as settings:
        page = Path(settings["OUTPUT_PATH"]) / "p5.html"
        page.write_text(f"<p>{rendered}</p>", encoding="utf-8")
        minute = os.path.abspath(Path(settings["PATH"]) / "members/minutes/m.md")
        html = {minute: f"<p>{rendered}</p>", "/elsewhere/content/posts/x.md": "<p>Ingen skyddad text.</p>"}
        result = started(settings, html).finish(None)
    assert [f.name for f in result.stats.findings] == ["p5.html"]


def test_the_later_folder_is_read_after_the_build_says_it_is_complete() -> None:
    in_fresh_interpreter("later_folder")


def later_folder() -> None:
    with small_site_folder() as settings:
        process = started(settings)
        order: list[str] = []

        def pagefind_finishes() -> None:
            order.append("waited")
            folder = Path(settings["OUTPUT_PATH"]) / "pagefind"
            folder.mkdir()
            (folder / "fragment.json").write_text(json.dumps({"content": SECRET}), encoding="utf-8")

        result = process.finish(pagefind_finishes)
    assert order == ["waited"] and result.stats.files == 11
    assert [f.name for f in result.stats.findings] == ["pagefind/fragment.json"]


def test_the_later_folder_is_read_while_written_and_a_rewrite_is_still_caught() -> None:
    in_fresh_interpreter("later_read_while_written")


def later_read_while_written() -> None:
    clean = json.dumps({"content": "Välkommen till torget på lördag, alla är välkomna."}).encode()
    leaked = json.dumps({"content": SECRET}).encode()[: len(clean)].ljust(len(clean), b" ")
    for wait in (1, 3, 9):  # as in rewritten_after_reading: a loaded machine may need longer
        with small_site_folder() as settings:
            process = started(settings)
            time.sleep(wait)  # the ten pages, read early

            def pagefind_writes(pause: float = wait) -> None:
                fragment = Path(settings["OUTPUT_PATH"]) / "pagefind/fragment.json"
                fragment.parent.mkdir()
                fragment.write_bytes(clean)
                past = time.time_ns() - 10 * SETTLED_NS
                os.utime(fragment, ns=(past, past))
                time.sleep(pause)  # read while Pagefind "runs"
                fragment.write_bytes(leaked)  # then rewritten: same size, same time stamp
                os.utime(fragment, ns=(past, past))

            result = process.finish(pagefind_writes)
        assert [f.name for f in result.stats.findings] == ["pagefind/fragment.json"]
        if result.read_early == 11:  # the fragment too was read before Pagefind was done
            return
    raise AssertionError("the audit process read nothing of the later folder while it was written")


def test_the_process_ends_when_the_build_is_gone() -> None:
    in_fresh_interpreter("build_gone")


def build_gone() -> None:
    with small_site_folder() as settings:
        process = started(settings)
        os.close(process._control)  # what a build killed with -9 leaves: the pipe's end, nothing said
        _wait_for_end(process._child.pid)


def _wait_for_end(pid: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) != 0
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the audit process outlived its build")


def test_a_process_that_dies_fails_the_audit() -> None:
    in_fresh_interpreter("process_dies")


def process_dies() -> None:
    import signal

    with small_site_folder() as settings:
        process = started(settings)
        os.kill(process._child.pid, signal.SIGKILL)
        with pytest.raises(WorkerFailed):
            process.finish(None)


@pytest.mark.slow
def test_every_leak_attempt_stops_a_full_build_that_audits_alongside() -> None:
    in_fresh_interpreter("every_attempt")


def every_attempt() -> None:
    import test_leak_audit_build as attempts
    from sitebuild import make_site, run_build

    from foreningssajt.content_rules import preread

    base = make_site(Path(tempfile.mkdtemp()) / "site", attempts.FILES)
    (base / attempts.PDF).write_bytes(attempts.tiny_pdf(attempts.PDF_TEXT))
    failed = []
    cases = [("clean", (None, None, None)), *attempts.ATTEMPTS.items()]
    for number, (name, (public, protected, text)) in enumerate(cases):
        # Every other build reads its Markdown ahead (as a site of 100 files or more does)
        # and hands the protected files' HTML to the audit's process; the rest do not.
        ahead = number % 2 == 0 and parallel.cores() > 1
        preread.MIN_FILES = 0 if ahead else 10**9
        site = Path(shutil.copytree(base, Path(tempfile.mkdtemp()) / "site"))
        if public is not None:
            attempts.write(site, public, text())
        stats = site.parent / "stats.json"
        done = run_build(["--root", str(site), "--output", str(site.parent / "output"), "--stats", str(stats)])
        counts = json.loads(stats.read_text())["counts"]
        lines = done.stderr.splitlines()
        named = [line for line in lines if public and line.startswith(f"{public}: ") and protected in line]
        expected = 0 if public is None else 1
        paths = counts.get("audit_alongside") == 1 and (counts.get("files_preread", 0) > 0) == ahead
        if not paths or done.returncode != expected or len(named) != expected:
            failed.append((name, ahead, done.returncode, counts, lines))
        shutil.rmtree(site.parent)
    assert not failed, failed


def test_each_round_lists_only_the_files_added_since_the_last(tmp_path: Path) -> None:
    from foreningssajt.leak_audit.alongside import _Listing

    (tmp_path / "nyheter/a").mkdir(parents=True)
    (tmp_path / "nyheter/a/index.html").write_text("a")
    (tmp_path / "index.html").write_text("start")
    listing = _Listing(str(tmp_path))
    assert sorted(listing.new_files()) == ["index.html", "nyheter/a/index.html"]
    assert listing.new_files() == []
    time.sleep(0.02)  # a folder's mtime must move on for its new entry to be seen
    (tmp_path / "nyheter/b").mkdir()
    (tmp_path / "nyheter/b/index.html").write_text("b")
    (tmp_path / "nyheter/a/bild.png").write_bytes(b"png")
    assert sorted(listing.new_files()) == ["nyheter/a/bild.png", "nyheter/b/index.html"]
