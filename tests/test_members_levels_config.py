"""Access levels of the members' area: site.yml entries, passwords, access: headers, crossings.

Unit tests without a build; the browser and the built site are in test_members_levels.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from foreningssajt.members import crossings, levels
from foreningssajt.members.keyring import Keyring, key_check
from foreningssajt.members.levels import Level, item_level, level_passwords, levels_from_site
from foreningssajt.siteconfig.errors import SiteError

BOARD = {"id": "styrelse", "name": "Styrelsen", "password_env": "BOARD_PASSWORD"}
GOOD_BOARD_PASSWORD = "Styrelsens-Egna-Lösen-2026"
MEMBERS = ("Medlemmarnas-Lösen-2026", False)


def site_with(*entries: dict) -> dict:
    return {"members": {"remember_days": 30, "levels": list(entries)}}


def one_line(error: SiteError) -> str:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_members_level_always_first_and_board_above() -> None:
    found = levels_from_site(site_with(BOARD))
    assert [(level.id, level.rank, level.password_env) for level in found] == [
        ("medlem", 0, "MEMBERS_PASSWORD"),
        ("styrelse", 1, "BOARD_PASSWORD"),
    ]
    assert found[1].opens(found[0]) and not found[0].opens(found[1])


def test_no_levels_means_members_only() -> None:
    assert [level.id for level in levels_from_site({})] == ["medlem"]
    assert [level.id for level in levels_from_site({"members": {"remember_days": 3}})] == ["medlem"]


def test_level_named_medlem_is_refused() -> None:
    with pytest.raises(SiteError) as caught:
        levels_from_site(site_with({**BOARD, "id": "medlem"}))
    text = one_line(caught.value)
    assert text.startswith("site.yml: members.levels[1].id: ") and "annat id" in text


@pytest.mark.parametrize("env", ["board password", "board_password", "1BOARD", "BOARD-PASSWORD"])
def test_bad_environment_variable_name(env: str) -> None:
    with pytest.raises(SiteError) as caught:
        levels_from_site(site_with({**BOARD, "password_env": env}))
    text = one_line(caught.value)
    assert "members.levels[1].password_env" in text and "BOARD_PASSWORD" in text


@pytest.mark.parametrize("env", ["MEMBERS_PASSWORD", "BOARD_PASSWORD"])
def test_two_levels_cannot_share_a_variable(env: str) -> None:
    second = {"id": "valberedning", "name": "Valberedningen", "password_env": env}
    with pytest.raises(SiteError) as caught:
        levels_from_site(site_with(BOARD, second) if env == "BOARD_PASSWORD" else site_with(second))
    assert "används redan" in one_line(caught.value)


def test_site_yml_schema_names_a_missing_password_env() -> None:
    from foreningssajt.siteconfig.schema import SITE_FIELDS
    from foreningssajt.siteconfig.vocabulary import Where

    where = Where("site.yml", "members")
    SITE_FIELDS["members"].check({"levels": [{"id": "styrelse", "name": "Styrelsen"}]}, where)
    lines = [str(problem) for problem in where.found]
    assert len(lines) == 1 and "password_env" in lines[0], lines


def board_levels() -> list[Level]:
    return levels_from_site(site_with(BOARD))


def test_development_build_uses_demo_passwords() -> None:
    passwords = level_passwords(board_levels(), ("demo-medlem-2026", True), publishing=False, environ={})
    assert passwords["styrelse"] == ("demo-styrelse-2026", True)
    assert passwords["medlem"] == ("demo-medlem-2026", True)


def test_publishing_without_the_board_password_stops_with_one_line() -> None:
    with pytest.raises(SiteError) as caught:
        level_passwords(board_levels(), MEMBERS, publishing=True, environ={})
    text = one_line(caught.value)
    assert text.startswith("BOARD_PASSWORD: är inte satt") and "styrelse" in text and "make publish" in text


NAME = "Socialdemokraterna i Björkvik"


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("demo-styrelse-2026", "demolösenordet"),
        (" DEMO-styrelse-2026 ", "demolösenordet"),
        ("abc123xyz", "för kort"),
        ("aaaaaaaaaaaaaaaaaa", "lätt att gissa"),
        (f"{NAME} 2026!", "föreningens namn"),
    ],
)
def test_publishing_refuses_a_weak_board_password(given: str, why: str) -> None:
    with pytest.raises(SiteError) as caught:
        level_passwords(board_levels(), MEMBERS, True, {"BOARD_PASSWORD": given}, name=NAME)
    text = one_line(caught.value)
    assert text.startswith("BOARD_PASSWORD: ") and why in text and "fyra slumpade ord" in text
    assert given.strip() not in text  # never printed


@pytest.mark.parametrize("publishing", [True, False])
def test_board_password_equal_to_members_is_refused(publishing: bool) -> None:
    same = {"BOARD_PASSWORD": " medlemmarnas-lösen-2026"}
    with pytest.raises(SiteError) as caught:
        level_passwords(board_levels(), MEMBERS, publishing=publishing, environ=same)
    text = one_line(caught.value)
    assert "samma lösenord som nivån medlem" in text and "lösen-2026" not in text


def test_publishing_accepts_a_good_board_password() -> None:
    passwords = level_passwords(board_levels(), MEMBERS, True, {"BOARD_PASSWORD": GOOD_BOARD_PASSWORD})
    assert passwords["styrelse"] == (GOOD_BOARD_PASSWORD, False)


def test_access_header_names_a_level() -> None:
    found = board_levels()
    assert item_level({}, found, "x.md").id == "medlem"
    assert item_level({"access": "styrelse"}, found, "x.md").id == "styrelse"
    with pytest.raises(SiteError) as caught:
        item_level({"access": "styrelsen"}, found, "content/members/minutes/x.md")
    text = one_line(caught.value)
    assert text.startswith("content/members/minutes/x.md: access: styrelsen är ingen nivå")
    assert "menade du styrelse" in text and "medlem, styrelse" in text


def test_one_derivation_per_level_and_the_board_key_unwraps_the_members_key() -> None:
    from foreningssajt.members.staticrypt import Cipher

    counted = []
    passwords = {"medlem": MEMBERS, "styrelse": (GOOD_BOARD_PASSWORD, False)}
    ring = Keyring.derive(board_levels(), passwords, "0123456789abcdef0123456789abcdef", lambda: counted.append(1))
    assert counted == [] and [level.id for level in ring.levels()] == ["medlem", "styrelse"]  # nothing encrypted yet
    members_entry, board_entry = ring.browser_levels()
    assert len(counted) == 2  # on first use, once per level
    ring.cipher("medlem").encrypt("<p>hej</p>")
    assert len(counted) == 2
    assert "wrap" not in members_entry
    assert Cipher(ring.hashed("styrelse")).decrypt(board_entry["wrap"]).decode() == ring.hashed("medlem")
    assert members_entry["check"] == key_check(ring.hashed("medlem")) != board_entry["check"]


def test_board_sentence_in_a_members_page_is_a_crossing() -> None:
    secret = "Styrelsen beslutade att höja kanslistens lön med fyra procent."
    texts = crossings.item_texts("content/members/minutes/s.md", "styrelse", 1, "Lönesamtal", "", f"<p>{secret}</p>")
    pasted = "<p>Nytt i maj: styrelsen beslutade att h<em>ö</em>ja kanslist&shy;ens lön med fyra\u00ad procent.</p>"
    regions = [
        crossings.WrittenRegion("medlem/medlemsbrev/2026-05/", "medlem", 0, pasted),
        crossings.WrittenRegion("medlem/protokoll/2026-05-06-styrelse/", "styrelse", 1, f"<p>{secret}</p>"),
    ]
    problems = crossings.level_crossings(texts, regions)
    assert [p.path for p in problems] == ["content/members/minutes/s.md"]
    text = one_line(problems[0])
    assert "/medlem/medlemsbrev/2026-05/" in text and "access: styrelse" in text


def test_members_text_in_a_board_page_is_no_crossing() -> None:
    texts = crossings.item_texts("m.md", "medlem", 0, "Medlemsbrev maj", "", "<p>Vi plockar skräp längs ån i maj.</p>")
    region = crossings.WrittenRegion("medlem/x/", "styrelse", 1, "<p>Vi plockar skräp längs ån i maj.</p>")
    assert crossings.level_crossings(texts, [region]) == []


def test_levels_module_constants_match_the_inventory_default() -> None:
    from foreningssajt.members.inventory import DEFAULT_ACCESS

    assert levels.MEMBERS_LEVEL == DEFAULT_ACCESS


def test_access_on_a_public_event_is_a_mistake_not_a_silent_publication(tmp_path: Path) -> None:
    from foreningssajt.members.inventory import build_inventory

    events = tmp_path / "content" / "events"
    events.mkdir(parents=True)
    header = "---\ntitle: Styrelsens planeringsdag\nstart: 2026-10-03 10:00\naccess: styrelse\n{extra}---\nText.\n"
    (events / "public.md").write_text(header.format(extra=""), encoding="utf-8")
    (events / "board.md").write_text(header.format(extra="members_only: true\n"), encoding="utf-8")
    inventory = build_inventory(tmp_path / "content", tmp_path)
    assert [(item.source, item.access) for item in inventory] == [("content/events/board.md", "styrelse")]
    lines = [one_line(problem) for problem in inventory.problems]
    assert len(lines) == 1 and lines[0].startswith("content/events/public.md: access: "), lines
    assert "members_only: true" in lines[0]


def test_a_board_newsletter_is_never_mailed_to_every_member() -> None:
    import datetime as dt

    from foreningssajt.newsletter_mail.source import Newsletter, for_all_members

    shown = "content/members/newsletters/2026-05-styrelsen.md"
    letter = Newsletter("Till styrelsen", dt.datetime(2026, 5, 1), None, "<p>x</p>", "x", shown, False)
    assert for_all_members(letter) is letter  # no access: for every member
    letter.access = "styrelse"
    with pytest.raises(SiteError) as caught:
        for_all_members(letter)
    text = one_line(caught.value)
    assert text.startswith(f"{shown}: access: är styrelse") and "skickas inte" in text
