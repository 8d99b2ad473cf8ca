"""A build killed mid-way leaves no plaintext behind, and nothing git would publish.

The build writes into .output.building-<pid>/ beside output/ (foreningssajt/cli/staging.py). Killed
with SIGKILL, no handler runs: the folder stays until the next build removes it. It must
never hold members' text or attachments in plaintext (the members' generator writes only
ciphertext), and git must ignore it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from members_helpers import protected_phrases, public_source_text, read_output
from sitebuild import BUILD_COMMAND, REPO, build_site

FIXTURE = REPO / "tests" / "fixtures" / "members"

pytestmark = pytest.mark.slow


def git(site: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=site, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(FIXTURE, tmp_path / "site", ignore=shutil.ignore_patterns(".cache", "output")))
    shutil.copy(REPO / ".gitignore", root / ".gitignore")  # the repository's own rules
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "site")
    return root


def build_until_members_are_written(site: Path) -> tuple[subprocess.Popen, Path]:
    """A build, and its staging folder once the members' (encrypted) attachment is in it."""
    env = {k: v for k, v in os.environ.items() if k != "MEMBERS_PASSWORD"}
    process = subprocess.Popen(
        [*BUILD_COMMAND, "--root", str(site), "--no-search"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staging = site / f".output.building-{process.pid}"
    deadline = time.monotonic() + 300
    while not list(staging.glob("medlem/filer/*.bin")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return process, staging


def kill_while_members_are_written(site: Path) -> Path:
    process, staging = build_until_members_are_written(site)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    return staging


def test_a_killed_build_leaves_only_ciphertext_and_the_next_build_removes_it(site: Path) -> None:
    staging = kill_while_members_are_written(site)
    assert staging.is_dir() and list(staging.glob("medlem/**/index.html"))
    # No protected sentence, title or attachment in plaintext, under any name.
    texts = read_output(staging)
    phrases = protected_phrases(site / "content", public_source_text(site / "content"))
    assert len(phrases) > 10
    assert not [(p, f) for _, p in phrases for f, text in texts.items() if p in text]
    attachment = (site / "content/members/minutes/styrelseprotokoll-signerat-2026-03-04.pdf").read_bytes()
    assert not [f for f in staging.rglob("*") if f.is_file() and f.read_bytes() == attachment]
    assert git(site, "status", "--porcelain", "--ignored=no") == ""  # git ignores the leftover

    result = build_site(site, search=False, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 0, result.stderr
    assert not staging.exists()
    assert not list(site.glob(".output.*"))
    assert git(site, "status", "--porcelain", "--ignored=no") == ""


def test_sigterm_removes_the_staging_folder(site: Path) -> None:
    process, staging = build_until_members_are_written(site)
    assert process.poll() is None, "the build ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) != 0
    assert not staging.exists()
    assert not (site / "output").exists()  # nothing published
