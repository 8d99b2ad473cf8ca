"""What each kind of content's YAML header must hold: the content contract.

One ContentType per folder under content/ (the folders are the publication map's,
siteconfig/publication.py). Each key is a check from the validation vocabulary
(siteconfig/vocabulary.py), which knows its type, an example and, for ids, which
site.yml list the value must come from. The reader checks headers with it; the web
editor builds its forms from it (ContentType.describe()), so the two cannot drift.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from foreningssajt.siteconfig.publication import kind_of
from foreningssajt.siteconfig.vocabulary import (
    Check,
    Choice,
    Date,
    DateList,
    DateOrDateTime,
    File,
    Flag,
    Number,
    Registry,
    Text,
    TextList,
)


def datetime_value(value: Any) -> dt.datetime | dt.date:
    """A date, or a date with a time, as YAML gives it or as people type it (Invalid if not)."""
    return DateOrDateTime().clean(value)


@dataclass
class ContentType:
    """The header of one kind of content: its keys, which are required, and key pairs."""

    name: str  # the publication map's kind: "post", "report", ...
    label: str  # what a volunteer calls it, in Swedish: "nyhet"
    required: dict[str, Check]
    optional: dict[str, Check] = field(default_factory=dict)
    public: bool = True
    # (key, key it needs): an image needs its description
    needs: tuple[tuple[str, str], ...] = ()

    def known(self) -> dict[str, Check]:
        fields = {**self.required, **self.optional, **PELICAN_KEYS}
        if self.name == "event":
            fields["status"] = EVENT_STATUS
        return fields

    def fields(self) -> dict[str, Check]:
        """Every key with its check; required ones say so (check.required)."""
        return {name: _as_required(check) if name in self.required else check for name, check in self.known().items()}

    def describe(self) -> list[dict[str, Any]]:
        """The keys for the web editor: name, required, type, example, allowed values' source."""
        return [{"name": name, **check.describe()} for name, check in self.fields().items()]


def _as_required(check: Check) -> Check:
    return check if check.required else dataclasses.replace(check, required=True)


# Pelican's own keys that any file may use.
PELICAN_KEYS: dict[str, Check] = {
    "slug": Text(example="mitt-inlagg"),
    "status": Choice(choices=("published", "draft", "hidden"), example="draft"),
    "modified": DateOrDateTime(),
}
EVENT_STATUS = Choice(choices=("published", "draft", "hidden", "cancelled", "confirmed", "tentative"))

_TITLE = Text(required=True, example="Torgmöte om välfärden")
_SUMMARY = Text(example="En mening om vad texten handlar om.")
# Who may read a protected item: an access level from site.yml (foreningssajt/members/levels.py checks the id).
_ACCESS = Text(example="styrelse")
# Passages of a protected file that may stand on public pages too (members/inventory.py;
# the leak audit lets exactly these through).
_PUBLIC_PASSAGES = TextList(
    example='["Anmäl dig senast den 5 december."]',
    help="Meningar ur texten som får stå på de öppna sidorna också; läckkontrollen släpper igenom just dem",
)

TYPES: dict[str, ContentType] = {
    "posts": ContentType(
        "post",
        "nyhet",
        {"title": _TITLE, "date": DateOrDateTime(required=True)},
        {
            "summary": _SUMMARY,
            "author": Registry(registry="people", give="name", example="Anna Lindqvist"),
            "tags": TextList(example="[skola, budget]"),
            "image": File(example="images/torgmote.jpg"),
            "image_alt": Text(example="Tre personer samtalar vid ett tält på torget."),
        },
        needs=(("image", "image_alt"),),
    ),
    "pages": ContentType(
        "page", "sida", {"title": _TITLE}, {"menu": Number(low=0, high=999, example="5"), "summary": _SUMMARY}
    ),
    "plans": ContentType(
        "plan",
        "verksamhetsplan",
        {"title": _TITLE, "year": Number(low=1900, high=2200, example="2026")},
        {"summary": _SUMMARY},
    ),
    "reports": ContentType(
        "report",
        "politisk rapport",
        {
            "title": _TITLE,
            "date": DateOrDateTime(required=True),
            "author": Registry(registry="people", give="id", example="anna-lindqvist"),
            "committee": Registry(registry="committees", give="id", example="ks"),
            "meeting": Date(),
            "phase": Choice(choices=("before", "after"), example="before"),
        },
        {"summary": _SUMMARY},
    ),
    "events": ContentType(
        "event",
        "evenemang",
        {"title": _TITLE, "start": DateOrDateTime(required=True, example="2026-05-01 18.00")},
        {
            "end": DateOrDateTime(example="2026-05-01 20.00"),
            "duration": Text(example="2 timmar"),
            "all_day": Flag(),
            "location": Registry(registry="venues", give="id", free_text=True, example="folkets-hus"),
            "category": Registry(registry="event_categories", give="id", example="pub"),
            "signup": Text(example="https://example.org/anmalan"),
            "recurrence": Text(example="varje månad"),
            "except": DateList(),
            "cancelled": DateList(help="Datum i serien som är inställda; de visas som inställda"),
            "members_only": Flag(),
            "access": _ACCESS,
            "summary": _SUMMARY,
            "public_passages": _PUBLIC_PASSAGES,
        },
    ),
    "members/newsletters": ContentType(
        "newsletter",
        "medlemsbrev",
        {"title": _TITLE, "date": DateOrDateTime(required=True)},
        {"summary": _SUMMARY, "access": _ACCESS, "public_passages": _PUBLIC_PASSAGES},
        public=False,
    ),
    "members/minutes": ContentType(
        "minutes",
        "protokoll",
        {
            "title": _TITLE,
            "date": DateOrDateTime(required=True),
            "meeting": Registry(registry="meeting_kinds", give="id", example="styrelse"),
        },
        {
            "attachments": TextList(example="[protokoll-2026-03-04-signerat.pdf]"),
            "summary": _SUMMARY,
            "access": _ACCESS,
            "public_passages": _PUBLIC_PASSAGES,
        },
        public=False,
    ),
}


_BY_KIND = {content_type.name: content_type for content_type in TYPES.values()}


def type_for(relative_path: str) -> ContentType | None:
    """The content type of a file, from the kind the publication map gives its folder."""
    kind = kind_of(relative_path)
    return _BY_KIND.get(kind.name) if kind else None
