"""Running the real build (tools/build.py) from tests, as a user's `make html` would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "tools" / "build.py"


def build_site(
    root: Path = REPO,
    output: Path | None = None,
    *,
    publish: bool = False,
    search: bool = True,
    now: str | None = None,
    env: dict[str, str | None] | None = None,
) -> subprocess.CompletedProcess:
    """Build the site at `root` into `output` in a separate process (signals are global)."""
    command = [sys.executable, str(BUILD), "--root", str(root)]
    if output is not None:
        command += ["--output", str(output)]
    if publish:
        command.append("--publish")
    if not search:
        command.append("--no-search")
    if now:
        command += ["--now", now]
    full_env = {**os.environ, **(env or {})}
    # None means "not set at all", e.g. MEMBERS_PASSWORD for a demo build.
    full_env = {key: value for key, value in full_env.items() if value is not None}
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=600, check=False)


def site_settings(root: Path = REPO, output: Path | None = None, publishing: bool = False) -> dict:
    """The settings a build of `root` runs with, with a fresh session (in-process tests)."""
    from siteconfig.session import BuildSession
    from siteconfig.settings import pelican_settings

    session = BuildSession.start(root, publishing=publishing)
    return pelican_settings(session, output or root / "output", search=False)


def make_site(root: Path, files: dict[str, str], site_yml: str | None = None) -> Path:
    """A small site folder: the repo's site.yml (or the given text) plus the given files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yml").write_text(site_yml or (REPO / "site.yml").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(REPO / "members-salt.txt", root / "members-salt.txt")
    (root / "content/images").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content/images/logo.svg", root / "content/images/logo.svg")  # site.yml names it
    for relative, text in files.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def post(title: str = "Ett inlägg", date: str = "2026-03-01 10:00", body: str = "Text.", **keys: str) -> str:
    """A news post's Markdown, for tests that need one."""
    header = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in keys.items()]
    return "---\n" + "\n".join(header) + "\n---\n" + body + "\n"
