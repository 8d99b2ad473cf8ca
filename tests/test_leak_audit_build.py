"""Leak attempts against a whole build: each stops `make html` with one line, output/ unchanged.

Our own variants of the ways protected text reached the public site before (issue 11):
copies of whole items, one quoted sentence in each kind of public source, text a
browser shows unchanged (soft hyphens, zero-width characters, a tag inside a word),
excerpts and short sentences, attachments re-saved or packed, members-only events
whose header is hard to read, and files under content/members/ of no known kind.
Builds run in this process (foreningssajt/cli/build.py's main()), without search, on a small site.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from members_helpers import build_in_process, office_file, tiny_pdf
from sitebuild import make_site, post

MINUTE = "content/members/minutes/styrelse-2026-03-04.md"
NEWSLETTER = "content/members/newsletters/brev-2026-03.md"
EVENT = "content/events/planeringsmiddag.md"
PDF = "content/members/minutes/protokoll-signerat.pdf"
TITLE = "Protokoll styrelsemöte om valbidraget 4 mars"
LONG = (
    "Kassören redovisade att sparkontot innehåller 48 312 kronor efter valrörelsen och att "
    "valbidraget från distriktet ännu inte har betalats ut."
)
SHORT = "Kalle Svensson uteslöts ur föreningen."
PDF_TEXT = "Justerat protokoll: styrelsen beslutade att teckna avtal med Björkviks tryckeri om valtidningen."
NEWS = (
    "Den hemliga julmarknaden planeras till lördagen den femtonde december vid Folkets hus. "
    "Vi behöver sju bakare och två personer som kan hålla i lotterierna."
)
DINNER = "Valberedningen går igenom kandidaterna till den nya styrelsen över en vegetarisk gryta."
MINUTE_TEXT = (
    f"---\ntitle: {TITLE}\ndate: 2026-03-04 18:00\nmeeting: styrelse\nattachments: [protokoll-signerat.pdf]\n---\n"
    f"## § 1 Ekonomi\n\n{LONG}\n\n## § 2 Medlemsärenden\n\n{SHORT}\n"
)
NEWSLETTER_TEXT = f"---\ntitle: Medlemsbrev mars 2026\ndate: 2026-03-10 10:00\n---\nHej kamrater!\n\n{NEWS}\n"


def members_event(title: str = "Planeringsmiddag för valberedningen", bom: bool = False) -> str:
    text = f"---\ntitle: {title}\nstart: 2026-10-15 18:00\nend: 2026-10-15 21:00\nmembers_only: true\n---\n{DINNER}\n"
    return ("\ufeff" + text) if bom else text


FILES = {
    MINUTE.removeprefix("content/"): MINUTE_TEXT,
    NEWSLETTER.removeprefix("content/"): NEWSLETTER_TEXT,
    EVENT.removeprefix("content/"): members_event(),
    "posts/torgmote.md": post("Torgmöte på lördag", body="Välkommen till torget på lördag klockan tio."),
    "pages/om-oss.md": "---\ntitle: Om oss\n---\nVi är arbetarekommunen i Björkvik.\n",
    "events/pub.md": "---\ntitle: Pubkväll\nstart: 2026-10-30 19:00\nend: 2026-10-30 23:00\n---\nVälkommen!\n",
}


@pytest.fixture(scope="module")
def base_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("leaks") / "site", FILES)
    (root / PDF).write_bytes(tiny_pdf(PDF_TEXT))
    return root


@pytest.fixture
def site(base_site: Path, tmp_path: Path) -> Path:
    root = Path(shutil.copytree(base_site, tmp_path / "site", ignore=shutil.ignore_patterns(".cache", "output")))
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "marker.txt").write_text("the published site")
    return root


def build(site: Path) -> tuple[int, list[str]]:
    return build_in_process(site, site.parent / "output")


def write(site: Path, relative: str, text: str | bytes) -> None:
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def assert_stopped(site: Path, public: str, protected: str) -> str:
    """The build failed, one line names the public source and the protected file, output/ is untouched."""
    (site.parent / "output" / "marker.txt").write_text("the published site")
    code, lines = build(site)
    assert code == 1, lines
    named = [line for line in lines if line.startswith(f"{public}: ") and protected in line]
    assert len(named) == 1, lines
    assert (site.parent / "output" / "marker.txt").read_text() == "the published site"
    assert not any("Traceback" in line for line in lines)
    return named[0]


def test_the_small_site_builds_clean(site: Path) -> None:
    code, lines = build(site)
    assert code == 0, lines
    output = site.parent / "output"
    assert (output / "medlem" / "index.html").is_file()
    # The members-only event is not on the public calendar.
    assert not any("planeringsmiddag" in p.as_posix() for p in output.rglob("*"))


# ---- copies and quotes in every kind of public source ------------------------------------------

ATTEMPTS: dict[str, tuple[str, str, Callable[[], str | bytes]]] = {
    # (public source, protected source, what the volunteer wrote)
    "newsletter copied into posts": (
        "content/posts/brev.md",
        NEWSLETTER,
        lambda: NEWSLETTER_TEXT.replace("date: 2026-03-10 10:00", "date: 2026-03-11 10:00"),
    ),
    "minute copied into posts, keys removed": (
        "content/posts/protokoll.md",
        MINUTE,
        lambda: MINUTE_TEXT.replace("meeting: styrelse\n", "").replace("attachments: [protokoll-signerat.pdf]\n", ""),
    ),
    "one sentence quoted in a post": (
        "content/posts/citat.md",
        MINUTE,
        lambda: post("Om ekonomin", body=f"Från styrelsen: ”{LONG}”"),
    ),
    "one sentence quoted in a page": (
        "content/pages/ekonomi.md",
        MINUTE,
        lambda: f"---\ntitle: Ekonomi\n---\nSom det heter: {LONG}\n",
    ),
    "one sentence in a public event": (
        "content/events/marknad.md",
        NEWSLETTER,
        lambda: f"---\ntitle: Julmarknad\nstart: 2026-12-15 10:00\nend: 2026-12-15 14:00\n---\n{NEWS}\n",
    ),
    "a minute's title reused as a post title": (
        "content/posts/rubrik.md",
        MINUTE,
        lambda: post(TITLE, body="Läs mer snart."),
    ),
    "minutes exported as .txt into content/files/": (
        "content/files/protokoll.txt",
        MINUTE,
        lambda: f"{TITLE}\n\n{LONG}\n{SHORT}\n",
    ),
    "minutes exported as .md into content/files/": (
        "content/files/protokoll.md",
        MINUTE,
        lambda: MINUTE_TEXT,
    ),
    "a soft hyphen (U+00AD) in every word": (
        "content/posts/mjuk.md",
        MINUTE,
        lambda: post("Mjukt", body=" ".join(w[:2] + "\u00ad" + w[2:] for w in LONG.split())),
    ),
    "&shy; entities": (
        "content/posts/shy.md",
        MINUTE,
        lambda: post(
            "Shy", body=LONG.replace("sparkontot", "spar&shy;kontot").replace("valbidraget", "val&shy;bidraget")
        ),
    ),
    "zero-width characters": (
        "content/posts/noll.md",
        NEWSLETTER,
        lambda: post("Noll", body=NEWS.replace("a", "a\u200b").replace("e", "\u2060e")),
    ),
    "a tag inside a word": (
        "content/posts/tagg.md",
        MINUTE,
        lambda: post(
            "Tagg",
            body=LONG.replace("valbidraget", "val<span>bid</span>raget").replace("sparkontot", "spar<b>kontot</b>"),
        ),
    ),
    "a 7-word excerpt of a long sentence": (
        "content/posts/utdrag.md",
        MINUTE,
        lambda: post("Utdrag", body="Vi hörde att valbidraget från distriktet ännu inte har betalats, sägs det."),
    ),
    "a short whole sentence": (
        "content/posts/kort.md",
        MINUTE,
        lambda: post("Kort", body=f"Nyheter i korthet. {SHORT.upper()} Mer om det senare."),
    ),
    "the text of a members' PDF quoted": (
        "content/posts/avtal.md",
        PDF,
        lambda: post("Avtal", body=PDF_TEXT),
    ),
    "minutes inside a .docx": (
        "content/files/protokoll.docx",
        MINUTE,
        lambda: office_file([TITLE, LONG, SHORT]),
    ),
    "minutes inside an .odt": (
        "content/files/protokoll.odt",
        MINUTE,
        lambda: office_file([LONG], kind="odt"),
    ),
    "a members-only event's text quoted": (
        "content/posts/middag.md",
        EVENT,
        lambda: post("Middag", body=DINNER),
    ),
}


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_leak_attempt_stops_the_build(attempt: str, site: Path) -> None:
    public, protected, text = ATTEMPTS[attempt]
    write(site, public, text())
    line = assert_stopped(site, public, protected)
    assert "public_passages:" in line and "”" in line  # how to declare it, and the words


def test_with_search_on_a_leak_stops_the_build_too(site: Path) -> None:
    # With search the audit's patterns are made while Pagefind runs (cli/build.py index_search).
    from sitebuild import run_build

    write(site, "content/posts/citat.md", post("Citat", body=LONG))
    done = run_build(["--root", str(site), "--output", str(site.parent / "output")])
    lines = done.stderr.splitlines()
    assert done.returncode == 1, lines
    assert [line for line in lines if line.startswith("content/posts/citat.md: ") and MINUTE in line], lines
    assert (site.parent / "output" / "marker.txt").read_text() == "the published site"


def test_site_yml_tagline(site: Path) -> None:
    yml = (site / "site.yml").read_text(encoding="utf-8")
    (site / "site.yml").write_text(
        yml.replace("tagline: Arbetarekommunen i Björkvik – för ett jämlikt Björkvik", f"tagline: {SHORT}"),
        encoding="utf-8",
    )
    assert_stopped(site, "site.yml", MINUTE)


def test_a_scratch_file_exempts_nothing(site: Path) -> None:
    # Before: any file under content/ holding the text made it "public".
    write(site, "content/anteckningar.md", MINUTE_TEXT)
    write(site, "content/posts/citat.md", post("Citat", body=LONG))
    code, lines = build(site)
    assert code == 1
    assert any(line.startswith("content/posts/citat.md: ") and MINUTE in line for line in lines), lines


def test_zip_and_resaved_pdf_in_content_files(site: Path) -> None:
    import io
    import zipfile

    original = (site / PDF).read_bytes()
    resaved = original.replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 595 843]")  # one byte changed
    assert resaved != original
    write(site, "content/files/skanning.pdf", resaved)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("protokoll/styrelsen.txt", LONG)
    write(site, "content/files/arkiv.zip", buffer.getvalue())
    code, lines = build(site)
    assert code == 1
    assert any(line.startswith("content/files/skanning.pdf: ") and PDF in line for line in lines), lines
    assert any(line.startswith("content/files/arkiv.zip: ") and MINUTE in line for line in lines), lines


def test_a_byte_copy_of_an_attachment_is_named(site: Path) -> None:
    write(site, "content/files/kopia.pdf", (site / PDF).read_bytes())
    code, lines = build(site)
    assert code == 1
    assert any(line.startswith("content/files/kopia.pdf: ") and "kopia av den skyddade filen" in line for line in lines)


# ---- members-only events the old audit read as public ------------------------------------------


@pytest.mark.parametrize(
    "event",
    [members_event(bom=True), members_event(title="Middag --- valberedningen"), members_event().replace("\n", "\r\n")],
    ids=["byte-order mark", "--- in the title", "CRLF"],
)
def test_a_hard_to_read_members_only_event_stays_protected(event: str, site: Path) -> None:
    write(site, EVENT, event)
    code, lines = build(site)
    assert code == 0, lines
    output = site.parent / "output"
    public = [
        p for p in output.rglob("*") if p.is_file() and not p.relative_to(output).as_posix().startswith("medlem/")
    ]
    assert not any("vegetarisk" in p.read_text(encoding="utf-8", errors="replace") for p in public)
    write(site, "content/posts/middag.md", post("Middag", body=DINNER))
    assert_stopped(site, "content/posts/middag.md", EVENT)


# ---- files under content/members/ of no known kind ----------------------------------------------


@pytest.mark.parametrize("where", ["content/members/anteckningar.md", "content/members/styrelsen/2026.md"])
def test_an_unknown_file_under_members_stops_the_build(where: str, site: Path) -> None:
    write(site, where, NEWSLETTER_TEXT)
    code, lines = build(site)
    assert code == 1
    named = [line for line in lines if line.startswith(f"{where}: ")]
    assert len(named) == 1, lines
    assert "content/members/newsletters/" in named[0] and "content/members/minutes/" in named[0]
    assert (site.parent / "output" / "marker.txt").read_text() == "the published site"


# ---- the honest case: a passage declared public in the protected file ------------------------------


def test_public_passages_let_exactly_the_declared_words_through(site: Path) -> None:
    declared = MINUTE_TEXT.replace("meeting: styrelse\n", f"meeting: styrelse\npublic_passages:\n  - {SHORT}\n")
    write(site, MINUTE, declared)
    write(site, "content/posts/kort.md", post("Kort", body=SHORT))
    code, lines = build(site)
    assert code == 0, lines
    write(site, "content/posts/lang.md", post("Lång", body=LONG))  # not declared: still a leak
    assert_stopped(site, "content/posts/lang.md", MINUTE)


# ---- no false alarm on realistic text -------------------------------------------------------------

PLAN = """---
title: Verksamhetsplan 2027
year: 2027
summary: Året efter valet -- bygga vidare på alla nya kontakter, fler medlemsmöten och studier för nya medlemmar.
---

Verksamhetsplanen för 2027 antas av årsmötet i februari. Styrelsen följer upp den varje kvartal.

## Organisering

Efter valrörelsen har vi fler aktiva än på många år. Nu gäller det att ta vara på dem.

- [ ] Ringa alla som engagerade sig i valrörelsen före sista mars
- [ ] Starta en lokal grupp i Solbacken med egen samordnare
- [ ] Hålla fyra träffar för nya medlemmar under året
- [ ] Föra in alla kontakter i Zetkin inom en vecka efter varje aktivitet

## Medlemsmöten

- [ ] Hålla nio medlemsmöten, vart och ett med ett politiskt tema
- [ ] Bjuda in kommunalråd och nämndordförande till minst tre möten
- [ ] Skicka dagordning och handlingar en vecka i förväg

## Studier

- [ ] Två studiecirklar om kommunens ekonomi och budgetprocessen
- [ ] En grundkurs i föreningsteknik för nya styrelseledamöter
- [ ] Läsecirkel om arbetarrörelsens historia i Björkvik

## Utåtriktat arbete

- [ ] Stå på torget varannan lördag från april till september
- [ ] Knacka dörr i Ekhagen och Norrby under våren
- [ ] Arrangera första maj och en öppen höstfest

## Kommunikation

- [ ] Ett medlemsbrev varje månad utom juli
- [ ] Publicera rapporter från varje nämndmöte på webbplatsen
"""

REALISTIC_MINUTES = """---
title: Protokoll styrelsemöte 13 januari 2027
date: 2027-01-13 18:30
meeting: styrelse
---

- **Närvarande:** Anna Lindqvist, Karin Öberg, Jonas Ek, Omar Haddad
- **Frånvarande:** Lina Berg

## § 1 Mötets öppnande

Ordföranden öppnade mötet.

## § 2 Dagordning

Dagordningen godkändes med ett tillägg under övriga frågor.

## § 3 Ekonomi

Kassören rapporterade att valkampanjen gick 14 200 kronor över budget, främst på grund av
tryckkostnader för den andra upplagan av valtidningen. Underskottet täcks av den buffert
som årsmötet 2026 avsatte.

Beslut: att föreslå årsmötet en höjd medlemsavgift till det lokala kampanjfonden med 20 kronor per år.

## § 4 Personal

Styrelsen diskuterade ersättning till valledaren för de extra timmarna i september.
Karin och Anna tar fram ett förslag till nästa möte.

## § 5 Årsmötet

Valberedningen har fått in elva nomineringar. Jonas bokar lilla salen och beställer soppa till sextio personer.

## § 6 Övriga frågor

Omar tog upp att ungdomsförbundet vill låna vår banderoll till en manifestation i mars. Styrelsen ställde sig positiv.

## § 7 Mötets avslutande

Ordföranden tackade för visat intresse och avslutade mötet.
"""


@pytest.mark.slow
def test_the_demo_with_a_long_plan_and_realistic_minutes_builds_clean(tmp_path: Path) -> None:
    from sitebuild import REPO

    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    for name in ("site.yml", "members-salt.txt"):
        shutil.copy(REPO / name, site / name)
    write(site, "content/plans/verksamhetsplan-2027.md", PLAN)
    write(site, "content/members/minutes/protokoll-2027-01-13-styrelse.md", REALISTIC_MINUTES)
    code, lines = build_in_process(site, tmp_path / "output")
    assert code == 0, lines
    assert (tmp_path / "output" / "verksamhetsplan" / "2027" / "index.html").is_file()


# ---- the dev server's carried-over patterns (cli/devserver.py) ---------------------------------


def build_carrying(site: Path, carried: object) -> tuple[int, list[str], object]:
    """A build as the dev server's child runs it: (exit code, stderr lines, what it hands on)."""
    import contextlib
    import io

    from sitebuild import isolated_build

    from foreningssajt.cli import build as build_command

    kept: list = []
    errors = io.StringIO()
    arguments = ["--root", str(site), "--output", str(site.parent / "output"), "--no-search"]
    with isolated_build({}), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
        code = build_command.main(
            arguments, published=lambda s: kept.append(s.audit), carried_audit=carried, keep_audit=True
        )
    return code, errors.getvalue().splitlines(), (kept[0].carried() if kept else None)


def test_carried_patterns_are_reused_only_for_the_same_protected_text(site: Path) -> None:
    code, lines, first = build_carrying(site, None)
    assert code == 0, lines
    write(site, "content/posts/torgmote.md", post("Torgmöte på lördag", body="Välkommen till torget klockan elva."))
    code, lines, second = build_carrying(site, first)
    assert code == 0, lines
    assert second.patterns is first.patterns  # nothing protected changed: not made again
    added = "Styrelsen beslutade i hemlighet att flytta höstmötet till biblioteket i Björkvik."
    write(site, MINUTE, MINUTE_TEXT + f"\n{added}\n")
    write(site, "content/posts/flytt.md", post("Flytt", body=added))
    code, lines, _ = build_carrying(site, second)  # the old patterns do not hold the new sentence
    assert code == 1
    assert any(line.startswith("content/posts/flytt.md: ") and MINUTE in line for line in lines), lines
