"""The members' generator: password rules, one key derivation per build, refused links."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sitebuild import build_site, make_site, post

from foreningssajt.members.layout import minutes_slug, newsletter_slug, unique_slugs
from foreningssajt.members.password import DEMO_PASSWORD, members_password
from foreningssajt.siteconfig.errors import SiteError

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "members"


def newsletter(title: str, date: str, body: str = "Hej kamrater, här kommer månadens nyheter.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n{body}\n"


def minutes(title: str, date: str, meeting: str = "styrelse", body: str = "Mötet öppnades.", extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nmeeting: {meeting}\n{extra}---\n{body}\n"


# ---- URLs ---------------------------------------------------------------------------


def test_slugs_from_date_and_kind() -> None:
    assert newsletter_slug(dt.datetime(2026, 11, 2, 18)) == "2026-11"
    assert minutes_slug(dt.datetime(2026, 3, 4, 18), "styrelse") == "2026-03-04-styrelse"
    assert unique_slugs(["2026-10", "2026-10", "2026-11", "2026-10"]) == [
        "2026-10",
        "2026-10-2",
        "2026-11",
        "2026-10-3",
    ]


# ---- password -------------------------------------------------------------------------


def test_development_build_falls_back_to_demo_password() -> None:
    assert members_password({}, {}) == (DEMO_PASSWORD, True)
    assert members_password({}, {"MEMBERS_PASSWORD": DEMO_PASSWORD}) == (DEMO_PASSWORD, True)
    assert members_password({}, {"MEMBERS_PASSWORD": "kort"}) == ("kort", False)


SITE = {"SITE": {"name": "Socialdemokraterna i Björkvik"}, "PUBLISHING": True}


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        (None, "är inte satt"),
        ("", "är inte satt"),
        (" " * 16, "bara av mellanslag"),
        (DEMO_PASSWORD, "demolösenordet"),
        ("Demo-Medlem-2026", "demolösenordet"),  # a capital letter
        ("demo medlem 2026 ", "demolösenordet"),  # spaces for hyphens, a trailing space
        ("Socialdemokraterna i Björkvik", "föreningens namn"),
        ("socialdemokraterna-i-bjorkvik!", "föreningens namn"),  # no accents, no spaces
        ("tretton-tecke", "för kort"),
        ("ö" * 15, "lätt att gissa (upprepade tecken)"),
        ("98765432109876", "lätt att gissa"),
        ("qwertyuiopåasdf", "lätt att gissa"),
        ("Björkvik2026Björkvik", "lätt att gissa"),  # the town's name twice and a year
    ],
)
def test_publishing_refuses_weak_passwords(password: str | None, problem: str) -> None:
    environ = {} if password is None else {"MEMBERS_PASSWORD": password}
    with pytest.raises(SiteError) as caught:
        members_password(SITE, environ)
    line = str(caught.value)
    assert "\n" not in line and problem in line, line
    assert line.startswith("MEMBERS_PASSWORD: ") and "fyra slumpade ord" in line  # how to pick a good one
    if password and password.strip():
        assert password.strip() not in line  # the password itself is never printed


@pytest.mark.parametrize("password", ["kanel spårvagn fönster blåbär", "Glasbruk-Motorväg-Lingon-7"])
def test_publishing_accepts_hard_to_guess_passwords(password: str) -> None:
    assert members_password(SITE, {"MEMBERS_PASSWORD": password}) == (password, False)


@pytest.mark.slow
@pytest.mark.parametrize("password", [None, DEMO_PASSWORD, "aaaaaaaaaaaaaaaa"])
def test_make_publish_refuses_with_one_line(password: str | None, tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "marker.txt").write_text("old site")
    result = build_site(fixture_copy(tmp_path), output, publish=True, env={"MEMBERS_PASSWORD": password})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("MEMBERS_PASSWORD")]
    assert len(lines) == 1 and "make publish" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert (output / "marker.txt").read_text() == "old site"  # the old site stays


@pytest.mark.slow
def test_publish_with_a_good_password_has_no_demo_notice(tmp_path: Path) -> None:
    output = tmp_path / "output"
    result = build_site(fixture_copy(tmp_path), output, publish=True,
                        env={"MEMBERS_PASSWORD": "ett-långt-lösenord-2026"})  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = (output / "medlem" / "index.html").read_text(encoding="utf-8")
    assert "Demobygge" not in page and DEMO_PASSWORD not in page


def fixture_copy(tmp_path: Path) -> Path:
    import shutil

    site = tmp_path / "site"
    if not site.exists():
        shutil.copytree(FIXTURE, site)
    return site


# ---- one key derivation per build -----------------------------------------------------


@pytest.mark.slow
def test_500_items_cost_one_key_derivation(tmp_path: Path) -> None:
    from foreningssajt.members import staticrypt  # the module the build's members plugin uses (same process)

    files = {}
    start = dt.date(2020, 1, 1)
    for i in range(400):
        day = start + dt.timedelta(days=i)
        files[f"members/minutes/m{i}.md"] = minutes(f"Protokoll {i}", f"{day} 18:00", body=f"Punkt {i} avklarades.")
    for i in range(100):
        files[f"members/newsletters/n{i}.md"] = newsletter(f"Brev {i}", f"2025-{i % 12 + 1:02d}-01")
    site = make_site(tmp_path / "site", files)
    before = staticrypt.DERIVATIONS
    result = build_site(site, tmp_path / "out", search=False)
    assert result.returncode == 0, result.stderr
    # One derivation per access level (the members' and each level in site.yml), never per item.
    levels = 1 + len(yaml.safe_load((site / "site.yml").read_text(encoding="utf-8"))["members"].get("levels", []))
    assert staticrypt.DERIVATIONS - before == levels
    pages = list((tmp_path / "out" / "medlem").rglob("index.html"))
    assert len(pages) == 501  # 500 items and the index


# ---- mistakes in members' content ------------------------------------------------------


@pytest.mark.slow
def test_site_links_in_members_content_are_refused(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "members/minutes/m.md": minutes(
                "Protokoll med länkar",
                "2026-03-04 18:00",
                body="[skannat]({attach}hemlig-skanning.pdf) och [bilaga]({static}hemlig-bilaga.pdf)",
            ),
            "posts/p.md": post(),
        },
    )
    (site / "content/members/minutes/hemlig-skanning.pdf").write_bytes(b"%PDF-1.4 secret scan")
    (site / "content/members/minutes/hemlig-bilaga.pdf").write_bytes(b"%PDF-1.4 secret attachment")
    result = build_site(site, tmp_path / "out", search=False)
    assert result.returncode == 1
    refused = [line for line in result.stderr.splitlines() if "går inte i medlemssidor" in line]
    assert len(refused) == 2 and all(line.startswith("content/members/minutes/m.md: ") for line in refused)
    assert not (tmp_path / "out").exists()  # nothing published, so nothing copied


@pytest.mark.slow
def test_attachment_mistakes_name_file_and_key(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "site",
        {
            "members/minutes/a.md": minutes("Protokoll A", "2026-03-04 18:00", extra="attachments: [saknas.pdf]\n"),
            "members/minutes/b.md": minutes(
                "Protokoll B", "2026-03-05 18:00", extra="attachments: [../../posts/p.md]\n"
            ),
            "posts/p.md": post(),
        },
    )
    result = build_site(site, tmp_path / "out", search=False)
    assert result.returncode == 1
    assert "content/members/minutes/a.md: attachments: 'saknas.pdf' finns inte" in result.stderr
    assert (
        "content/members/minutes/b.md: attachments: '../../posts/p.md' ligger utanför content/members/" in result.stderr
    )


def test_members_only_events_are_in_the_members_area_in_full(tmp_path: Path) -> None:
    """Time, place and text of a members-only event: it has no public page, so all of it is here."""
    import json
    import re

    from foreningssajt.members.staticrypt import Cipher, derive_key

    event = (
        "---\ntitle: Studiebesök på kommunfullmäktige\nstart: 2026-05-20 17:30\nend: 2026-05-20 19:00\n"
        "location: folkets-hus\nmembers_only: true\n---\n"
        "Vi följer debatten om busslinjerna från läktaren och fikar efteråt i foajén.\n"
    )
    site = make_site(tmp_path / "site", {"events/studiebesok.md": event})
    result = build_site(site, tmp_path / "out", search=False, now="2026-05-01T12:00:00+02:00")
    assert result.returncode == 0, result.stderr

    page = (tmp_path / "out" / "medlem" / "index.html").read_text(encoding="utf-8")
    payload = re.search(r'id="members-payload"[^>]*>(.*?)</script>', page, re.S).group(1)
    key = derive_key(DEMO_PASSWORD, (site / "members-salt.txt").read_text(encoding="ascii").strip())
    text = Cipher(key).decrypt(json.loads(payload)["staticryptEncryptedMsgUniqueVariableName"]).decode("utf-8")
    assert "<h3>Studiebesök på kommunfullmäktige</h3>" in text
    assert "17:30–19:00" in text or "17.30–19.00" in text
    assert "Folkets hus" in text
    assert "fikar efteråt i foajén" in text
    assert "fikar efteråt" not in page  # and only there, encrypted
