"""A cold build's Markdown read ahead in worker processes (content_rules/preread.py).

Reading ahead must change nothing but the time: the same output bytes, the same
problem lines in the same order, nothing told twice or too early, the same objects
(categories, tags and authors refer to the build's own settings). Builds that fork run
in a fresh interpreter: this one may run other threads (Playwright's), and then the
build rightly never forks.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pelican.urlwrappers import URLWrapper
from sitebuild import REPO, build_site, make_site, post, site_settings

from foreningssajt.content_rules import preread
from foreningssajt.content_rules.reader import StrictYAMLReader
from foreningssajt.siteconfig import SiteError
from foreningssajt.siteconfig.session import session_of

TESTS = Path(__file__).resolve().parent
NOW = "2026-12-01T12:00:00+00:00"
DEMO_ENV = {"MEMBERS_PASSWORD": None, "BOARD_PASSWORD": None}
# Mistakes in several folders, one file with two, so that order and number both show.
BROKEN = {
    "posts/a-utan-datum.md": "---\ntitle: A\n---\nText.\n",
    "posts/b-fel-datum.md": post(date="2026-02-30"),
    "pages/c-utan-titel.md": "---\nmenu: 1\n---\n",
    "plans/d-fel-ar.md": "---\ntitle: Plan\nyear: tjugo\n---\n",
    "posts/e-fyra-fel.md": "---\ntitle: \ndate: igår\ntags: [a, [b]]\nfärg: röd\n---\nText.\n",
}


def demo_copy(site: Path, extra: dict[str, str] | None = None) -> Path:
    """The demo site in a folder of its own: its reader cache starts cold."""
    site.mkdir(parents=True)
    for name in ("site.yml", "editor.yml", "members-salt.txt"):
        shutil.copy(REPO / name, site / name)
    shutil.copytree(REPO / "content", site / "content")
    for relative, text in (extra or {}).items():
        (site / "content" / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / relative).write_text(text, encoding="utf-8")
    return site


def in_fresh_interpreter(scenario: str, *args: str) -> Any:
    """One of this module's _scenario_* functions in a new Python process; its JSON answer."""
    script = (
        f"import json, sys; sys.path.insert(0, {str(TESTS)!r}); import test_preread as t; "
        f"print(json.dumps(t._scenario_{scenario}(*sys.argv[1:])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False, cwd=REPO, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cold_build(site: Path, read_ahead: bool) -> dict[str, Any]:
    from test_demo_manifest import manifest_of

    preread.MIN_FILES = 0 if read_ahead else 10**9
    result = build_site(
        site, site / "output", search=False, now=NOW, full=True, env=DEMO_ENV, stats=site / "stats.json"
    )
    stats = json.loads((site / "stats.json").read_text(encoding="utf-8"))
    return {
        "code": result.returncode,
        "stderr": result.stderr.splitlines(),
        "read_ahead": stats["counts"].get("files_preread", 0),
        "manifest": manifest_of(site / "output") if result.returncode == 0 else {},
    }


def _scenario_builds(base: str, broken: str) -> dict[str, Any]:
    extra = BROKEN if broken == "yes" else {}
    found = {name: _cold_build(demo_copy(Path(base) / name, extra), name == "on") for name in ("off", "on")}
    if broken != "yes":  # the same site again: Pelican's cache is warm now, nothing is read ahead
        found["warm"] = _cold_build(Path(base) / "on", read_ahead=True)
    return found


def test_a_cold_build_read_ahead_writes_the_same_bytes(tmp_path: Path) -> None:
    found = in_fresh_interpreter("builds", str(tmp_path), "no")
    off, on = found["off"], found["on"]
    assert off["code"] == on["code"] == 0, (off["stderr"], on["stderr"])
    assert off["read_ahead"] == 0 and on["read_ahead"] == len(list((REPO / "content").rglob("*.md")))
    assert on["manifest"] == off["manifest"] and len(on["manifest"]) > 100
    assert found["warm"]["read_ahead"] == 0 and found["warm"]["manifest"] == off["manifest"]


def test_a_cold_build_read_ahead_tells_the_same_problems_in_the_same_order(tmp_path: Path) -> None:
    found = in_fresh_interpreter("builds", str(tmp_path), "yes")
    off, on = found["off"], found["on"]
    assert off["code"] == on["code"] == 1
    assert on["read_ahead"] > 0
    assert on["stderr"] == off["stderr"]
    told = [line for line in on["stderr"] if line.startswith("content/")]
    assert len(told) == len(BROKEN) + 3  # e-fyra-fel.md has four
    assert not any("internt fel" in line for line in on["stderr"])


def _scenario_outcomes(base: str) -> dict[str, Any]:
    site = demo_copy(Path(base) / "site", BROKEN)
    settings = site_settings(site)
    paths = preread.markdown_files(settings)
    ahead = preread.read_ahead(paths, settings, workers=2)
    here = StrictYAMLReader(settings)
    differing = []
    for path in paths:
        mine, theirs = here.outcome(path), ahead[path]
        same = (mine.html, mine.metadata, [str(p) for p in mine.problems]) == (
            theirs.html,
            theirs.metadata,
            [str(p) for p in theirs.problems],
        )
        if not same:
            differing.append(path)
    wrappers = [
        value
        for outcome in ahead.values()
        for each in outcome.metadata.values()
        for value in (each if isinstance(each, list) else [each])
        if isinstance(value, URLWrapper)
    ]
    return {
        "files": len(paths),
        "prepared": len(ahead),
        "differing": differing,
        "wrappers": len(wrappers),
        "own_settings": all(wrapper.settings is settings for wrapper in wrappers),
        "told_early": len(session_of(settings).problems),
    }


def test_outcomes_read_in_workers_equal_reading_here(tmp_path: Path) -> None:
    found = in_fresh_interpreter("outcomes", str(tmp_path))
    assert found["prepared"] == found["files"] > len(BROKEN)
    assert found["differing"] == []
    # Tags, categories and authors point at the build's settings, not at a copy per file.
    assert found["wrappers"] > 0 and found["own_settings"]
    assert found["told_early"] == 0  # problems wait until Pelican reads the file


def _scenario_worker_dies(base: str) -> dict[str, Any]:
    import os
    import select

    parent = os.getpid()
    drawn_read, drawn_write = os.pipe()
    read_here = StrictYAMLReader.outcome
    waited: list[bytes] = []

    def outcome(self: StrictYAMLReader, path: str) -> Any:
        if os.getpid() != parent:  # a worker dies on the first file it draws
            os.write(drawn_write, b"x")
            os._exit(3)
        if not waited:  # this process goes on once a worker has drawn files, so one surely dies
            waited.append(b"x" if select.select([drawn_read], [], [], 60)[0] else b"")
        return read_here(self, path)

    StrictYAMLReader.outcome = outcome
    found = _cold_build(demo_copy(Path(base) / "site"), read_ahead=True)
    found["worker_drew"] = waited == [b"x"]
    return found


def test_a_worker_that_dies_fails_the_build_with_one_swedish_line(tmp_path: Path) -> None:
    found = in_fresh_interpreter("worker_dies", str(tmp_path))
    assert found["worker_drew"] and found["code"] == 1
    assert found["stderr"][0].startswith("bygget: internt fel (WorkerFailed: ")
    assert found["stderr"][-1].startswith("Bygget avbröts")
    assert not any("Traceback" in line for line in found["stderr"])


# --- in this process: what reading takes, and when reading ahead is skipped -------------


def test_the_reader_takes_a_prepared_file_once_and_tells_its_problems_then(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"posts/fel.md": BROKEN["posts/e-fyra-fel.md"], "posts/bra.md": post()})
    settings = site_settings(root)
    paths = preread.markdown_files(settings)
    prepared = session_of(settings).prepared_reads
    prepared.update(preread.read_ahead(paths, settings, workers=1))
    bad, good = (str(root / "content/posts" / name) for name in ("fel.md", "bra.md"))
    assert set(prepared) == {bad, good} and not session_of(settings).problems

    reader = StrictYAMLReader(settings)
    prepared[bad].problems.append(SiteError("content/posts/fel.md", "x", "bara i förberedelsen"))
    with pytest.raises(SiteError):
        reader.read(bad)
    lines = session_of(settings).problems.lines()
    assert lines[-1] == "content/posts/fel.md: x: bara i förberedelsen"  # the prepared outcome was used
    assert bad not in prepared
    with pytest.raises(SiteError):  # read again: from the file this time, as without reading ahead
        reader.read(bad)
    assert session_of(settings).problems.lines() == lines
    assert reader.read(good)[1]["title"] == "Ett inlägg" and not prepared


def test_only_a_cold_reader_cache_is_worth_reading_ahead(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "templates").mkdir()
    settings = {"CACHE_PATH": str(cache), "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": "reader"}
    assert preread.reader_cache_is_cold(settings)
    (cache / "CalendarGenerator-Readers").write_bytes(b"")
    assert not preread.reader_cache_is_cold(settings)
    assert preread.reader_cache_is_cold({**settings, "LOAD_CONTENT_CACHE": False})
    assert not preread.reader_cache_is_cold({**settings, "LOAD_CONTENT_CACHE": False, "CONTENT_CACHING_LAYER": "x"})


def test_a_small_site_is_not_read_ahead(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {f"posts/p{n}.md": post(title=f"P{n}") for n in range(3)})
    settings = site_settings(root)
    assert preread.MIN_FILES > 3
    assert preread.preread(settings) == 0 and not session_of(settings).prepared_reads


def test_markdown_files_skips_what_pelican_ignores(tmp_path: Path) -> None:
    root = make_site(
        tmp_path / "site", {"posts/a.md": post(), "posts/.#a.md": "", "posts/b.txt": "", "pages/c.mkd": ""}
    )
    settings = site_settings(root)
    found = [Path(path).relative_to(root / "content").as_posix() for path in preread.markdown_files(settings)]
    assert found == ["pages/c.mkd", "posts/a.md"]
