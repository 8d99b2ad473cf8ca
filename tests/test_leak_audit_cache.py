"""The leak audit's speed-ups keep its verdicts: the warm-build cache and the run memo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitebuild import site_settings

from leak_audit import scan
from leak_audit.audit import audit_build, scan_output
from leak_audit.cache import FILE_NAME, AuditCache
from leak_audit.matcher import FILTER_WORDS, Matcher, markup_words, text_words, unescaped, without_tags, words
from leak_audit.patterns import patterns_for
from members.protected import Protected

REPO = Path(__file__).resolve().parents[1]
SECRET = "Kassören redovisade att arbetarekommunens sparkonto innehåller 48 312 kronor efter valrörelsen."
SECRET_TITLE = "Extra medlemsbrev om kongressombuden"
CACHE_KEYS = {"version", "public", "key", "verdicts", "clean", "found"}


def settings_for(site: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    settings = site_settings(site)
    settings["CACHE_PATH"] = str(cache)
    return settings


@pytest.fixture
def output_copy(members_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(members_site / "output", tmp_path / "output"))


# ---- the warm-build cache ------------------------------------------------------------------


@pytest.mark.slow
def test_a_warm_audit_reads_only_changed_files_and_still_finds_a_planted_leak(
    members_site: Path, output_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(members_site, tmp_path / "cache", monkeypatch)
    cold = audit_build(settings, output_copy)
    assert cold.leaks == [] and cold.cached == 0 and cold.files > 20
    warm = audit_build(settings, output_copy)
    assert warm.leaks == [] and warm.cached == warm.files == cold.files  # nothing changed: nothing read
    page = output_copy / "om-oss" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + f"<p>{SECRET}</p>", encoding="utf-8")
    planted = audit_build(settings, output_copy)
    assert planted.cached == cold.files - 1
    assert [str(e).split(": leak:")[0] for e in planted.leaks] == ["output/om-oss/index.html"]
    again = audit_build(settings, output_copy)  # a leaky file is never remembered as clean
    assert [str(e).split(": leak:")[0] for e in again.leaks] == ["output/om-oss/index.html"]


@pytest.mark.slow
def test_a_renamed_file_is_read_again(
    members_site: Path, output_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same bytes, new name: the name is searched too (an attachment's name in a file name).
    settings = settings_for(members_site, tmp_path / "cache", monkeypatch)
    page = output_copy / "ny-sida.html"
    page.write_text("<p>Hej</p>", encoding="utf-8")
    assert audit_build(settings, output_copy).leaks == []
    page.rename(output_copy / "extra-medlemsbrev-om-kongressombuden.html")
    lines = [str(e) for e in audit_build(settings, output_copy).leaks]
    assert len(lines) == 1 and lines[0].startswith("output/extra-medlemsbrev-om-kongressombuden.html: leak: ")


def test_a_changed_pattern_set_invalidates_cached_verdicts(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    src = "content/members/x.md"
    before = patterns_for([Protected(src, "text", "Styrelsen beslöt att höja avgiften nästa år.")])
    after = before + patterns_for([Protected(src, "text", SECRET)])
    cache = AuditCache(tmp_path / "cache" / FILE_NAME)
    assert scan_output(output, before, [], cache=cache).leaks == []
    cache.save()
    warm = scan_output(output, before, [], cache=AuditCache(tmp_path / "cache" / FILE_NAME))
    assert warm.cached == 1 and warm.leaks == []
    changed = scan_output(output, after, [], cache=AuditCache(tmp_path / "cache" / FILE_NAME))
    assert changed.cached == 0
    assert [str(e).split(": leak:")[0] for e in changed.leaks] == ["output/index.html"]
    # A pattern dropped as public before, and not any more, is the same kind of change.
    public = set(range(len(before), len(after)))
    cache = AuditCache(tmp_path / "c2.json")
    assert scan_output(output, after, [], dropped=public, cache=cache).leaks == []
    cache.save()
    assert scan_output(output, after, [], dropped=public, cache=AuditCache(tmp_path / "c2.json")).cached == 1
    unpublished = scan_output(output, after, [], dropped=set(), cache=AuditCache(tmp_path / "c2.json"))
    assert unpublished.cached == 0 and len(unpublished.leaks) == 1


def test_a_changed_audit_version_invalidates_cached_verdicts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>Hej</p>", encoding="utf-8")
    cache = AuditCache(tmp_path / FILE_NAME)
    scan_output(output, [], [], cache=cache)
    cache.save()
    assert scan_output(output, [], [], cache=AuditCache(tmp_path / FILE_NAME)).cached == 1
    monkeypatch.setattr("leak_audit.cache.code_version", lambda: "the audit's code changed")
    assert scan_output(output, [], [], cache=AuditCache(tmp_path / FILE_NAME)).cached == 0


@pytest.mark.slow
def test_the_cache_file_holds_no_protected_text(
    members_site: Path, output_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(members_site, tmp_path / "cache", monkeypatch)
    stats = audit_build(settings, output_copy)
    assert stats.leaks == [] and stats.patterns > 10
    stored = (tmp_path / "cache" / FILE_NAME).read_text(encoding="utf-8")
    data = json.loads(stored)
    assert set(data) == {"version", "public", "verdicts"}
    clean = data["verdicts"]["clean"]
    assert all((output_copy / name).is_file() and len(digest) == 64 for name, digest in clean.items())
    found = data["public"]["found"]
    assert found and all(not Path(name).is_relative_to("content/members") for name in found)
    assert all(len(digest) == 64 and all(isinstance(i, int) for i in indexes) for digest, indexes in found.values())
    # Besides the names of output files and public sources (searched by the audit itself), only
    # hashes and numbers: no protected word sequence at all, not even three words in a row.
    data["verdicts"]["clean"] = list(clean.values())
    data["public"]["found"] = list(found.values())
    folded = " ".join(text_words(json.dumps(data)))
    assert all(len(word) == 64 or word.isdigit() or word in CACHE_KEYS for word in text_words(json.dumps(data)))
    for text in (SECRET, SECRET_TITLE, "styrelseprotokoll-signerat-2026-03-04.pdf"):
        sequence = text_words(text)
        for i in range(len(sequence) - 2):
            assert " ".join(sequence[i : i + 3]) not in folded


@pytest.mark.slow
def test_no_cache_inside_output(
    members_site: Path, output_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(members_site, output_copy / "cache", monkeypatch)
    assert audit_build(settings, output_copy).leaks == []
    assert not (output_copy / "cache").exists()


# ---- the run memo and the single normalisation give what the plain search gives -----------

_words = st.lists(st.sampled_from(["a", "b", "c", "d", "x"]), min_size=0, max_size=80)
_patterns = st.lists(st.lists(st.sampled_from("abcd"), min_size=1, max_size=5), max_size=8)


@given(texts=st.lists(_words, min_size=1, max_size=4), patterns=_patterns)
def test_found_in_finds_what_search_finds(texts: list[list[str]], patterns: list[list[str]]) -> None:
    # "x" is in no pattern: it cuts runs. Several texts share the matcher, so remembered runs are reused.
    plain, cutting = Matcher(patterns), Matcher(patterns)
    for text in texts + texts:
        steps = cutting.steps
        assert cutting.found_in(text) == [index for _, index in plain.search(text)]
        assert cutting.steps - steps <= (FILTER_WORDS + 6) * len(text)


_markup = st.text(alphabet=st.sampled_from(list("ab AÅ<>/=\"'é\u0301\u0338\uff1c\uff1e\ufb01\u00a0ß.")), max_size=60)


@given(text=_markup)
def test_markup_words_equal_words_with_and_without_tags(text: str) -> None:
    assert markup_words(text) == (words(text), words(without_tags(text)))


@given(text=st.text(alphabet=st.sampled_from(list("%2Ac3Å5aöF ")), max_size=40))
def test_unescaped_gives_what_unquote_gives(text: str) -> None:
    from urllib.parse import unquote

    assert unescaped(text) == unquote(text)


# ---- several processes find what one finds ----------------------------------------------------


def _leaky_output(root: Path) -> list:
    src = "content/members/x.md"
    secrets = [f"Styrelsen beslöt att höja avgiften för grupp {i} nästa år med tio kronor." for i in range(6)]
    for i in range(40):
        body = f"<p>{secrets[i % 6]}</p>" if i % 7 == 0 else "<p>Välkommen till vårt öppna möte.</p>"
        (root / f"sida-{i:02}.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return patterns_for([Protected(src, "text", s) for s in secrets])


def test_several_workers_find_what_one_finds(tmp_path: Path) -> None:
    patterns = _leaky_output(tmp_path)
    one = scan_output(tmp_path, patterns, [], workers=1)
    two = scan_output(tmp_path, patterns, [], workers=2)
    assert [str(e) for e in two.leaks] == [str(e) for e in one.leaks]
    assert len(one.leaks) == 6 and (two.files, two.words) == (one.files, one.words)  # steps: each has its memo


def test_a_failed_pool_means_one_process_not_fewer_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise BrokenProcessPool("a worker died")

    patterns = _leaky_output(tmp_path)
    monkeypatch.setattr(scan, "ProcessPoolExecutor", Broken)
    stats = scan_output(tmp_path, patterns, [], workers=2)
    assert stats.files == 40 and len(stats.leaks) == 6
