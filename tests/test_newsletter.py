"""The newsletter's email edition (issue 6): `foreningssajt/cli/newsletter.py` on a small fixture site.

The .eml is made once by the real command line and parsed with Python's email package;
its links are checked against the same fixture site built once by foreningssajt/cli/build.py.
Mistakes (protected images, bad headers, unknown dates) run main() in-process: fast,
and they need no built site.
"""

from __future__ import annotations

import base64
import email
import email.policy
import re
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import format_violations, run_axe
from sitebuild import build_site

from foreningssajt.cli import newsletter

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "newsletter"
SITE_URL = "https://akero.example.org"
TITLE = "Medlemsbrev för mars – vår, möten och årsmöte i Åkerö"
EML = "2026-03-05-medlemsbrev.eml"
_HREF = re.compile(r"""\b(?:href|src)="([^"]*)\"""")


def copy_site(target: Path) -> Path:
    # A copy: a build writes a salt file and a cache into the site folder.
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".cache", "members-salt.txt"))
    return target


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site(tmp_path_factory.mktemp("newsletter") / "site")


@pytest.fixture(scope="module")
def built_site(site_root: Path) -> Path:
    output = site_root.parent / "output"
    done = build_site(site_root, output, search=False)
    assert done.returncode == 0, done.stderr
    return output


@pytest.fixture(scope="module")
def made(site_root: Path) -> Path:
    """The command line, as `make newsletter` runs it (newest newsletter)."""
    out = site_root.parent / "newsletter-out"
    done = subprocess.run(
        [sys.executable, "-m", "foreningssajt.cli.newsletter", "--root", str(site_root), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def message(made: Path) -> EmailMessage:
    return email.message_from_bytes((made / EML).read_bytes(), policy=email.policy.default)


def html_part(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def text_part(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # the wire's CRLF


def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = newsletter.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def page_exists(built: Path, url: str) -> bool:
    path = urlsplit(url).path.lstrip("/")
    target = built / path
    return (target / "index.html").is_file() if path.endswith("/") or not path else target.is_file()


# ---- the files ---------------------------------------------------------------------


def test_the_newest_newsletter_is_written_as_eml_and_html(made: Path) -> None:
    assert sorted(p.name for p in made.iterdir()) == [EML, "2026-03-05-medlemsbrev.html"]


def test_newsletter_out_is_ignored_by_git() -> None:
    done = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "-q", "newsletter-out/2026-03-05-medlemsbrev.eml"], check=False
    )
    assert done.returncode == 0, "newsletter-out/ must be git-ignored"


# ---- the message -------------------------------------------------------------------


def test_message_is_multipart_alternative_with_text_then_html(message: EmailMessage) -> None:
    assert message.get_content_type() == "multipart/alternative"
    text, related = message.get_payload()
    assert text.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    assert related.get_payload()[0].get_content_type() == "text/html"
    for part in (text, related.get_payload()[0]):
        assert part.get_content_charset() == "utf-8"


def test_headers(message: EmailMessage, made: Path) -> None:
    assert message["Subject"] == TITLE
    raw_headers = (made / EML).read_bytes().split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii(), "headers must be RFC 2047 encoded, not raw UTF-8"
    assert message["From"].addresses[0].display_name == "Föreningen Åkerö"
    assert message["From"].addresses[0].addr_spec == "kontakt@akero.example.org"
    assert message["Date"].datetime is not None
    assert re.fullmatch(r"<[^@>]+@akero\.example\.org>", message["Message-ID"])


def test_html_part_is_built_for_email_clients(message: EmailMessage) -> None:
    html = html_part(message)
    assert re.search(r'<html lang="sv"', html)
    tables = re.findall(r"<table\b[^>]*>", html)
    assert tables, "layout is made of tables"
    assert all('role="presentation"' in table for table in tables)
    assert "max-width: 600px" in html
    assert "<style" not in html and "<script" not in html and "<link" not in html
    assert re.search(r'<h1 style="[^"]*font-size: 26px', html), "CSS is inlined into style attributes"
    assert "Föreningen Åkerö" in html
    assert 'href="mailto:kontakt@akero.example.org"' in html


def test_images_travel_inline_and_the_bytes_are_the_public_file(message: EmailMessage) -> None:
    html = html_part(message)
    sources = re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', html)
    assert sources == ["cid:fana.1@akero.example.org"]
    related = message.get_payload()[1]
    images = {part["Content-ID"]: part for part in related.get_payload()[1:]}
    assert set(images) == {"<fana.1@akero.example.org>"}
    image = images["<fana.1@akero.example.org>"]
    assert image.get_content_type() == "image/png"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == (FIXTURE / "content" / "images" / "fana.png").read_bytes()


def test_plain_text_reads_well_on_its_own(message: EmailMessage) -> None:
    text = text_part(message)
    assert TITLE in text
    assert "Årsmötet\n--------" in text  # headings underlined, not Markdown's ##
    assert "Våren är här – och med den ”årsmötet”." in text  # Swedish typography kept
    assert "[Bild: Föreningens fana på torget]" in text
    assert "Läs mer i vår nyhet [3] eller på kontaktsidan [4]." in text
    # A weekly series is one line, at its next date after the newsletter's.
    assert text.count("Pubkväll på Bygdegården") == 1
    assert "torsdag 19 mars kl. 19:00, Bygdegården (och fler datum)" in text
    assert "kontakt@akero.example.org" in text
    for noise in ("**", "\\", "](", "<a", "<p", "&nbsp;", "&amp;", "#"):
        assert noise not in text, f"markup noise {noise!r} in the text part"
    notes = re.findall(r"^\[(\d+)\] (\S+)$", text, re.MULTILINE)
    assert [int(n) for n, _ in notes] == list(range(1, len(notes) + 1))
    assert len({url for _, url in notes}) == len(notes), "each address once"


def test_every_link_resolves_to_a_built_page_or_is_external(message: EmailMessage, built_site: Path) -> None:
    urls = set(_HREF.findall(html_part(message)))
    urls |= set(re.findall(r"^\[\d+\] (\S+)$", text_part(message), re.MULTILINE))
    internal = set()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("cid", "mailto"):
            continue
        assert parts.scheme == "https", f"{url} is not a full address"
        if parts.netloc == urlsplit(SITE_URL).netloc:
            internal.add(url)
            assert page_exists(built_site, url), f"{url} is not a page of the built site"
    expected = {
        f"{SITE_URL}/",
        f"{SITE_URL}/nyheter/2026/valkommen/",
        f"{SITE_URL}/kontakt/",
        f"{SITE_URL}/medlem/medlemsbrev/2026-02/",
        f"{SITE_URL}/kalender/2026/pubkvall/",
        f"{SITE_URL}/kalender/",
    }
    assert expected <= internal
    assert "https://app.zetkin.org/o/1/events/2" in urls


def test_web_edition_link_is_the_members_area_page(message: EmailMessage, built_site: Path) -> None:
    import datetime as dt

    from foreningssajt.members.layout import NEWSLETTERS_URL, newsletter_slug

    web = f"{SITE_URL}/{NEWSLETTERS_URL}{newsletter_slug(dt.date(2026, 3, 5))}/"
    assert web == f"{SITE_URL}/medlem/medlemsbrev/2026-03/"
    assert f'href="{web}"' in html_part(message)
    assert page_exists(built_site, web)


def test_html_file_links_images_to_their_public_copies(made: Path, built_site: Path) -> None:
    html = (made / "2026-03-05-medlemsbrev.html").read_text(encoding="utf-8")
    assert "cid:" not in html
    sources = re.findall(r'<img\b[^>]*\bsrc="([^"]*)"', html)
    assert sources == [f"{SITE_URL}/images/fana.png"]
    assert page_exists(built_site, sources[0])


# ---- choosing and refusing -----------------------------------------------------------


def test_choose_by_month_or_by_file(site_root: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    code, _, err = run_main(monkeypatch, capsys, "2026-02", "--root", str(site_root), "--out", str(tmp_path / "a"))
    assert code == 0, err
    assert (tmp_path / "a" / "2026-02-02-medlemsbrev.eml").is_file()
    by_file = site_root / "content" / "members" / "newsletters" / "2026-02-medlemsbrev.md"
    code, _, err = run_main(monkeypatch, capsys, str(by_file), "--root", str(site_root), "--out", str(tmp_path / "b"))
    assert code == 0, err
    assert (tmp_path / "b" / "2026-02-02-medlemsbrev.eml").is_file()
    code, _, err = run_main(
        monkeypatch, capsys, "2026-02-medlemsbrev", "--root", str(site_root), "--out", str(tmp_path / "c")
    )
    assert code == 0, err
    assert (tmp_path / "c" / "2026-02-02-medlemsbrev.eml").is_file()


def test_unknown_date_is_one_line(site_root: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    code, _, err = run_main(monkeypatch, capsys, "2025-12", "--root", str(site_root), "--out", str(tmp_path))
    assert code == 1
    assert err.strip() == (
        "N: inget medlemsbrev har datumet 2025-12; de som finns: "
        "2026-02-02 (2026-02-medlemsbrev.md), 2026-03-05 (2026-03-medlemsbrev.md)"
    )
    assert not list(tmp_path.iterdir())


def add_newsletter(site: Path, body: str, header: str = "") -> None:
    path = site / "content" / "members" / "newsletters" / "2026-04-medlemsbrev.md"
    path.write_text(f"---\ntitle: April\ndate: 2026-04-01\n{header}---\n\n{body}\n", encoding="utf-8")


def test_refuses_an_image_from_the_members_area(tmp_path: Path, monkeypatch, capsys) -> None:
    site = copy_site(tmp_path / "site")
    secret = site / "content" / "members" / "newsletters" / "skanning.png"
    shutil.copy(FIXTURE / "content" / "images" / "fana.png", secret)
    add_newsletter(site, "![Skannat protokoll](skanning.png)")
    code, _, err = run_main(monkeypatch, capsys, "--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.strip() == (
        "content/members/newsletters/2026-04-medlemsbrev.md:6: bilden skanning.png ligger bland medlemmarnas filer, "
        "som aldrig visas öppet eller i ett e-brev; använd en bild i content/images/ (skriv /images/bild.jpg) "
        "eller ta bort den"
    )
    assert not (tmp_path / "out").exists(), "nothing is written when the newsletter is refused"

    # Written from content/, the reader finds the file; the email's own check refuses it.
    add_newsletter(site, "![Skannat protokoll](/members/newsletters/skanning.png)")
    code, _, err = run_main(monkeypatch, capsys, "--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.strip() == (
        "content/members/newsletters/2026-04-medlemsbrev.md: image: '/members/newsletters/skanning.png' ligger "
        "bland medlemmarnas filer i content/members/ och kan inte skickas säkert i ett e-brev; använd en öppen bild "
        "i content/images/ eller ta bort den"
    )


def test_refuses_a_public_looking_link_to_a_protected_image(tmp_path: Path, monkeypatch, capsys) -> None:
    site = copy_site(tmp_path / "site")
    shutil.copy(FIXTURE / "content" / "images" / "fana.png", site / "content" / "members" / "hemlig.png")
    (site / "content" / "images" / "oskyldig.png").symlink_to(site / "content" / "members" / "hemlig.png")
    add_newsletter(site, "![Bild](/images/oskyldig.png)\n\n![Bild]({static}/images/../members/hemlig.png)")
    code, _, err = run_main(monkeypatch, capsys, "--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all("ligger bland medlemmarnas filer i content/members/" in line for line in lines)


def test_refuses_an_image_from_another_host(tmp_path: Path, monkeypatch, capsys) -> None:
    site = copy_site(tmp_path / "site")
    add_newsletter(site, "![Bild](https://images.example.com/bild.jpg)")
    code, _, err = run_main(monkeypatch, capsys, "--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "ligger på en annan webbplats" in err and "content/images/" in err
    assert len(err.strip().splitlines()) == 1


def test_header_mistakes_use_the_strict_reader(tmp_path: Path, monkeypatch, capsys) -> None:
    site = copy_site(tmp_path / "site")
    add_newsletter(site, "Hej.", header="colour: red\n")
    code, _, err = run_main(monkeypatch, capsys, "--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.strip().startswith("content/members/newsletters/2026-04-medlemsbrev.md: colour: okänd nyckel")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


# ---- in the browser ------------------------------------------------------------------


def with_inline_images(message: EmailMessage) -> str:
    """The HTML part as a mail client shows it: cid: images from their MIME parts."""
    html = html_part(message)
    for part in message.get_payload()[1].get_payload()[1:]:
        data = base64.b64encode(part.get_content()).decode()
        html = html.replace(f"cid:{part['Content-ID'].strip('<>')}", f"data:{part.get_content_type()};base64,{data}")
    return html


_MEASURE = """() => {
  const texts = [...document.querySelectorAll('body *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
  const sizes = texts.map(e => parseFloat(getComputedStyle(e).fontSize));
  const img = document.querySelector('img');
  return {scroll: document.documentElement.scrollWidth, width: window.innerWidth,
          smallest: Math.min(...sizes), count: texts.length,
          image: img ? img.naturalWidth : 0, imageRight: img ? img.getBoundingClientRect().right : 0};
}"""


@pytest.mark.parametrize("width", [600, 360])
def test_html_part_is_readable_in_chromium(message: EmailMessage, page, width: int, tmp_path: Path) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(with_inline_images(message))
    measured = page.evaluate(_MEASURE)
    assert measured["scroll"] <= width, f"horizontal overflow at {width}px: {measured}"
    assert measured["smallest"] >= 14, f"text smaller than 14px: {measured}"
    assert measured["count"] > 10
    assert measured["image"] > 0, "the inline image did not load"
    assert measured["imageRight"] <= width
    page.screenshot(path=str(tmp_path / f"newsletter-{width}.png"), full_page=True)
    if width == 600:  # once is enough: the markup is the same at both widths
        violations = run_axe(page)
        assert not violations, format_violations(violations)


def test_the_email_speaks_the_site_language(tmp_path: Path, monkeypatch, capsys) -> None:
    site = copy_site(tmp_path / "site")
    site_yml = site / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("language: sv", "language: en"), encoding="utf-8")
    code, _, err = run_main(monkeypatch, capsys, "--root", str(site), "--out", str(tmp_path / "out"))
    assert code == 0, err
    message = email.message_from_bytes((tmp_path / "out" / EML).read_bytes(), policy=email.policy.default)
    html = html_part(message)
    assert '<html lang="en"' in html
    assert "Coming events" in html and "read the newsletter on the web" in html
    assert "March 5, 2026" in html  # Babel's English date


def test_refuses_to_write_into_the_published_output(site_root: Path, monkeypatch, capsys) -> None:
    code, _, err = run_main(monkeypatch, capsys, "--root", str(site_root), "--out", str(site_root / "output" / "brev"))
    assert code == 1
    assert "som publiceras eller läses av bygget; välj en mapp utanför" in err
    assert not (site_root / "output" / "brev").exists()
