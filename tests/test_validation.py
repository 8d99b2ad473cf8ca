"""Bad input stops the build with one Swedish line per mistake naming file and key, and keeps the old site.

Most tests read files in-process with the strict reader (fast); a few run the real
build to see the exit code, the last line and that output/ is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from sitebuild import REPO, build_site, make_site, post, site_settings

from foreningssajt.content_rules.folders import stray_files
from foreningssajt.content_rules.reader import StrictYAMLReader
from foreningssajt.siteconfig import SiteError, load_site
from foreningssajt.siteconfig.session import SETTING, BuildSession, session_of

# file: key: what is wrong; what to write -- keys in words, never venues[1].step_free
ONE_LINE = re.compile(r"^content/[\w/.-]+\.\w+(:\d+)?: ([\w ]+: )?[^\n]+; [^\n]+$")
SITE_YML = (REPO / "site.yml").read_text(encoding="utf-8")


def error_lines(result) -> list[str]:
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Bygget avbröts"), result.stderr
    return lines[:-1]


class Reading:
    """One small site and its strict reader, for reading files in-process."""

    def __init__(self, root: Path) -> None:
        self.root = make_site(root, {})
        self.settings = site_settings(self.root)
        self.reader = StrictYAMLReader(self.settings)

    def read(self, relative: str, text: str) -> dict:
        path = self.root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return self.reader.read(str(path))[1]

    def problems(self, relative: str, text: str) -> list[str]:
        self.settings[SETTING] = BuildSession.start(self.root)  # this file's problems only
        with pytest.raises(SiteError):
            self.read(relative, text)
        return session_of(self.settings).problems.lines()


@pytest.fixture
def reading(tmp_path: Path) -> Reading:
    return Reading(tmp_path / "site")


# --- one bad header, one line --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "says"),
    [
        ("---\ntitle: Utan datum\n---\nText.\n", "date: saknas", "date: 2026-03-04 18:30"),
        (post(date="2026-02-30 10:00"), "date: ”2026-02-30 10:00” är inget datum som finns", "2026-03-04"),
        (post(date="förra veckan"), "date: ”förra veckan” är inget datum", "2026-03-04 18:30"),
        ("---\ntitle: [ett, två]\ndate: 2026-01-01\n---\n", "title: är en lista", "samma rad"),
        ('---\ntitle: ""\ndate: 2026-01-01\n---\n', "title: är tomt", "skriv en text"),
        (
            "---\ntitel: Felstavat\ndate: 2026-01-01\ntitle: Rätt\n---\n",
            "titel: okänd nyckel (menade du title?)",
            "kända",
        ),
        ("---\ntitle: X\ndate: 2026-01-01\nstatus: utkast\n---\n", "status: ”utkast” går inte att välja", "draft"),
    ],
)
def test_a_header_mistake_is_one_swedish_line(reading: Reading, text: str, start: str, says: str) -> None:
    lines = reading.problems("posts/fel.md", text)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"content/posts/fel.md: {start}"), lines[0]
    assert says in lines[0]
    assert ONE_LINE.match(lines[0]), lines[0]


def test_every_mistake_in_one_header_is_listed(reading: Reading) -> None:
    text = "---\ntitle: \ndate: igår\ntags: [a, [b]]\nfärg: röd\n---\nText.\n"
    lines = reading.problems("posts/fel.md", text)
    keys = sorted(line.split(": ")[1] for line in lines)
    assert keys == ["date", "färg", "tags", "title"], lines


def test_yaml_that_does_not_parse_names_the_line(reading: Reading) -> None:
    (line,) = reading.problems("posts/fel.md", "---\ntitle: Kolon: här: fel\ndate: 2026-01-01\n---\n")
    assert line.startswith("content/posts/fel.md:2: är inte giltig YAML")


def test_a_file_without_header_says_how_to_start(reading: Reading) -> None:
    (line,) = reading.problems("posts/fel.md", "Ingen rubrikrad alls.\n")
    assert line.startswith("content/posts/fel.md: ingen rubrikdel hittades; börja filen med en rad '---'")


# --- the silent mistakes of issue 12 ---------------------------------------------


def test_tags_without_brackets_are_split_at_the_commas(reading: Reading) -> None:
    metadata = reading.read("posts/a.md", post(tags="skola, budget"))
    assert [str(tag) for tag in metadata["tags"]] == ["skola", "budget"]
    assert [str(t) for t in reading.read("posts/b.md", post(tags="[skola, budget]"))["tags"]] == ["skola", "budget"]


def test_lead_image_must_exist_and_have_a_description(reading: Reading) -> None:
    lines = reading.problems("posts/a.md", post(image="images/saknas.jpg"))
    assert lines == [
        "content/posts/a.md: image: content/images/saknas.jpg finns inte; lägg filen där eller rätta sökvägen, "
        "t.ex. images/torgmote.jpg"
    ]
    (reading.root / "content/images/finns.jpg").write_bytes(b"jpg")
    (line,) = reading.problems("posts/b.md", post(image="images/finns.jpg"))
    assert line.startswith("content/posts/b.md: image_alt: saknas; image behöver en beskrivning")
    metadata = reading.read("posts/c.md", post(image="images/finns.jpg", image_alt="Ett torg."))
    assert metadata["image"] == "images/finns.jpg"


def test_inline_images_must_exist_and_be_described(reading: Reading) -> None:
    body = "Text.\n\n![](/images/logo.svg)\n\n![Karta](/images/karta.png)\n\n```\n![](/images/kod.png)\n```\n"
    lines = reading.problems("posts/a.md", post(body=body))
    assert lines == [
        "content/posts/a.md:7: bilden /images/logo.svg saknar beskrivning; skriv vad bilden visar inom "
        "hakparentesen: ![Tre personer vid ett tält på torget](/images/logo.svg)",
        "content/posts/a.md:9: bilden content/images/karta.png finns inte; lägg den där, eller rätta sökvägen "
        "(t.ex. /images/bild.jpg)",
    ]


def test_a_level_one_heading_in_the_body_is_refused_with_its_line(reading: Reading) -> None:
    body = "Inledning.\n\n# Rubrik\n\n## Underrubrik\n\n```\n# en kommentar i kod\n```\n"
    (line,) = reading.problems("pages/a.md", "---\ntitle: Sida\n---\n" + body)
    assert line.startswith("content/pages/a.md:6: en rubrik med en # i texten blir en andra huvudrubrik")
    assert "börja rubrikerna i texten med ##" in line
    underlined = "---\ntitle: Sida\n---\nRubrik\n======\n\nText.\n"
    assert reading.problems("pages/b.md", underlined)[0].startswith("content/pages/b.md:5: en rubrik med en #")


def test_post_author_is_a_person_by_name_or_id(reading: Reading) -> None:
    assert str(reading.read("posts/a.md", post(author="anna-lindqvist"))["author"]) == "Anna Lindqvist"
    assert str(reading.read("posts/b.md", post(author="karin öberg"))["author"]) == "Karin Öberg"
    (line,) = reading.problems("posts/c.md", post(author="Ana Lindqvist"))
    assert line.startswith(
        "content/posts/c.md: author: ”Ana Lindqvist” finns inte bland people i site.yml (menade du Anna Lindqvist?); "
        "skriv något av: Anna Lindqvist, Omar Haddad"
    )


def report(author: str) -> str:
    return (
        f"---\ntitle: R\ndate: 2026-01-01\nauthor: {author}\ncommittee: KS\nmeeting: 2026-01-02\n"
        "phase: Before\n---\nText.\n"
    )


def test_report_author_is_a_person_by_id_or_name(reading: Reading) -> None:
    metadata = reading.read("reports/a.md", report("Anna Lindqvist"))
    assert (metadata["author"].name, metadata["committee"], metadata["phase"]) == ("anna-lindqvist", "ks", "before")
    (line,) = reading.problems("reports/b.md", report("anna-lindkvist"))
    assert line.startswith("content/reports/b.md: author: ”anna-lindkvist” finns inte bland people i site.yml")
    assert "(menade du anna-lindqvist?)" in line and "skriv något av: anna-lindqvist, omar-haddad" in line


def test_event_location_and_times_as_swedes_write_them(reading: Reading) -> None:
    event = "---\ntitle: Möte\nstart: 2026-05-01 18.00\nend: 2026-05-01 20.30\nlocation: {}\n---\nText.\n"
    metadata = reading.read("events/a.md", event.format("folkets hus"))
    assert metadata["location"] == "folkets-hus"
    assert metadata["start"] == dt.datetime(2026, 5, 1, 18, 0)
    assert metadata["end"] == dt.datetime(2026, 5, 1, 20, 30)
    assert reading.read("events/b.md", event.format("Puben Ankaret"))["location"] == "puben"
    assert reading.read("events/c.md", event.format("Biblioteket, Storgatan 5"))["location"] == (
        "Biblioteket, Storgatan 5"
    )


def test_files_that_are_not_markdown_are_named(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for name in ("posts/tal.docx", "posts/anteckning.txt", "posts/.DS_Store", "posts/utkast.md~", "posts/ok.md"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("x", encoding="utf-8")
    (content / "members/minutes").mkdir(parents=True)
    (content / "members/minutes/bilaga.pdf").write_text("x", encoding="utf-8")
    lines = [str(error) for error in stray_files(content, [".#*"])]
    assert [line.split(": ")[0] for line in lines] == ["content/posts/anteckning.txt", "content/posts/tal.docx"]
    assert "bara .md-filer läses i content/posts/" in lines[0] and "content/files/" in lines[0]


# --- the real build ----------------------------------------------------------------


def test_bad_post_stops_the_build_and_keeps_the_previous_site(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", {"posts/bra.md": post()})
    output = tmp_path / "output"
    assert build_site(root, output, search=False).returncode == 0
    before = {p.relative_to(output): p.stat().st_mtime_ns for p in output.rglob("*")}

    (root / "content/posts/fel.md").write_text(post(date="2026-02-30"), encoding="utf-8")
    result = build_site(root, output, search=False)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Done: Processed" not in result.stdout + result.stderr
    assert error_lines(result) == [
        "content/posts/fel.md: date: ”2026-02-30” är inget datum som finns; skriv datumet som 2026-03-04, "
        "eller med tid som 2026-03-04 18:30"
    ]
    assert {p.relative_to(output): p.stat().st_mtime_ns for p in output.rglob("*")} == before
    assert not list(tmp_path.glob(".output.building-*")), "no half-built folder is left behind"


def test_all_mistakes_are_listed_at_once(tmp_path: Path) -> None:
    root = make_site(
        tmp_path,
        {
            "posts/a.md": "---\ntitle: A\n---\n",
            "posts/b.docx": "inte markdown",
            "pages/b.md": "---\nmenu: 1\n---\n",
            "plans/c.md": "---\ntitle: Plan\nyear: tjugo\n---\n",
            "reports/d.md": report("okand"),
        },
    )
    lines = error_lines(build_site(root, tmp_path / "out", search=False))
    found = dict(sorted(line.split(": ", 2)[0:2] for line in lines))
    assert found == {
        "content/pages/b.md": "title",
        "content/plans/c.md": "year",
        "content/posts/a.md": "date",
        "content/posts/b.docx": "bara .md-filer läses i content/posts/, så den här filen blir ingen sida; skriv texten i en .md-fil (se docs/guide/skriva-inlagg.md), och lägg bilagor i content/files/ och bilder i content/images/ och länka till dem därifrån",  # noqa: E501
        "content/reports/d.md": "author",
    }
    assert all(ONE_LINE.match(line) for line in lines), lines
    assert not (tmp_path / "out").exists()


def test_a_draft_builds_and_pages_with_menu_join_the_menu(tmp_path: Path) -> None:
    page = "---\ntitle: Bli medlem\nmenu: 3\n---\nVälkommen.\n"
    hidden = "---\ntitle: Gömd\nmenu: 1\nstatus: hidden\n---\nText.\n"
    root = make_site(
        tmp_path / "site",
        {"posts/a.md": post(), "posts/b.md": post(title="Utkast", status="draft"), "pages/bli-medlem.md": page,
         "pages/gomd.md": hidden},
    )  # fmt: skip
    result = build_site(root, tmp_path / "out", search=False)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    nav = home[home.index("<nav") : home.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    assert links[-2:] == [("/medlem/", "Medlemmar"), ("/bli-medlem/", "Bli medlem")], "after site.yml's menu"
    assert "Gömd" not in nav
    assert "Utkast" not in home and not (tmp_path / "out/nyheter/2026/b").exists()


# --- site.yml ----------------------------------------------------------------------


def write_site_yml(root: Path, text: str) -> Path:
    (root / "content/images").mkdir(parents=True, exist_ok=True)
    (root / "content/images/logo.svg").write_text("<svg/>", encoding="utf-8")
    (root / "site.yml").write_text(text, encoding="utf-8")
    return root


def site_yml_lines(root: Path, text: str) -> list[str]:
    with pytest.raises(SiteError) as caught:
        load_site(write_site_yml(root, text))
    return str(caught.value).splitlines()


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("name: Socialdemokraterna i Björkvik\n", "", "site.yml: name: saknas; skriv t.ex. name: Socialdemokraterna"),
        ('primary: "#a3001b"', "primary: red", "site.yml:16: colours: primary: ”red” är ingen färg; skriv en hexfärg"),
        (
            'primary: "#a3001b"',
            "primary: #00aa00",
            "site.yml:16: colours: primary: är tomt, för YAML läser allt efter # som en kommentar; sätt värdet "
            'inom citattecken: primary: "#00aa00"',
        ),
        ("Europe/Stockholm", "Europe/Björkvik", "site.yml:8: timezone: ”Europe/Björkvik” är ingen tidszon"),
        ("kontakt@bjorkvik", "kontakt-bjorkvik", "site.yml:11: contact: email: ”kontakt-bjorkvik.example.org” är"),
        ("language: sv", "language: fi", "site.yml:7: language: ”fi” går inte att välja; skriv något av: sv, en"),
        (
            "remember_days: 30",
            "remember_days: en månad",
            "site.yml:112: members: remember_days: ”en månad” är inget heltal från 0 till 365; skriv t.ex. 30",
        ),
        ("colours:", "fargr: 1\ncolours:", "site.yml:15: fargr: okänd nyckel; kända nycklar här: name, tagline"),
        (
            "  - id: puben\n",
            "  - id: torget\n",
            "site.yml:59: venues: lokal 3 (Puben Ankaret): id: ”torget” används två",
        ),
        (
            "    step_free: false\n    hearing_loop: false\n    notes: Två",
            "    step_free: kanske\n    hearing_loop: false\n    notes: Två",
            "site.yml:62: venues: lokal 3 (Puben Ankaret): step_free: ”kanske” är varken ja eller nej",
        ),
    ],
)
def test_site_yml_mistakes_name_the_key_in_words(tmp_path: Path, old: str, new: str, line: str) -> None:
    assert old in SITE_YML
    lines = site_yml_lines(tmp_path, SITE_YML.replace(old, new, 1))
    assert len(lines) == 1 and lines[0].startswith(line), lines
    assert "[" not in lines[0].split(": ")[1], "no programmer's notation like venues[1]"


def test_site_yml_lists_every_problem_in_line_order(tmp_path: Path) -> None:
    text = SITE_YML.replace("language: sv", "language: svenska").replace('accent: "#1c4e80"', "accent: #1c4e80")
    text = text.replace("    step_free: false\n    hearing_loop: false\n    notes: Två", "    step_free: ja\n"
                        "    hearing_loop: nja\n    notes: Två")  # fmt: skip
    lines = site_yml_lines(tmp_path, text)
    assert [line.split(": ")[0] for line in lines] == ["site.yml:7", "site.yml:17", "site.yml:63"]
    assert "lokal 3 (Puben Ankaret): hearing_loop" in lines[2]
    assert load_site.__module__  # step_free: ja is yes, not a mistake
    assert not any("step_free" in line for line in lines)


def test_site_yml_mistake_stops_the_build_in_one_line(tmp_path: Path) -> None:
    root = make_site(
        tmp_path, {"posts/a.md": post()}, site_yml=SITE_YML.replace("timezone: Europe/Stockholm", "timezone: 5")
    )
    result = build_site(root, tmp_path / "out", search=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result) == ["site.yml:8: timezone: ”5” är ingen tidszon; skriv t.ex. Europe/Stockholm"]


@pytest.mark.parametrize(
    ("colours", "key", "direction"),
    [
        ({"primary": "#ff9999"}, "primary", "mörkare"),
        ({"text": "#aaaaaa"}, "text", "mörkare"),
        ({"accent": "#8fb3ff"}, "accent", "mörkare"),
        ({"background": "#000000", "text": "#111111"}, "text", "ljusare"),
    ],
)
def test_unreadable_colours_are_refused_with_the_key(tmp_path: Path, colours: dict, key: str, direction: str) -> None:
    site = yaml.safe_load(SITE_YML)
    site["colours"].update(colours)
    lines = site_yml_lines(tmp_path, yaml.safe_dump(site, allow_unicode=True))
    assert any(re.match(rf"^site.yml:\d+: colours: {key}: .* kontrasten .*4.5:1, välj en {direction} färg", line)
               for line in lines), lines  # fmt: skip


def test_missing_logo_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "site.yml").write_text(SITE_YML, encoding="utf-8")
    with pytest.raises(SiteError, match=r"^site.yml:21: logo: content/images/logo.svg finns inte"):
        load_site(tmp_path)
    (tmp_path / "content/images").mkdir(parents=True)
    (tmp_path / "content/images/logo.svg").write_text("<svg/>", encoding="utf-8")
    assert load_site(tmp_path)["logo"] == "images/logo.svg"


# --- failures inside Pelican -------------------------------------------------------


def test_an_internal_error_names_the_file_and_keeps_the_collected_problems(tmp_path: Path) -> None:
    import argparse
    import copy

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from foreningssajt.cli import build as build_tool
    from foreningssajt.cli.quiet_pelican import quiet_console
    from foreningssajt.siteconfig.session import BuildSession

    settings = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": str(tmp_path / "content")}
    session = BuildSession.start(tmp_path)
    session.problems.add(SiteError("content/posts/a.md", "date", "saknas; skriv t.ex. date: 2026-03-04"))

    def writing_a_draft(*_args: object) -> None:
        draft = Article("<p>x</p>", {"title": "X"}, settings, str(tmp_path / "content/posts/b.md"))
        with quiet_console():
            raise AttributeError(f"'Article' object has no attribute 'category' ({draft.title})")

    original, build_tool.build = build_tool.build, writing_a_draft
    try:
        build_tool.run(session, argparse.Namespace(debug=False), tmp_path / "building")
    finally:
        build_tool.build = original
    lines = session.problems.lines()
    assert lines[0] == "content/posts/a.md: date: saknas; skriv t.ex. date: 2026-03-04"
    assert lines[1].startswith("content/posts/b.md: internt fel (AttributeError: ")
    assert "Traceback" not in "\n".join(lines) and len(lines) == 2


def test_a_file_pelican_could_not_read_is_named(tmp_path: Path) -> None:
    import logging

    from foreningssajt.cli.quiet_pelican import PelicanLog
    from foreningssajt.siteconfig.session import BuildSession

    session = BuildSession.start(tmp_path)
    handler = PelicanLog(session)
    try:
        raise KeyError("x")
    except KeyError:
        handler.emit(logging.LogRecord("pelican", logging.ERROR, "", 0, "Could not process %s", ("posts/c.md",), None))
    (line,) = session.problems.lines()
    assert line.startswith("content/posts/c.md: internt fel när filen lästes (KeyError: 'x'); kör 'make html DEBUG=1'")


def test_yaml_problems_are_told_in_swedish_words(reading: Reading) -> None:
    (line,) = reading.problems("posts/fel.md", "---\ntitle: [Budget 2027\ndate: 2026-01-01\n---\n")
    assert "(en hakparentes som aldrig stängs)" in line and "expected" not in line


def test_an_unquoted_hex_value_in_a_header_is_caught(reading: Reading) -> None:
    (line,) = reading.problems("posts/a.md", post(image="images/logo.svg", image_alt="#1 i serien"))
    assert line == (
        "content/posts/a.md: image_alt: är tomt, för YAML läser allt efter # som en kommentar; sätt värdet inom "
        'citattecken: image_alt: "#1"'
    )
