"""The leak audit: passes on clean builds, catches planted leaks, stays linear."""

from __future__ import annotations

import gzip
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitebuild import site_settings

from leak_audit.audit import audit_build, scan_output
from leak_audit.matcher import Matcher, text_words
from leak_audit.patterns import WINDOW, Pattern, patterns_for
from members.protected import Protected, sentences

REPO = Path(__file__).resolve().parents[1]
# Sentences from tests/fixtures/members/content/members/ (protected) ...
SECRET = "Kassören redovisade att arbetarekommunens sparkonto innehåller 48 312 kronor efter valrörelsen."
SECRET_TITLE = "Extra medlemsbrev om kongressombuden"
ATTACHMENT = "styrelseprotokoll-signerat-2026-03-04.pdf"
# ... and phrases they share with public sources or that are too short to be distinctive.
SHARED = "Välkommen till vårt medlemsmöte om bostadspolitiken i Björkvik på torsdag den andra april."
SHORT = "Mötet förklarades öppnat."


def settings_for(site: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    return site_settings(site)


@pytest.fixture
def output_copy(members_site: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(members_site / "output", tmp_path / "output"))


def leak_lines(members_site: Path, output: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return [str(e) for e in audit_build(settings_for(members_site, monkeypatch), output).leaks]


# ---- clean builds pass ----------------------------------------------------------------


@pytest.mark.slow
def test_passes_on_the_demo_site(demo_output: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stats = audit_build(site_settings(REPO), demo_output)
    assert stats.leaks == []
    assert stats.patterns > 100 and stats.files > 20  # it did look, at something
    assert any(p.relative_to(demo_output).parts[0] == "pagefind" for p in demo_output.rglob("*.pf_fragment"))


@pytest.mark.slow
def test_no_false_alarm_on_shared_and_short_phrases(
    members_site: Path, output_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fixture's public "Om oss" page repeats SHARED and SHORT from protected items.
    page = output_copy / "ny-sida.html"
    page.write_text(f"<p>{SHARED}</p><p>{SHORT} Dagordningen fastställdes.</p>", encoding="utf-8")
    stats = audit_build(settings_for(members_site, monkeypatch), output_copy)
    assert stats.leaks == []
    assert stats.dropped_as_public >= 1  # SHARED's windows: the association published them itself


# ---- planted leaks fail, naming file and snippet ----------------------------------------


PLANTED = {
    # inline markup and an entity inside the sentence, cut short
    "om-oss/index.html": "<p>Kassören <em>redovisade</em> att arbetarekommunens sparkonto innehåller 48&nbsp;312",
    # a feed escapes the HTML it carries
    "nyheter.atom": f"<feed><summary type='html'>&lt;p&gt;{SECRET}&lt;/p&gt;</summary></feed>",
    # JSON with ensure_ascii: ö is \\u00f6
    "search.json": json.dumps({"excerpt": SECRET}),
    # gzip without a .gz name, as pagefind writes its fragments
    "pagefind/fragment/x.pf_fragment": gzip.compress(json.dumps({"content": SECRET}).encode()),
    "nyheter/arkiv/index.html.gz": gzip.compress(f"<h2>{SECRET_TITLE}</h2>".encode()),
    # a share link percent-encodes the text
    "nyheter/dela.html": '<a href="https://example.org/share?text=Kass%C3%B6ren%20redovisade%20att%20'
    'arbetarekommunens%20sparkonto%20inneh%C3%A5ller%2048%20312%20kronor">Dela</a>',
    # iCalendar folds lines at 75 octets, mid-word, and escapes commas
    "kalender/kalender.ics": "BEGIN:VEVENT\r\nDESCRIPTION:Kassören redovisade att arbetarekommunens sp\r\n "
    "arkonto innehåller 48 312 kronor efter valrörelsen\\, sa hon.\r\nEND:VEVENT\r\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("where", PLANTED)
def test_planted_text_is_found(
    where: str, members_site: Path, output_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = output_copy / where
    target.parent.mkdir(parents=True, exist_ok=True)
    planted = PLANTED[where]
    before = target.read_bytes() if target.exists() else b""
    target.write_bytes(before + (planted if isinstance(planted, bytes) else planted.encode()))
    lines = leak_lines(members_site, output_copy, monkeypatch)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"output/{where}: leak: protected ")
    assert "content/members/" in lines[0] and "“" in lines[0]  # the source, and the snippet in quotes
    snippet = lines[0].split("“")[1].split("”")[0]
    assert " ".join(snippet.split()[:3]) in " ".join(text_words(SECRET + " " + SECRET_TITLE))


@pytest.mark.slow
def test_planted_file_name_and_attachment_copy_are_found(
    members_site: Path, output_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (output_copy / "filer").mkdir()
    (output_copy / "filer" / f"{ATTACHMENT}.txt").write_text("empty")
    source = members_site / "content/members/minutes" / ATTACHMENT
    shutil.copy(source, output_copy / "filer" / "a.bin")
    (output_copy / "filer" / "b.gz").write_bytes(gzip.compress(source.read_bytes()))
    lines = leak_lines(members_site, output_copy, monkeypatch)
    assert f"output/filer/{ATTACHMENT}.txt: leak: protected attachment name" in "\n".join(lines)
    assert f"output/filer/a.bin: leak: is a plaintext copy of content/members/minutes/{ATTACHMENT}" in lines
    assert f"output/filer/b.gz: leak: is a plaintext copy of content/members/minutes/{ATTACHMENT}" in lines
    assert len(lines) == 3


def test_the_audit_is_the_last_step_after_everything_that_writes() -> None:
    from tools import build

    assert [step.__name__ for step in build.STEPS] == ["generate", "write_site_files", "index_search", "audit"]


# A plugin bug writing protected text on `finalized`, connected before the build's own
# plugins (blinker calls receivers in connection order): the build must fail.
LEAKY_BUILD = """
import gzip, sys
from pathlib import Path
sys.path[:0] = [sys.argv[1] + "/tools", sys.argv[1] + "/plugins"]
from pelican import signals
def leak(pelican):
    out = Path(pelican.output_path)
    (out / "lacka.html").write_text("<p>" + sys.argv[4] + "</p>", encoding="utf-8")
    (out / "pagefind" / "fragment").mkdir(parents=True, exist_ok=True)
    (out / "pagefind" / "fragment" / "lacka.pf_fragment").write_bytes(gzip.compress(sys.argv[4].encode()))
signals.finalized.connect(leak, weak=False)
import build
sys.exit(build.main(["--root", sys.argv[2], "--output", sys.argv[3]]))
"""


@pytest.mark.slow
def test_build_fails_when_a_plugin_leaks(members_site: Path, tmp_path: Path) -> None:
    site = Path(shutil.copytree(members_site, tmp_path / "site", ignore=shutil.ignore_patterns("output", ".cache")))
    proc = subprocess.run(
        [sys.executable, "-c", LEAKY_BUILD, str(REPO), str(site), str(tmp_path / "out"), SECRET],
        capture_output=True, text=True, timeout=300, check=False, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    leaks = [line for line in proc.stderr.splitlines() if ": leak: " in line]
    assert {line.split(":")[0] for line in leaks} == {"output/lacka.html", "output/pagefind/fragment/lacka.pf_fragment"}
    assert all("content/members/minutes/styrelse-2026-03-04.md" in line for line in leaks), leaks
    assert not (tmp_path / "out").exists()  # nothing published


# ---- linear in the size of output/ ---------------------------------------------------


def test_failure_links_never_cost_more_than_the_words_read() -> None:
    # Worst case for naive matching: patterns that almost match everywhere.
    matcher = Matcher([("a",) * 7 + ("b",), ("a", "a", "c"), ("a",) * 3 + ("b",)])
    text = ["a"] * 100_000 + ["b"]
    assert list(matcher.search(text)) == [(100_000, 0), (100_000, 2)]
    assert matcher.steps <= 2 * len(text)


def _synthetic_output(root: Path, files: int, vocabulary: list[str], rng: random.Random) -> int:
    for i in range(files):
        text = " ".join(rng.choice(vocabulary) for _ in range(20_000))
        (root / f"p{i}.html").write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    return files * 20_000


@pytest.mark.slow
def test_work_grows_linearly_with_output(tmp_path: Path) -> None:
    rng = random.Random(3)
    vocabulary = [f"ord{i}" for i in range(300)]  # a small vocabulary: many partial matches
    texts = [Protected("content/members/x.md", "text", " ".join(rng.choices(vocabulary, k=12))) for _ in range(2000)]
    patterns = [Pattern(tuple(text_words(t.text))[:WINDOW], t) for t in texts]
    steps = []
    for files in (20, 40):  # about 2.7 and 5.4 MB
        output = tmp_path / str(files)
        output.mkdir()
        words = _synthetic_output(output, files, vocabulary, rng)
        started = time.perf_counter()
        stats = scan_output(output, patterns, [])
        elapsed = time.perf_counter() - started
        # Two passes per HTML file (with and without tags), each word one step plus
        # failure hops, which are never more than the words read.
        assert stats.words >= words
        assert stats.steps <= 2 * 2 * stats.words
        steps.append(stats.steps)
        assert elapsed < 30, f"{words} words took {elapsed:.1f} s"
    assert steps[1] <= 2.2 * steps[0]  # twice the output, about twice the work


# ---- the matcher and the pattern rules, in isolation ------------------------------------

_words = st.lists(st.sampled_from("abcd"), min_size=0, max_size=60)


@given(text=_words, patterns=st.lists(st.lists(st.sampled_from("abcd"), min_size=1, max_size=5), max_size=8))
def test_matcher_finds_exactly_what_a_naive_search_finds(text: list[str], patterns: list[list[str]]) -> None:
    naive = {
        (end, index)
        for index, pattern in enumerate(patterns)
        for end in range(len(pattern) - 1, len(text))
        if text[end - len(pattern) + 1 : end + 1] == pattern
    }
    matcher = Matcher(patterns)
    assert set(matcher.search(text)) == naive
    assert matcher.steps <= 2 * len(text)


def test_text_is_compared_as_normalised_words() -> None:
    assert text_words("Styrelsen <em>BESLÖT</em> att&nbsp;”höja” avgiften – igen.") == [
        "styrelsen", "beslöt", "att", "höja", "avgiften", "igen",
    ]  # fmt: skip
    assert text_words('{"t": "f\\u00f6rsta\\nStyrelsen"}') == ["t", "första", "styrelsen"]


def test_sentences_split_blocks_and_sentence_ends() -> None:
    html = "<h2>§ 1 Öppnande</h2><p>Mötet öppnades. Alla var där!</p><ul><li>Punkt ett</li><li>Punkt två</li></ul>"
    assert sentences(html) == ["§ 1 Öppnande", "Mötet öppnades.", "Alla var där!", "Punkt ett", "Punkt två"]


def test_only_distinctive_text_becomes_a_pattern() -> None:
    src = "content/members/x.md"
    texts = [
        Protected(src, "text", "Mötet förklarades öppnat."),  # short and ordinary
        Protected(src, "text", "Styrelsen beslöt att höja avgiften nästa år."),  # 8 words: whole
        Protected(src, "text", "Ett två tre fyra fem sex sju åtta nio tio."),  # 10 words: 3 windows of 8
        Protected(src, "title", "Protokoll 4 mars"),  # short title
        Protected(src, "title", "Medlemsbrev november 2026"),
        Protected(src, "attachment name", "bilaga.pdf"),
        Protected(src, "attachment name", "budget-2027-utkast.pdf"),
    ]
    found = {p.text for p in patterns_for(texts)}
    assert found == {
        "styrelsen beslöt att höja avgiften nästa år",
        "ett två tre fyra fem sex sju åtta",
        "två tre fyra fem sex sju åtta nio",
        "tre fyra fem sex sju åtta nio tio",
        "medlemsbrev november 2026",
        "budget 2027 utkast pdf",
    }


def test_text_attachments_are_protected_sentence_by_sentence(tmp_path: Path) -> None:
    from leak_audit.audit import attachment_texts

    members = tmp_path / "content" / "members" / "minutes"
    members.mkdir(parents=True)
    (members / "narvarolista.csv").write_text("namn;roll\nKarin Öberg;kassör och firmatecknare i föreningen\n")
    texts = attachment_texts(tmp_path / "content" / "members", tmp_path)
    assert Protected("content/members/minutes/narvarolista.csv", "attachment text", "Karin Öberg;kassör och "
                     "firmatecknare i föreningen") in texts  # fmt: skip
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>Karin Öberg, kassör och firmatecknare i föreningen</p>")
    stats = scan_output(output, patterns_for(texts), [])
    assert [str(e).split(": leak:")[0] for e in stats.leaks] == ["output/index.html"]
