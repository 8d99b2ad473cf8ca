"""`python -m foreningssajt.cli.build` as a volunteer runs it: exit codes, Swedish lines, Ctrl-C.

These tests spawn the command on purpose (sitebuild.build_command): only a real process
has a real exit code, receives Ctrl-C and prints to a terminal. Every other test
builds in-process with sitebuild.build_site, and the last test here checks that both
give the same answer. (test_members_staging.py spawns for SIGTERM and kill -9.)
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sitebuild import BUILD_COMMAND, build_command, build_site, make_site, post

NO_PASSWORDS = {"MEMBERS_PASSWORD": None, "BOARD_PASSWORD": None}
DONE = re.compile(r"^Klart: output/ byggd på \d+\.\d s\.$")
UNCHANGED = "Bygget avbröts; output/ är oförändrad."


def site_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """A small site whose output/ already holds an old build (a marker file)."""
    site = make_site(tmp_path / "site", files)
    (site / "output").mkdir()
    (site / "output" / "gammal.txt").write_text("förra bygget", encoding="utf-8")
    return site


def broken_files() -> dict[str, str]:
    return {"posts/bra.md": post("Bra"), "posts/trasig.md": post("Trasig", date="igår")}


def staging_folders(site: Path) -> list[Path]:
    return sorted(site.glob(".output.building-*"))


@pytest.mark.slow
def test_a_good_build_says_done_in_swedish_and_exits_0(tmp_path: Path) -> None:
    site = site_with(tmp_path, {"posts/bra.md": post("Bra")})
    done = build_command("--root", str(site), "--no-search", "--full", env=NO_PASSWORDS)
    assert done.returncode == 0, done.stderr
    printed = done.stdout.strip().splitlines()
    assert printed and DONE.match(printed[-1]), done.stdout
    assert "Traceback" not in done.stderr
    assert (site / "output" / "index.html").is_file() and not (site / "output" / "gammal.txt").exists()
    assert staging_folders(site) == []


@pytest.mark.slow
def test_a_mistake_gives_one_swedish_line_exit_1_and_the_old_output(tmp_path: Path) -> None:
    site = site_with(tmp_path, broken_files())
    done = build_command("--root", str(site), "--no-search", env=NO_PASSWORDS)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == UNCHANGED, done.stderr
    assert len(lines) == 2 and lines[0].startswith("content/posts/trasig.md: date: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert (site / "output" / "gammal.txt").read_text(encoding="utf-8") == "förra bygget"
    assert staging_folders(site) == []


def a_slow_site(tmp_path: Path) -> Path:
    # Enough pages that Pelican is still writing when the signal comes.
    files = {f"posts/p{i}.md": post(f"Inlägg {i}", date=f"2025-{i % 12 + 1:02d}-01 10:00") for i in range(150)}
    return site_with(tmp_path, files)


def start_build(site: Path) -> subprocess.Popen:
    command = [*BUILD_COMMAND, "--root", str(site), "--no-search", "--full"]
    env = {key: value for key, value in os.environ.items() if key not in NO_PASSWORDS}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for_staging(site: Path, build: subprocess.Popen, timeout: float = 300) -> Path:
    """The staging folder, once Pelican writes into it (the build is then inside staging.folder)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [folder for folder in staging_folders(site) if any(folder.iterdir())]
        if found:
            return found[0]
        if build.poll() is not None:
            pytest.fail(f"the build ended before writing anything:\n{build.stderr.read()}")
        time.sleep(0.02)
    build.kill()
    pytest.fail("the build wrote nothing in time")


@pytest.mark.slow
def test_ctrl_c_removes_the_staging_folder_and_keeps_output(tmp_path: Path) -> None:
    # SIGTERM and kill -9 (the folder left behind, removed by the next build) are tested
    # with the members' fixture in test_members_staging.py.
    site = a_slow_site(tmp_path)
    build = start_build(site)
    wait_for_staging(site, build)
    build.send_signal(signal.SIGINT)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 128 + signal.SIGINT, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert staging_folders(site) == []
    assert sorted(p.name for p in (site / "output").iterdir()) == ["gammal.txt"]


@pytest.mark.slow
def test_the_in_process_build_answers_as_the_command_line_does(tmp_path: Path) -> None:
    """sitebuild.build_site (every other test's build) gives the process's exit code and lines."""
    site = site_with(tmp_path, broken_files())
    spawned = build_command("--root", str(site), "--no-search", env=NO_PASSWORDS)
    in_process = build_site(site, search=False, env=NO_PASSWORDS)
    assert (in_process.returncode, in_process.stdout, in_process.stderr) == (
        spawned.returncode,
        spawned.stdout,
        spawned.stderr,
    )
    refused = build_site(site, publish=True, search=False)  # argparse's error, as a process
    assert refused.returncode == 2 and "always has search" in refused.stderr
