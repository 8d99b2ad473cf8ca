"""Pelican's content cache: used for every folder, and never trusted after site.yml changed."""

from __future__ import annotations

from pathlib import Path

from sitebuild import REPO, build_site, make_site, post

REPORT = """---
title: Inför nämnden
date: 2026-03-15 09:00
author: omar-haddad
committee: bun
meeting: 2026-03-18
phase: before
---
Vi tar upp skolskjutsen.
"""


def test_plugin_folders_are_cached_and_warm_output_is_the_same(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"posts/a.md": post(), "reports/bun-before.md": REPORT})
    assert build_site(root, tmp_path / "cold", search=False).returncode == 0
    caches = {p.name for p in (root / ".cache").glob("*/*")}
    assert {"ArticlesGenerator-Readers", "ReportsGenerator-Readers"} <= caches
    assert build_site(root, tmp_path / "warm", search=False).returncode == 0
    for page in (tmp_path / "cold").rglob("*.html"):
        if "medlem" not in page.parts:
            assert page.read_bytes() == (tmp_path / "warm" / page.relative_to(tmp_path / "cold")).read_bytes()


def test_a_changed_site_yml_rechecks_cached_files(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"posts/a.md": post(), "reports/bun-before.md": REPORT})
    assert build_site(root, root / "output", search=False).returncode == 0
    site_yml = (REPO / "site.yml").read_text(encoding="utf-8")
    assert "  - id: bun\n" in site_yml
    (root / "site.yml").write_text(site_yml.replace("  - id: bun\n", "  - id: barn\n"), encoding="utf-8")
    result = build_site(root, root / "output", search=False)
    assert result.returncode != 0
    assert "content/reports/bun-before.md: committee:" in result.stderr
