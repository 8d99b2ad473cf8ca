"""The expected shape of site.yml, in the validation vocabulary (vocabulary.py).

Each key is a check that explains itself with an example; lists of things (venues,
people, ...) name their entries in words ("lokal 2 (Folkets hus)") so that a
volunteer finds the line. Every problem is collected, not only the first.
"""

from __future__ import annotations

from .vocabulary import (
    Check,
    Choice,
    Colour,
    Email,
    File,
    Flag,
    Id,
    ListOf,
    Mapping,
    Number,
    Text,
    TextList,
    TimeZone,
    Url,
)

SOURCE = "site.yml"


def _registry(label: str, example: str, **extra: Check) -> ListOf:
    """A list of things with an id and a name, which content files refer to."""
    return ListOf(
        label=label,
        item=Mapping(fields={"id": Id(required=True, example=example), "name": Text(required=True), **extra}),
        unique_ids=True,
    )


SITE_FIELDS: dict[str, Check] = {
    "name": Text(required=True, example="Socialdemokraterna i Björkvik"),
    "tagline": Text(),
    "url": Url(required=True, example="https://bjorkvik.example.org"),
    "language": Choice(required=True, choices=("sv", "en"), example="sv"),
    "timezone": TimeZone(required=True),
    "contact": Mapping(
        required=True,
        fields={"email": Email(required=True), "phone": Text(), "address": Text()},
    ),
    "colours": Mapping(fields={k: Colour() for k in ("primary", "accent", "background", "text")}),
    "logo": File(example="images/logo.svg"),
    "logo_alt": Text(),
    # The home page's photo (foreningssajt/theme/templates/home.html); without it the hero is the brand colour.
    "hero": File(example="images/hero.jpg"),
    "hero_alt": Text(example="Medlemmar delar ut rosor på torget"),
    "menu": ListOf(
        required=True,
        label="menyrad",
        item=Mapping(
            fields={"title": Text(required=True, example="Kalender"), "url": Url(required=True, example="/kalender/")}
        ),
    ),
    "social": ListOf(
        label="länk",
        item=Mapping(fields={"title": Text(required=True, example="Facebook"), "url": Url(required=True)}),
    ),
    "venues": _registry(
        "lokal",
        "folkets-hus",
        address=Text(),
        step_free=Flag(),
        hearing_loop=Flag(),
        notes=Text(),
    ),
    "committees": _registry("nämnd", "ks"),
    "people": _registry("person", "anna-lindqvist", roles=TextList()),
    "event_categories": _registry("kategori", "pub"),
    "meeting_kinds": _registry("mötestyp", "styrelse"),
    "zetkin": Mapping(fields={"organisation": Number(low=1)}),
    "members": Mapping(
        fields={
            "remember_days": Number(low=0, high=365, example="30"),
            # Access levels above all members (foreningssajt/members/levels.py), lowest first.
            "levels": ListOf(
                label="nivå",
                item=Mapping(
                    fields={
                        "id": Id(required=True, example="styrelse"),
                        "name": Text(required=True, example="Styrelsen"),
                        "password_env": Text(required=True, example="BOARD_PASSWORD"),
                    }
                ),
                unique_ids=True,
            ),
        }
    ),
}
