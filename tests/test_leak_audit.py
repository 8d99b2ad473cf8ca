"""The leak audit's parts: reading like a browser, the patterns, the matcher, documents, the inventory.

Fast unit tests; whole builds with leak attempts are in test_leak_audit_build.py.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from members_helpers import office_file, tiny_pdf

from foreningssajt.leak_audit.documents import Unreadable, document_texts
from foreningssajt.leak_audit.matcher import Matcher
from foreningssajt.leak_audit.normalise import (
    HEX_RUN,
    LONG_WORD,
    bytes_without_ciphertext,
    reader_words,
    seen_text,
    without_ciphertext,
)
from foreningssajt.leak_audit.patterns import MIN_SENTENCE_WORDS, WINDOW, patterns_for, sequences
from foreningssajt.leak_audit.scan import PARALLEL_FROM, CodeFiles, FileReader, automata_for, scan_output
from foreningssajt.members.inventory import DEFAULT_ACCESS, build_inventory
from foreningssajt.members.protected import INLINE_TAGS
from foreningssajt.siteconfig import parallel
from foreningssajt.siteconfig.parallel import CHUNK, WorkerFailed, map_forked

TESTS = Path(__file__).resolve().parent

SECRET = "Kassören redovisade att arbetarekommunens sparkonto innehåller 48 312 kronor efter valrörelsen."
WORDS = " kassören redovisade att arbetarekommunens sparkonto innehåller 48 312 kronor efter valrörelsen "


# ---- what a reader sees -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        SECRET,
        SECRET.replace("sparkonto", "spar\u00adkonto"),  # soft hyphen
        SECRET.replace("sparkonto", "spar&shy;konto"),
        SECRET.replace("sparkonto", "spar\u200bkon\u200dto").replace("Kassören", "\ufeffKassören"),  # zero-width, BOM
        SECRET.replace("sparkonto", "spar\u2063konto").replace("efter", "ef\u200eter"),  # invisible separator, LRM
        SECRET.replace("sparkonto", "spar<span>kon</span>to").replace("kronor", "<em>kr</em>onor"),  # tags in words
        SECRET.replace("sparkonto", "spar<!-- x -->konto"),
        SECRET.upper(),
        SECRET.replace(" ", "\u00a0").replace("48 312", "48\u202f312"),  # no-break and thin spaces
        SECRET.replace("Kassören", "&#75;ass&ouml;ren").replace("att", "&quot;att&quot;"),
        SECRET.replace("Kassören", "Kasso\u0308ren"),  # ö as o and a combining diaeresis
        SECRET.replace("kronor", "ｋｒｏｎｏｒ"),  # full-width letters (NFKC)
        SECRET.replace("sparkonto", "spar\U000e0041konto"),  # a tag character outside the BMP
        "&lt;p&gt;"
        + SECRET.replace("sparkonto", "spar&lt;b&gt;konto&lt;/b&gt;")
        + "&lt;/p&gt;",  # escaped HTML (feeds)
    ],
)
def test_text_is_read_as_a_browser_shows_it(shown: str) -> None:
    assert WORDS in seen_text(f"<p>{shown}</p>")


def test_blocks_separate_and_quotes_dashes_are_spaces() -> None:
    assert seen_text("<p>ett</p><p>två</p><br>tre<li>fyra").startswith(" ett två tre fyra ")
    assert reader_words("”Nej” – sa ’hon’ — \u2011 «igen»") == " nej sa hon igen "


def test_what_markup_carries_is_read_too() -> None:
    html = '<meta name="description" content="Hemlig text i metan"><img alt="Hemlig bildtext här"><!-- gömd rad -->'
    words = seen_text(html)
    assert " hemlig text i metan " in words and " hemlig bildtext här " in words and " gömd rad " in words


def test_escaped_angle_brackets_in_text_are_not_taken_for_tags() -> None:
    # "a &lt; b ... c &gt; d" is text a browser shows, so the words between stay.
    assert " sparkonto innehåller " in seen_text(f"<p>1 &lt; 2 {SECRET} 3 &gt; 2</p>")


def _words_by_definition(text: str) -> str:
    """reader_words as the module's docstring defines it, one character at a time (slow, plain)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    seen = "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Mn", "Me"))
    words = "".join(c if c.isalnum() or c == "\u00a4" else " " for c in seen).split()
    words = ["\u00a4" if len(word) >= LONG_WORD else word for word in words]
    return f" {' '.join(words)} " if words else " "


@given(st.text(alphabet=st.sampled_from("aÅé ß_-–\u00ad\u200b\u0301İ¤ﬁ１\u00a0x.,\"'<&\U000e0041ｋ\u2063")) | st.text())
def test_words_are_cut_as_the_definition_says(text: str) -> None:
    assert reader_words(text) == _words_by_definition(text)


_OTHER_TAGS = ["p", "div", "li", "br", "body", "strikeout", "sp", "st", "bd", "abb", "spanx", "td", "h1", "input"]


@given(st.sampled_from(sorted(INLINE_TAGS) + _OTHER_TAGS), st.booleans(), st.sampled_from(["", " class='x'", "/"]))
def test_inline_tags_join_and_every_other_tag_separates(name: str, upper: bool, rest: str) -> None:
    tag = name.upper() if upper else name
    words = seen_text(f"<p>spar<{tag}{rest}>konto</{tag}></p>")
    assert (" sparkonto " in words) == (name in INLINE_TAGS)
    assert (" spar konto " in words) == (name not in INLINE_TAGS)


# ---- the patterns -----------------------------------------------------------------------------


def test_long_sentences_become_runs_of_window_words() -> None:
    found = sequences(SECRET, "text")
    words = WORDS.split()
    assert len(found) == len(words) - WINDOW + 1
    assert all(len(s.split()) == WINDOW for s in found)
    assert found[0] == " " + " ".join(words[:WINDOW]) + " "


def test_short_sentences_count_whole_from_four_words() -> None:
    assert MIN_SENTENCE_WORDS == 4 <= WINDOW <= 6
    assert sequences("Kalle Svensson uteslöts ur föreningen.", "text") == [" kalle svensson uteslöts ur föreningen "]
    assert sequences("Mötet förklarades öppnat.", "text") == []  # three words: ordinary
    assert sequences("Protokoll styrelsemöte 4 mars", "title") == [" protokoll styrelsemöte 4 mars "]
    assert sequences("Medlemsbrev mars", "title") == []


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return root


MINUTE = (
    "---\ntitle: Protokoll styrelsemöte 4 mars\ndate: 2026-03-04\nmeeting: styrelse\n"
    "attachments: [bilaga.pdf]\npublic_passages:\n  - Anmäl dig senast den 5 december.\n---\n"
    f"{SECRET}\n\nAnmäl dig senast den 5 december.\n\nKalle Svensson uteslöts ur föreningen.\n"
)


def test_public_passages_drop_exactly_their_words(tmp_path: Path) -> None:
    inventory = build_inventory(write_site(tmp_path, {"members/minutes/m.md": MINUTE}).joinpath("content"), tmp_path)
    texts = {p.words for p in patterns_for(inventory)}
    assert " anmäl dig senast den 5 december " not in texts
    assert " kalle svensson uteslöts ur föreningen " in texts
    assert " protokoll styrelsemöte 4 mars " in texts
    assert " bilaga pdf " not in texts  # two words: too ordinary for a name


# ---- the inventory ----------------------------------------------------------------------------

EVENT = "---\ntitle: Middag --- planering\nstart: 2026-10-15 18:00\nmembers_only: true\n---\nHemlig middag.\n"


def test_the_inventory_lists_every_protected_kind(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "members/minutes/m.md": MINUTE,
            "members/minutes/bilaga.pdf": tiny_pdf("Bilagans text om avtalet med tryckeriet i Björkvik."),
            "members/newsletters/n.md": "---\ntitle: Brev\ndate: 2026-03-01\n---\nHej.\n",
            "events/bom.md": "\ufeff" + EVENT.replace("\n", "\r\n"),
            "events/public.md": EVENT.replace("members_only: true", "members_only: false"),
            "posts/p.md": "---\ntitle: P\ndate: 2026-01-01\n---\nText.\n",
        },
    )
    inventory = build_inventory(tmp_path / "content", tmp_path)
    kinds = {item.source: item.kind for item in inventory}
    assert kinds == {
        "content/members/minutes/m.md": "minutes",
        "content/members/newsletters/n.md": "newsletter",
        "content/events/bom.md": "event",  # a byte-order mark and CRLF read as everywhere else
    }
    assert inventory.item("content/events/bom.md").title == "Middag --- planering"
    assert [f.source for f in inventory.files] == ["content/members/minutes/bilaga.pdf"]
    assert {item.access for item in inventory} | {f.access for f in inventory.files} == {DEFAULT_ACCESS}
    assert inventory.is_protected("content/events/bom.md") and not inventory.is_protected("content/events/public.md")
    assert inventory.problems == []
    texts = {p.origin.what for p in patterns_for(inventory)}
    assert {"title", "text", "attachment text"} <= texts


def test_a_file_of_no_known_kind_under_members_is_a_problem(tmp_path: Path) -> None:
    write_site(tmp_path, {"members/x.md": MINUTE, "members/arkiv/y.pdf": b"%PDF-1.4", "members/.DS_Store": b"x"})
    problems = [str(p) for p in build_inventory(tmp_path / "content", tmp_path).problems]
    assert len(problems) == 2
    assert problems[0].startswith("content/members/arkiv/y.pdf: ligger i content/members/arkiv/ men")
    assert problems[1].startswith("content/members/x.md: ligger i content/members/ men")
    assert all("content/members/minutes/ (protokoll)" in p for p in problems)


# ---- documents ---------------------------------------------------------------------------------


def joined(texts: list) -> str:
    return " ".join(seen_text(t.text, t.markup) for t in texts)


def test_text_inside_pdf_office_zip_and_gzip_is_read() -> None:
    assert WORDS in joined(document_texts("a.pdf", tiny_pdf(SECRET)))
    assert WORDS in joined(document_texts("a.docx", office_file(["Rubrik", SECRET])))
    assert WORDS in joined(document_texts("a.odt", office_file([SECRET], kind="odt")))
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("inre/protokoll.docx", office_file([SECRET]))
    assert WORDS in joined(document_texts("a.zip", inner.getvalue()))
    assert WORDS in joined(document_texts("x.pf_fragment", gzip.compress(json.dumps({"c": SECRET}).encode())))


def test_what_cannot_be_read_is_not_passed() -> None:
    with pytest.raises(Unreadable):
        document_texts("a.gz", b"\x1f\x8b" + b"broken")
    with pytest.raises(Unreadable):
        document_texts("a.zip", b"PK\x03\x04" + b"broken")


def test_planted_text_is_found_in_every_kind_of_output_file(tmp_path: Path) -> None:
    inventory = build_inventory(write_site(tmp_path, {"members/minutes/m.md": MINUTE}).joinpath("content"), tmp_path)
    patterns = patterns_for(inventory)
    planted = {
        "feed.atom": f"<feed><summary type='html'>&lt;p&gt;{SECRET}&lt;/p&gt;</summary></feed>",
        "index.json": json.dumps({"excerpt": SECRET}),  # ö as \\u00f6
        "fragment.pf_fragment": gzip.compress(json.dumps({"content": SECRET}).encode()),
        "dela.html": '<a href="https://example.org/?t=Kass%C3%B6ren%20redovisade%20att%20arbetarekommunens'
        '%20sparkonto%20inneh%C3%A5ller">Dela</a>',
        "kalender.ics": "BEGIN:VEVENT\r\nDESCRIPTION:Kassören redovisade att arbetarekommunens sp\r\n "
        "arkonto innehåller 48 312 kronor\\, sa hon.\r\nEND:VEVENT\r\n",
        "meta.html": f'<meta name="description" content="{SECRET}">',
        "lista.csv": f"rad;{SECRET}\n",
        "protokoll.pdf": tiny_pdf(SECRET),
        "protokoll-styrelsemote-4-mars.html": "<p>Hej</p>",  # a slug of the title, accents gone
    }
    output = tmp_path / "output"
    for name, text in planted.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    (output / "ren.html").write_text("<p>Välkommen till torget på lördag.</p>", encoding="utf-8")
    found = {f.name for f in scan_output(output, patterns, inventory.files).findings}
    assert found == set(planted)  # and not ren.html


# ---- the matcher -------------------------------------------------------------------------------

_words = st.lists(st.sampled_from(["a", "b", "ab", "c", "d", "e"]), min_size=0, max_size=60)  # e: in no pattern


@given(
    text=_words,
    patterns=st.lists(st.lists(st.sampled_from(["a", "b", "ab", "c", "d"]), min_size=1, max_size=5), max_size=8),
    by_set=st.sampled_from([None, 1, 2, 3]),
)
def test_matcher_finds_exactly_what_a_naive_search_finds(
    text: list[str], patterns: list[list[str]], by_set: int | None
) -> None:
    naive = {
        index
        for index, pattern in enumerate(patterns)
        for end in range(len(pattern) - 1, len(text))
        if text[end - len(pattern) + 1 : end + 1] == pattern
    }
    matcher = Matcher([f" {' '.join(p)} " for p in patterns], by_set)  # by_set: those of that length in a set
    assert matcher.found_in([f" {' '.join(text)} "]) == naive


def test_no_patterns_or_only_empty_ones_find_nothing() -> None:
    assert Matcher([]).found_in([" a b "]) == set()
    assert Matcher(["", " "]).found_in([" a b "]) == set()


def test_whole_words_only() -> None:
    matcher = Matcher([" ur föreningen "])
    assert matcher.found_in([" flyttade ur föreningen nu "]) == {0}
    assert matcher.found_in([" djur föreningens "]) == set()


def test_the_audit_is_the_last_step_after_everything_that_writes() -> None:
    from foreningssajt.cli import build

    names = [step.__name__ for step in build.STEPS]
    assert names[-1] == "audit" and "generate" in names and "index_search" in names


def test_a_web_address_in_protected_text_is_not_searched_but_the_words_around_it_are() -> None:
    sentence = (
        "Styrelsen tipsar alla om https://akero.example.org/nyheter/2026/valkommen/?sida=1 och ber om synpunkter snart"
    )
    found = sequences(sentence, "text")
    assert found and not any("akero" in words or "https" in words for words in found)
    assert " styrelsen tipsar alla om och ber " in found  # the text's own words still make runs


# ---- reading in worker processes, code files, ciphertext ---------------------------------------


def output_with_pages(root: Path, pages: int, leaking: dict[int, str]) -> Path:
    """`pages` clean pages p000.html..., the ones in `leaking` holding that text instead."""
    output = root / "output"
    output.mkdir(parents=True)
    for i in range(pages):
        text = leaking.get(i, f"Sida {i} om torget på lördag.")
        (output / f"p{i:03}.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    return output


ATTACHMENT = tiny_pdf("Bilagans text om avtalet med tryckeriet i Björkvik.")


def minute_patterns(root: Path) -> tuple[list, list]:
    site = write_site(root, {"members/minutes/m.md": MINUTE, "members/minutes/bilaga.pdf": ATTACHMENT})
    inventory = build_inventory(site / "content", root)
    return patterns_for(inventory), inventory.files


def test_a_scan_in_worker_processes_finds_what_one_process_finds_in_the_same_order(tmp_path: Path) -> None:
    # In a fresh interpreter: this one may run other threads (Playwright's, once a browser
    # test has run), and with them the scan rightly never forks.
    script = f"import sys; sys.path.insert(0, {str(TESTS)!r}); import test_leak_audit; "
    script += f"test_leak_audit.compare_forked_and_serial_scans({str(tmp_path)!r})"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def compare_forked_and_serial_scans(folder: str) -> None:
    tmp_path = Path(folder)
    patterns, files = minute_patterns(tmp_path)
    pages = PARALLEL_FROM + 3 * CHUNK
    leaks = {0: SECRET, CHUNK + 1: SECRET, pages - 1: "Kalle Svensson uteslöts ur föreningen."}
    output = output_with_pages(tmp_path, pages, leaks)
    assert parallel.can_fork()  # else both scans below run in this one process
    serial = scan_output(output, patterns, files, workers=1)
    forked = scan_output(output, patterns, files, workers=2)
    assert [f.name for f in forked.findings] == [f"p{i:03}.html" for i in sorted(leaks)]
    assert [(f.name, f.patterns) for f in forked.findings] == [(f.name, f.patterns) for f in serial.findings]
    assert (forked.files, forked.bytes, forked.characters) == (serial.files, serial.bytes, serial.characters)


def in_worker(fn, items: list, chunk: int) -> dict:
    """What a forked worker process sends back after reading only chunk number `chunk` of the items."""
    queue_read, queue_write = os.pipe()
    os.write(queue_write, chunk.to_bytes(4, "big"))
    os.close(queue_write)
    try:
        child = parallel._start(fn, items, queue_read)
        try:
            return {"pid": child.pid, **dict(child.result())}
        finally:
            child.stop()
    finally:
        os.close(queue_read)


def test_a_leak_in_a_chunk_a_worker_process_reads_is_reported(tmp_path: Path) -> None:
    patterns, files = minute_patterns(tmp_path)
    output = output_with_pages(tmp_path, 2 * CHUNK, {CHUNK + 2: SECRET})
    (output / f"p{CHUNK + 5:03}.html").write_bytes(ATTACHMENT)  # a copy of the protected file, renamed
    names = sorted(p.name for p in output.iterdir())
    reader = FileReader({name: output / name for name in names}, *automata_for(patterns), files, None)
    results = in_worker(reader.check, names, 1)  # the second chunk
    assert results.pop("pid") != os.getpid() and sorted(results) == list(range(CHUNK, 2 * CHUNK))
    found = {names[i]: checked.finding for i, checked in results.items() if checked.finding}
    assert sorted(found) == [f"p{CHUNK + 2:03}.html", f"p{CHUNK + 5:03}.html"]
    assert found[f"p{CHUNK + 2:03}.html"].patterns
    assert [f.source for f in found[f"p{CHUNK + 5:03}.html"].copies] == ["content/members/minutes/bilaga.pdf"]


def _fails_on_seven(item: int) -> int:
    if item == 7:
        raise ValueError("trasig")
    return item


def _dies_on_seven(item: int) -> int:
    if item == 7:
        os._exit(3)
    return item


def _interrupted_on_seven(item: int) -> int:
    if item == 7:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C reaches the worker
    return item


def _process_of(item: int) -> int:
    return os.getpid()


def test_with_another_thread_running_nothing_is_forked() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert set(map_forked(_process_of, list(range(4 * CHUNK)), 2)) == {os.getpid()}
    finally:
        release.set()
        thread.join()


def test_a_worker_that_fails_or_dies_fails_the_scan() -> None:
    items = list(range(4 * CHUNK))
    assert map_forked(_fails_on_seven, [i for i in items if i != 7], 2) == [i for i in items if i != 7]
    with pytest.raises(WorkerFailed, match="ValueError: trasig"):
        in_worker(_fails_on_seven, items, 0)
    with pytest.raises(WorkerFailed):
        in_worker(_dies_on_seven, items, 0)
    with pytest.raises(WorkerFailed):  # and the interrupt does not run on in the worker as this process
        in_worker(_interrupted_on_seven, items, 0)
    with pytest.raises((WorkerFailed, ValueError)):  # whichever process drew the chunk with item 7
        map_forked(_fails_on_seven, items, 2)


def test_a_copy_of_a_code_file_is_not_read_as_text_but_a_changed_one_is(tmp_path: Path) -> None:
    patterns, files = minute_patterns(tmp_path)
    theme = tmp_path / "theme"
    theme.mkdir()
    script = f"// {SECRET}\n"  # a code file that happens to hold the words: it is the project's own
    (theme / "site.js").write_text(script, encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    (output / "site.js").write_text(script, encoding="utf-8")
    (output / "edited.js").write_text(script.replace("//", "/*").replace("\n", "*"), encoding="utf-8")  # same size
    assert (output / "edited.js").stat().st_size == (output / "site.js").stat().st_size
    scanned = scan_output(output, patterns, files, code=CodeFiles([theme]))
    assert scanned.code == 1 and [f.name for f in scanned.findings] == ["edited.js"]


@pytest.mark.parametrize(
    "text",
    [
        "a" * (HEX_RUN - 1),
        "a" * HEX_RUN,
        "ö " + "0f" * HEX_RUN + " ö",
        "é" + "A" * HEX_RUN,  # capitals are not the ciphertext the site writes
        "\ud800" + "b" * (HEX_RUN + 5) + "\u2063",  # a lone surrogate (from JSON) and an invisible character
        "c" * HEX_RUN + "-" + "d" * (HEX_RUN + 1) + "x" + "e" * HEX_RUN,  # three runs, the last at the end
        "",
    ],
)
def test_ciphertext_is_cut_out_exactly_where_a_long_hex_run_is(text: str) -> None:
    assert without_ciphertext(text) == re.sub(f"[0-9a-f]{{{HEX_RUN},}}", "\u00a4", text)
    # Cut out of a file's bytes instead (documents.py): the same text once decoded.
    data = bytes_without_ciphertext(text.encode("utf-8", "surrogatepass"))
    assert data.decode("utf-8", "surrogatepass") == without_ciphertext(text)


@pytest.mark.parametrize(
    ("word", "kept"),
    [
        ("å" * 40, True),  # 80 bytes in UTF-8, but 40 characters: a word
        ("x" * (LONG_WORD - 1), True),
        ("x" * LONG_WORD, False),
        ("ö" * LONG_WORD, False),
    ],
)
def test_only_words_of_long_word_characters_or_more_are_cut_out(word: str, kept: bool) -> None:
    assert reader_words(f"före {word} efter") == (f" före {word} efter " if kept else " före \u00a4 efter ")


def test_an_underlay_counts_where_output_has_no_file_of_its_own(tmp_path: Path) -> None:
    # The dev server's selective build: its new files in `output`, the rest in the last output.
    patterns, files = minute_patterns(tmp_path)
    last = output_with_pages(tmp_path / "last", 3, {1: SECRET})
    new = output_with_pages(tmp_path / "new", 1, {})  # p000.html rewritten, clean
    found = scan_output(new, patterns, files, underlay=last)
    assert found.files == 3 and [f.name for f in found.findings] == ["p001.html"]
    (new / "p001.html").write_text("<p>Rättad sida.</p>", encoding="utf-8")  # the new build's own copy wins
    assert not scan_output(new, patterns, files, underlay=last).findings


def test_a_folder_read_later_is_listed_after_the_wait_and_read_too(tmp_path: Path) -> None:
    # Pagefind writes output/pagefind/ while the rest is read (cli/build.py index_search).
    patterns, files = minute_patterns(tmp_path)
    output = output_with_pages(tmp_path, 2, {})
    order: list[str] = []

    def pagefind_finishes() -> None:
        order.append("waited")
        (output / "pagefind").mkdir()
        (output / "pagefind" / "fragment.json").write_text(json.dumps({"content": SECRET}), encoding="utf-8")

    found = scan_output(output, patterns, files, later=("pagefind/", pagefind_finishes))
    assert order == ["waited"] and found.files == 3
    assert [f.name for f in found.findings] == ["pagefind/fragment.json"]


def test_bytes_that_are_no_utf8_separate_words_like_spaces() -> None:
    # Pagefind's index and other binary files: their text is what decodes between the junk.
    (text,) = document_texts("index.pf_index", b"\x18\xffkalle svensson\x9f\x01ur\xc3")
    assert seen_text(text.text, text.markup) == " kalle svensson ur "
    assert "\ufffd" not in text.text
