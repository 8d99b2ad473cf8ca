"""The validation vocabulary (siteconfig/vocabulary.py): each check alone, and a document checked whole."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from foreningssajt.content_rules.rules import TYPES
from foreningssajt.siteconfig.vocabulary import (
    Choice,
    Colour,
    DateOrDateTime,
    Flag,
    Id,
    Invalid,
    ListOf,
    Mapping,
    Registry,
    Text,
    TextList,
    Time,
    Where,
    check_fields,
    key_lines,
)

PEOPLE = {
    "anna-lindqvist": {"id": "anna-lindqvist", "name": "Anna Lindqvist"},
    "karin-oberg": {"id": "karin-oberg", "name": "Karin Öberg"},
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("18.00", dt.time(18, 0)), ("18:30", dt.time(18, 30)), ("9.05", dt.time(9, 5)), ("7", dt.time(7, 0)),
     (18.3, dt.time(18, 30)), (1110, dt.time(18, 30)), (9, dt.time(9, 0))],
)  # fmt: skip
def test_times_as_swedes_write_them_and_as_yaml_reads_them(value: object, expected: dt.time) -> None:
    # YAML reads an unquoted 18.30 as 18.3 and 18:30 as 1110 (base 60): both mean half past six.
    assert Time().clean(value) == expected


@pytest.mark.parametrize("value", ["24.00", "18.60", "kväll", True, None, "18.0.0"])
def test_what_is_not_a_time_says_how_to_write_one(value: object) -> None:
    with pytest.raises(Invalid, match=r"är ingen tid; skriv t.ex. 18.00 eller 18:00"):
        Time().clean(value)


def test_dates_with_either_kind_of_time() -> None:
    assert DateOrDateTime().clean("2026-05-01 18.00") == dt.datetime(2026, 5, 1, 18, 0)
    assert DateOrDateTime().clean("2026-05-01 9:30") == dt.datetime(2026, 5, 1, 9, 30)
    assert DateOrDateTime().clean("2026-05-01") == dt.date(2026, 5, 1)
    with pytest.raises(Invalid, match="inget datum som finns"):
        DateOrDateTime().clean("2026-02-30")


def test_a_list_may_be_written_without_brackets() -> None:
    assert TextList().clean("skola, budget") == ["skola", "budget"]
    assert TextList().clean(["skola", 2026]) == ["skola", "2026"]
    assert TextList().clean("skola") == ["skola"]
    with pytest.raises(Invalid, match="tom eller kapslad"):
        TextList().clean(["a", ["b"]])


def test_choices_ignore_case_and_suggest_near_misses() -> None:
    phase = Choice(choices=("before", "after"))
    assert phase.clean("After") == "after"
    with pytest.raises(Invalid) as caught:
        phase.clean("afte")
    assert str(caught.value) == "”afte” går inte att välja (menade du after?); skriv något av: before, after"


def test_registry_takes_an_id_or_a_name_in_any_case() -> None:
    by_id = Registry(registry="people").bind({"people": PEOPLE})
    by_name = Registry(registry="people", give="name").bind({"people": PEOPLE})
    assert by_id.clean("Karin Öberg") == "karin-oberg"
    assert by_id.clean("ANNA LINDQVIST") == "anna-lindqvist"
    assert by_name.clean("karin oberg") == "Karin Öberg"
    with pytest.raises(Invalid) as caught:
        by_name.clean("Karin Öbeg")
    assert "(menade du Karin Öberg?); skriv något av: Anna Lindqvist, Karin Öberg" in str(caught.value)


def test_a_name_two_entries_share_is_ambiguous_and_free_text_stays_text() -> None:
    twins = {"a": {"name": "Folkets hus"}, "b": {"name": "Folkets hus"}}
    with pytest.raises(Invalid):
        Registry(registry="venues").bind({"venues": twins}).clean("folkets hus")
    place = Registry(registry="venues", free_text=True).bind({"venues": twins})
    assert place.clean("a") == "a"
    assert place.clean("Biblioteket, Storgatan 5") == "Biblioteket, Storgatan 5"


def test_yes_and_no_in_swedish_and_colours_in_hex() -> None:
    assert (Flag().clean("ja"), Flag().clean("Nej"), Flag().clean(True)) == (True, False, True)
    with pytest.raises(Invalid, match="varken ja eller nej; skriv true eller false"):
        Flag().clean("kanske")
    assert Colour().clean("#A3001B") == "#a3001b"
    with pytest.raises(Invalid, match=r'skriv en hexfärg inom citattecken, t\.ex\. "#a3001b"'):
        Colour().clean("red")


FIELDS = {
    "name": Text(required=True, example="Föreningen"),
    "colours": Mapping(fields={"primary": Colour()}),
    "venues": ListOf(
        label="lokal",
        unique_ids=True,
        item=Mapping(fields={"id": Id(required=True), "name": Text(required=True), "step_free": Flag()}),
    ),
}
DOCUMENT = """\
colours:
  primary: #00aa00
venues:
  - id: hus
    name: Folkets hus
    step_free: kanske
  - id: hus
    name: Puben
fel: 1
"""


def test_a_document_is_checked_whole_with_keys_in_words_and_lines() -> None:
    where = Where("site.yml", lines=key_lines(DOCUMENT), raw=DOCUMENT.splitlines())
    cleaned = check_fields(yaml.safe_load(DOCUMENT), FIELDS, where)
    assert [str(problem) for problem in where.found] == [
        "site.yml:9: fel: okänd nyckel; kända nycklar här: name, colours, venues",
        "site.yml: name: saknas; skriv t.ex. name: Föreningen",
        "site.yml:2: colours: primary: är tomt, för YAML läser allt efter # som en kommentar; sätt värdet inom "
        'citattecken: primary: "#00aa00"',
        "site.yml:6: venues: lokal 1 (Folkets hus): step_free: ”kanske” är varken ja eller nej; skriv true eller false",
        "site.yml:7: venues: lokal 2 (Puben): id: ”hus” används två gånger; ge varje post ett eget id",
    ]
    assert cleaned["venues"][1] == {"id": "hus", "name": "Puben"}


def test_each_kind_describes_its_keys_for_the_web_editor() -> None:
    report = {field["name"]: field for field in TYPES["reports"].describe()}
    assert report["author"] == {
        "name": "author", "type": "registry", "required": True, "example": "anna-lindqvist", "help": "",
        "registry": "people", "gives": "id", "free_text": False,
    }  # fmt: skip
    assert report["phase"]["choices"] == ["before", "after"] and report["phase"]["required"]
    assert report["summary"]["required"] is False
    event = {field["name"]: field for field in TYPES["events"].describe()}
    assert event["start"]["type"] == "datetime" and "cancelled" in event["status"]["choices"]
    assert event["location"]["free_text"] is True
