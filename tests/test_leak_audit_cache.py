"""The leak audit's warm-build cache keeps its verdicts, and holds no protected text."""

from __future__ import annotations

import gzip
from pathlib import Path

from foreningssajt.leak_audit.cache import FILE_NAME, AuditCache
from foreningssajt.leak_audit.patterns import patterns_for
from foreningssajt.leak_audit.scan import scan_output
from foreningssajt.members.inventory import build_inventory

SECRET = "Kassören redovisade att arbetarekommunens sparkonto innehåller 48 312 kronor efter valrörelsen."
MINUTE = f"---\ntitle: Protokoll om sparkontot i mars\ndate: 2026-03-04\nmeeting: styrelse\n---\n{SECRET}\n"


def site_with_output(root: Path, pages: int = 5) -> Path:
    minute = root / "content" / "members" / "minutes" / "m.md"
    minute.parent.mkdir(parents=True)
    minute.write_text(MINUTE, encoding="utf-8")
    output = root / "output"
    output.mkdir()
    for i in range(pages):
        (output / f"p{i}.html").write_text(f"<p>Sida {i} om torget.</p>", encoding="utf-8")
    return output


def audit(root: Path, output: Path, cache: AuditCache):
    inventory = build_inventory(root / "content", root)
    return scan_output(output, patterns_for(inventory), inventory.files, cache)


def test_a_warm_audit_reads_only_changed_files_and_still_finds_a_planted_leak(tmp_path: Path) -> None:
    output = site_with_output(tmp_path)
    path = tmp_path / "cache" / FILE_NAME
    cold = audit(tmp_path, output, cache := AuditCache(path))
    assert cold.findings == [] and cold.cached == 0 and cold.files == 5
    cache.save()
    warm = audit(tmp_path, output, cache := AuditCache(path))
    assert warm.cached == 5 and warm.findings == []  # nothing changed: nothing read
    cache.save()
    (output / "p2.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    planted = audit(tmp_path, output, cache := AuditCache(path))
    cache.save()
    assert planted.cached == 4 and [f.name for f in planted.findings] == ["p2.html"]
    repeated = audit(tmp_path, output, AuditCache(path))  # a leaking file is never remembered as clean
    assert [f.name for f in repeated.findings] == ["p2.html"]


def test_a_renamed_file_and_a_changed_protected_text_are_read_again(tmp_path: Path) -> None:
    output = site_with_output(tmp_path)
    path = tmp_path / "cache" / FILE_NAME
    cache = AuditCache(path)
    audit(tmp_path, output, cache)
    cache.save()
    (output / "p0.html").rename(output / "protokoll-om-sparkontot-i-mars.html")  # same bytes, telling name
    renamed = audit(tmp_path, output, AuditCache(path))
    assert [f.name for f in renamed.findings] == ["protokoll-om-sparkontot-i-mars.html"]
    minute = tmp_path / "content" / "members" / "minutes" / "m.md"
    minute.write_text(MINUTE + "\nSida 3 om torget.\n", encoding="utf-8")  # now the page holds protected text
    changed = audit(tmp_path, output, AuditCache(path))
    assert changed.cached == 0


def test_the_cache_holds_no_protected_text(tmp_path: Path) -> None:
    output = site_with_output(tmp_path)
    cache = AuditCache(tmp_path / "cache" / FILE_NAME)
    audit(tmp_path, output, cache)
    cache.save()
    stored = (tmp_path / "cache" / FILE_NAME).read_text(encoding="utf-8").casefold()
    assert stored.startswith("{")
    for word in ("kassören", "sparkonto", "valrörelsen", "protokoll"):
        assert word not in stored


def test_no_cache_inside_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    assert AuditCache.for_build({"CACHE_PATH": str(output / ".cache")}, output).path is None
    assert AuditCache.for_build({"CACHE_PATH": str(tmp_path / ".cache")}, output).path is not None


def test_public_generators_caches_hold_no_protected_text(tmp_path: Path) -> None:
    """Pelican pickles settings into its reader caches; the session with the inventory stays out."""
    from sitebuild import build_site, make_site, post

    root = make_site(tmp_path / "site", {"members/minutes/m.md": MINUTE, "posts/p.md": post(tags="[torget]")})
    assert build_site(root, root / "output", search=False).returncode == 0
    public_caches = [p for p in (root / ".cache").rglob("*") if p.is_file() and not p.name.startswith("Members")]
    assert any(p.name == "ArticlesGenerator-Readers" for p in public_caches)
    for path in public_caches:
        data = path.read_bytes()
        text = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        assert b"sparkonto" not in text and b"BuildSession" not in text, path
