"""`make zetkin` (foreningssajt/cli/zetkin.py) against a recorded API answer served on 127.0.0.1, never the network.

tests/fixtures/zetkin/v1/orgs/4321/actions has the shape of Zetkin's API v1
/orgs/<org>/actions answer (docs/zetkin.md), with a cancelled, an unpublished and a
not-yet-published event in it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CALENDAR_NOW
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sitebuild import REPO, build_site, make_site

RECORDED = Path(__file__).parent / "fixtures" / "zetkin"
DATA = "data/zetkin-events.json"


def site_for(root: Path, organisation: str = "4321") -> Path:
    site_yml = (
        (REPO / "site.yml").read_text(encoding="utf-8").replace("organisation: null", f"organisation: {organisation}")
    )
    return make_site(root, {}, site_yml=site_yml)


def fetch(site: Path, base: str, timeout: float = 5) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "foreningssajt.cli.zetkin", "--root", str(site), "--base-url", base]
    command += ["--timeout", str(timeout), "--now", CALENDAR_NOW]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def stored(site: Path) -> dict:
    return json.loads((site / DATA).read_text(encoding="utf-8"))


@pytest.fixture
def zetkin(serve: Callable[[Path], str]) -> str:
    return serve(RECORDED)


def test_fetch_keeps_published_events_with_the_fields_we_use(tmp_path: Path, zetkin: str) -> None:
    site = site_for(tmp_path / "site")
    result = fetch(site, zetkin)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    assert "3 aktiviteter, varav 1 inställda (utelämnade: 2 opublicerade, 0 oläsbara)" in result.stdout
    data = stored(site)
    assert data["organisation"] == 4321
    events = {event["id"]: event for event in data["events"]}
    assert list(events) == [5102, 5277, 5390]  # by start time; 5400 and 5401 are not published
    assert events[5102] == {
        "id": 5102,
        "title": "Lördagar på torget",
        "info_text": "Vi står vid fontänen.\n\nTa med varma kläder; det blåser ofta.",
        "start_time": "2026-10-03T08:00:00+00:00",
        "end_time": "2026-10-03T12:00:00+00:00",
        "location": "Stortorget",
        "cancelled": False,
        "url": "https://app.zetkin.org/o/4321/events/5102",
        "sequence": 0,
        "changed": events[5102]["changed"],
    }
    assert events[5277]["title"] == "Dörrknackning"  # no title of its own: the activity's
    assert events[5277]["location"] is None and events[5277]["start_time"] == "2026-10-24T08:00:00+00:00"
    assert events[5390]["cancelled"] is True
    assert "Hemlig planering" not in (site / DATA).read_text(encoding="utf-8")


def test_a_second_fetch_changes_nothing_and_a_changed_event_gets_a_higher_sequence(
    tmp_path: Path, serve: Callable[[Path], str]
) -> None:
    recorded = tmp_path / "zetkin"
    shutil.copytree(RECORDED, recorded)
    base = serve(recorded)
    site = site_for(tmp_path / "site")
    assert fetch(site, base).returncode == 0
    first = (site / DATA).read_bytes()

    again = fetch(site, base)
    assert again.returncode == 0 and "är redan aktuell" in again.stdout
    assert (site / DATA).read_bytes() == first

    answer = recorded / "v1/orgs/4321/actions"
    answer.write_text(answer.read_text(encoding="utf-8").replace("Lördagar på torget", "Lördag på torget"))
    assert fetch(site, base).returncode == 0
    sequences = {event["id"]: event["sequence"] for event in stored(site)["events"]}
    assert sequences == {5102: 1, 5277: 0, 5390: 0}


@pytest.mark.parametrize("answer", [None, "<html>Underhåll</html>", '{"data": {"not": "a list"}}', '{"data": [{}]}'])
def test_a_failed_fetch_leaves_the_data_file_untouched_and_says_why(
    tmp_path: Path, serve: Callable[[Path], str], answer: str | None
) -> None:
    served = tmp_path / "served"
    if answer is not None:
        (served / "v1/orgs/4321").mkdir(parents=True)
        (served / "v1/orgs/4321/actions").write_text(answer, encoding="utf-8")
    else:
        served.mkdir()  # nothing there: Zetkin answers 404
    site = site_for(tmp_path / "site")
    (site / "data").mkdir()
    (site / DATA).write_text('{"organisation": 4321, "events": []}\n', encoding="utf-8")
    before = (site / DATA).read_bytes()

    result = fetch(site, serve(served))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Zetkin: http://127.0.0.1:")
    assert lines[0].endswith("; data/zetkin-events.json är oförändrad.")
    assert (site / DATA).read_bytes() == before


def test_unreachable_zetkin_is_one_line(tmp_path: Path) -> None:
    site = site_for(tmp_path / "site")
    result = fetch(site, "http://127.0.0.1:9")  # the discard port: nothing listens
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "gick inte att nå" in result.stderr
    assert not (site / DATA).exists()


def test_no_organisation_in_site_yml_says_what_to_write(tmp_path: Path) -> None:
    result = fetch(site_for(tmp_path / "site", organisation="null"), "http://127.0.0.1:9")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "site.yml: zetkin: organisation: inte angivet; skriv föreningens organisationsnummer i Zetkin, "
        "t.ex. organisation: 1234"
    )


def test_fetched_events_reach_the_calendar_with_their_zetkin_links(tmp_path: Path, zetkin: str) -> None:
    site = site_for(tmp_path / "site")
    assert fetch(site, zetkin).returncode == 0
    result = build_site(root=site, search=False, now=CALENDAR_NOW, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 0, result.stderr
    output = site / "output"
    page = (output / "kalender/2026/zetkin-5102/index.html").read_text(encoding="utf-8")
    assert 'href="https://app.zetkin.org/o/4321/events/5102"' in page
    assert "Stortorget, Björkvik" in page  # a Zetkin location named like a venue gets its address
    assert "Steglös entré" in page
    listing = (output / "kalender/index.html").read_text(encoding="utf-8")
    assert "Inställt: Flygblad vid stationen" in " ".join(re.sub(r"<[^>]+>", "", listing).split())
    ics = (output / "kalender.ics").read_text(encoding="utf-8")
    assert "STATUS:CANCELLED" in ics
    assert "Hemlig planering" not in ics and "Hemlig planering" not in listing


# ---- Zetkin's answer is untrusted ----------------------------------------------------------

HOSTILE = {
    "data": [
        {
            "id": 7001,
            "title": "Möte\r\nmed\x00 styrelsen\x07",
            "info_text": "Rad ett\r\nRad två\rRad tre\x1b[31m",
            "start_time": "2026-10-05T16:00:00Z",
            "end_time": "2026-10-05T18:00:00Z",
            "location": {"title": "Stor\ntorget"},
        },
        {"id": 7002, "title": "Långt bort", "start_time": "9999-12-31T23:00:00+00:00"},
        {"id": 7003, "title": "Forntid", "start_time": "0001-01-01T00:00:00+00:00"},
        {"id": 7001, "title": "Dubblett", "start_time": "2026-10-06T16:00:00Z"},
        {"id": [1], "title": "Inget id", "start_time": "2026-10-06T16:00:00Z"},
        "inte ett objekt",
        {"id": 7004, "title": {"kapslad": "x"}, "start_time": "i morgon"},
        {
            "id": 7005,
            "title": "Surrogat \ud800kvar",
            "start_time": "2026-10-07T16:00:00Z",
            "location": ["lista"],
            "organization": "x",
        },
        {"id": 7006, "title": "Möte <!--<script> fortsätter", "start_time": "2026-10-08T16:00:00Z"},
    ]
}


def serve_answer(tmp_path: Path, serve: Callable[[Path], str], body: bytes) -> str:
    served = tmp_path / "served"
    (served / "v1/orgs/4321").mkdir(parents=True)
    (served / "v1/orgs/4321/actions").write_bytes(body)
    return serve(served)


def test_hostile_events_are_cleaned_or_left_out_each_with_one_line(
    tmp_path: Path, serve: Callable[[Path], str]
) -> None:
    base = serve_answer(tmp_path, serve, json.dumps(HOSTILE).encode())
    site = site_for(tmp_path / "site")

    result = fetch(site, base)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    url = f"{base}/v1/orgs/4321/actions"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 6, result.stderr
    assert all(line.startswith(url + ": ") and line.endswith("; aktiviteten är utelämnad") for line in lines)
    said = "\n".join(lines)
    assert "aktivitet 7002: start_time: ”9999-12-31T23:00:00+00:00” ligger utanför åren 2021–2031" in said
    assert "aktivitet 7003: start_time: ”0001-01-01T00:00:00+00:00” ligger utanför" in said
    assert "aktivitet 7001: finns två gånger i svaret; den första behålls" in said
    assert "post 5: id: ”[…]” är inget id-nummer från Zetkin" in said
    assert "post 6: är inte en aktivitet" in said
    assert "aktivitet 7004: start_time: ”i morgon” är ingen tidpunkt" in said
    assert "3 aktiviteter, varav 0 inställda (utelämnade: 0 opublicerade, 6 oläsbara)" in result.stdout

    events = {event["id"]: event for event in stored(site)["events"]}
    assert list(events) == [7001, 7005, 7006]
    assert events[7001]["title"] == "Möte med styrelsen"
    assert events[7001]["info_text"] == "Rad ett\nRad två\nRad tre[31m"
    assert events[7001]["location"] == "Stor torget"
    assert events[7005]["title"] == "Surrogat kvar" and events[7005]["location"] is None
    assert events[7005]["url"] == "https://app.zetkin.org/o/4321/events/7005"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "är för djupt kapslad JSON"),
        (b'{"data": [' + b"[" * 20 + b"]" * 20 + b"]}", "är för djupt kapslad JSON"),
        (b'{"data": ["' + b"x" * 6_000_000 + b'"]}', "skickade mer än 5 MB"),
        (b"\xff\xfe nonsens", "är inte JSON"),
    ],
    ids=["deep", "deep-inside-data", "huge", "not-json"],
)
def test_a_deep_huge_or_garbled_answer_fails_in_one_line(
    tmp_path: Path, serve: Callable[[Path], str], body: bytes, says: str
) -> None:
    site = site_for(tmp_path / "site")
    result = fetch(site, serve_answer(tmp_path, serve, body))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and lines[0].endswith("data/zetkin-events.json är oförändrad.")
    assert not (site / DATA).exists()


@contextlib.contextmanager
def trickling_server(part: bytes) -> Iterator[str]:
    """A server on 127.0.0.1 that sends `part` and then one more byte every 0.2 s, forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def drip(connection: socket.socket) -> None:
        with connection:
            connection.recv(65536)
            try:
                connection.sendall(part)
                while not stop.wait(0.2):
                    connection.sendall(b"a")
            except OSError:
                return  # the client hung up: what we wanted

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                threading.Thread(target=drip, args=(listener.accept()[0],), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


@pytest.mark.parametrize(
    "part",
    [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX-Langsam: ",
    ],
    ids=["body", "headers"],
)
def test_a_trickling_server_is_cut_off_at_the_deadline(tmp_path: Path, part: bytes) -> None:
    site = site_for(tmp_path / "site")
    with trickling_server(part) as base:
        started = time.monotonic()
        result = fetch(site, base, timeout=2)
        took = time.monotonic() - started
    assert result.returncode == 1
    assert "svarade inte färdigt inom 2 s" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert took < 15, f"make zetkin waited {took:.0f} s despite --timeout 2"


# ---- the data file is checked again when the site is built ---------------------------------


def load(tmp_path: Path, events: list) -> tuple[list, list[str]]:
    from zoneinfo import ZoneInfo

    from foreningssajt.calendar_events.zetkin_data import load_zetkin_events

    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / DATA).write_text(json.dumps({"organisation": 4321, "events": events}), encoding="utf-8")
    now = dt.datetime.fromisoformat(CALENDAR_NOW)
    found, problems = load_zetkin_events(tmp_path, 4321, {}, ZoneInfo("Europe/Stockholm"), now)
    return found, [str(problem) for problem in problems]


def test_a_hand_edited_data_file_names_each_bad_event(tmp_path: Path) -> None:
    good = {"id": 1, "title": "Bra", "start_time": "2026-10-05T16:00:00+00:00"}
    events, problems = load(
        tmp_path,
        [
            good,
            {**good, "title": "Samma id"},
            {**good, "id": 2, "start_time": "9999-01-01T00:00:00"},
            {**good, "id": 3, "url": "javascript:alert(1)"},
            {**good, "id": 4, "sequence": -1},
            {**good, "id": 5, "title": "Rad\r\nbrytning\x00"},
            [],
        ],
    )
    assert [event.slug for event in events] == ["zetkin-1", "zetkin-5"]
    assert events[1].title == "Rad brytning"
    assert problems == [
        f"{DATA}: events: aktivitet 1: finns två gånger; ta bort den ena, eller kör 'make zetkin' igen, "
        "eller ta tillbaka filen ur git",
        f"{DATA}: events: aktivitet 2: start_time: ”9999-01-01T00:00:00” ligger utanför åren 2016–2036; "
        "kalendern visar bara aktiviteter inom 10 år från i dag",
        f"{DATA}: events: aktivitet 3: url: ”javascript:alert(1)” är ingen https-adress; kör 'make zetkin' "
        "igen, eller ta tillbaka filen ur git",
        f"{DATA}: events: aktivitet 4: sequence: ”-1” är inget heltal från 0 och uppåt",
        f"{DATA}: events: post 7: är ingen aktivitet (inget JSON-objekt); kör 'make zetkin' igen, eller ta "
        "tillbaka filen ur git",
    ]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[" * 50_000 + "]" * 50_000, "är för djupt kapslad JSON"),
        ('{"organisation": 99, "events": []}', "gäller organisation 99, men site.yml anger 4321"),
        ('{"events": "nej"}', "är inte det som 'make zetkin' skriver"),
    ],
)
def test_an_unreadable_data_file_is_one_line(tmp_path: Path, text: str, says: str) -> None:
    from zoneinfo import ZoneInfo

    from foreningssajt.calendar_events.zetkin_data import load_zetkin_events

    (tmp_path / "data").mkdir()
    (tmp_path / DATA).write_text(text, encoding="utf-8")
    now = dt.datetime.fromisoformat(CALENDAR_NOW)
    events, problems = load_zetkin_events(tmp_path, 4321, {}, ZoneInfo("Europe/Stockholm"), now)
    assert events == [] and len(problems) == 1
    assert str(problems[0]).startswith(f"{DATA}: ") and says in str(problems[0])


# ---- fuzzing: whatever Zetkin sends, one line per problem and never a traceback -----------

NOW = dt.datetime.fromisoformat(CALENDAR_NOW).astimezone(dt.UTC)
FIELDS = ["id", "title", "info_text", "start_time", "end_time", "location", "cancelled", "published", "url"]
FIELDS += ["organization", "activity", "sequence", "changed"]
odd_text = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from("\r\n\x00\x1b\u2028\ufffe\ud800<>&\"'"), max_size=30
)
odd_times = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(dt.datetime.isoformat),
    st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00-14:00", "2026-10-05T16:00:00Z", "", "nu"]),
)
leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True), odd_text, odd_times
)
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3))
actions = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"id": st.one_of(st.integers(-5, 10**13), odd_text, st.just(7001))},
            optional={name: st.one_of(values, odd_times) for name in FIELDS if name != "id"},
        ),
        values,
    ),
    max_size=6,
)


@settings(max_examples=300)
@given(answer=actions)
@example(answer=[{"id": "²"}, {"id": "1٣"}])  # digits int() refuses or reads as Arabic
def test_fuzz_any_answer_gives_clean_events_or_lines_naming_them(answer: list) -> None:
    from foreningssajt.calendar_events.zetkin_fetch import FetchError, public_events

    url = "https://api.example/v1/orgs/4321/actions"
    try:
        found = public_events(answer, 4321, NOW, url)
    except FetchError as error:
        assert str(error).startswith(url + ": ") and "\n" not in str(error)
        return
    ids = [event["id"] for event in found.events]
    assert len(ids) == len(set(ids))
    for event in found.events:
        assert "\r" not in event["title"] and "\n" not in event["title"] and event["title"].isprintable()
        assert event["url"].startswith("https://app.zetkin.org/o/")
        json.dumps(event).encode("utf-8")  # no lone surrogate survives
    for line in map(str, found.skipped):
        assert line.startswith(url + ": ") and line.endswith("; aktiviteten är utelämnad") and "\n" not in line


@settings(max_examples=300)
@given(events=st.lists(st.one_of(values, st.fixed_dictionaries({}, optional={n: values for n in FIELDS})), max_size=5))
def test_fuzz_any_data_file_builds_or_names_the_file(tmp_path_factory: pytest.TempPathFactory, events: list) -> None:
    from zoneinfo import ZoneInfo

    from foreningssajt.calendar_events.zetkin_data import load_zetkin_events

    root = tmp_path_factory.mktemp("data")
    (root / "data").mkdir()
    text = json.dumps({"organisation": 4321, "events": events}, allow_nan=True)
    (root / DATA).write_text(text, encoding="utf-8", errors="surrogatepass")
    found, problems = load_zetkin_events(root, 4321, {}, ZoneInfo("Europe/Stockholm"), NOW)
    assert all(str(problem).startswith(f"{DATA}: ") and "\n" not in str(problem) for problem in problems)
    for event in found:
        assert event.title.isprintable() and event.signup.startswith("https://")
        assert 2016 <= event.start.year <= 2036


@settings(max_examples=200)
@given(body=st.binary(max_size=200) | st.integers(1, 50_000).map(lambda depth: b"[" * depth + b"]" * depth))
def test_fuzz_any_bytes_are_json_or_one_invalid(body: bytes) -> None:
    from foreningssajt.calendar_events.zetkin_values import parse_json
    from foreningssajt.siteconfig.errors import Invalid

    with contextlib.suppress(Invalid):
        parse_json(body)


def test_fuzz_make_zetkin_end_to_end_never_prints_a_traceback(tmp_path: Path) -> None:
    """foreningssajt/cli/zetkin.py's main(), in this process, against a local server answering fuzzed JSON."""
    import io

    from browser import serve_dir
    from hypothesis import HealthCheck

    from foreningssajt.cli import zetkin as tool

    site = site_for(tmp_path / "site")
    served = tmp_path / "served" / "v1/orgs/4321"
    served.mkdir(parents=True)

    @settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(answer=st.one_of(actions.map(lambda a: {"data": a}), values))
    def run(answer: object) -> None:
        (served / "actions").write_text(json.dumps(answer, allow_nan=True), encoding="utf-8", errors="surrogatepass")
        errors, output = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(output):
            code = tool.main(["--root", str(site), "--base-url", base, "--timeout", "5", "--now", CALENDAR_NOW])
        assert code in (0, 1)
        assert "Traceback" not in errors.getvalue()
        lines = errors.getvalue().splitlines()
        assert all(line.startswith(("Zetkin: ", base)) for line in lines), lines
        if code == 0:
            assert json.loads((site / DATA).read_text(encoding="utf-8"))["organisation"] == 4321

    with serve_dir(tmp_path / "served") as base:
        run()
