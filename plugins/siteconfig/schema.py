"""The expected shape of site.yml, as small checkers that explain themselves.

Each checker takes a value and its dotted key and returns the cleaned value, or
raises SiteError saying what to write instead. The messages are for volunteers, so
they show an example rather than a type name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import SiteError

SOURCE = "site.yml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fail(key: str, message: str) -> SiteError:
    return SiteError(SOURCE, key, message)


@dataclass
class Text:
    example: str = "some text"
    required: bool = True

    def check(self, value: Any, key: str) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"expected text, write for example: {key.split('.')[-1]}: {self.example}")
        return value.strip()


@dataclass
class Id(Text):
    example: str = "folkets-hus"

    def check(self, value: Any, key: str) -> Any:
        if not isinstance(value, str) or not _ID.match(value):
            raise fail(key, f"{value!r} is not an id; use lowercase letters, digits and hyphens, e.g. {self.example}")
        return value


@dataclass
class Url(Text):
    example: str = "https://example.org"

    def check(self, value: Any, key: str) -> Any:
        value = super().check(value, key)
        if not value.startswith(("https://", "http://", "/")):
            raise fail(key, f"{value!r} is not a web address; write it in full, e.g. {self.example}")
        return value.rstrip("/") if value.count("/") > 2 or not value.startswith("/") else value


@dataclass
class Email(Text):
    example: str = "kontakt@example.org"

    def check(self, value: Any, key: str) -> Any:
        value = super().check(value, key)
        if not _EMAIL.match(value):
            raise fail(key, f"{value!r} is not an email address; write e.g. {self.example}")
        return value


@dataclass
class Colour(Text):
    example: str = '"#a3001b"'

    def check(self, value: Any, key: str) -> Any:
        if not isinstance(value, str) or not _COLOUR.match(value):
            raise fail(key, f"{value!r} is not a colour; write a hex colour in quotes, e.g. {self.example}")
        return value.lower()


@dataclass
class Choice(Text):
    choices: tuple[str, ...] = ()

    def check(self, value: Any, key: str) -> Any:
        if value not in self.choices:
            raise fail(key, f"{value!r} is not allowed; write one of: {', '.join(self.choices)}")
        return value


@dataclass
class TimeZone(Text):
    example: str = "Europe/Stockholm"

    def check(self, value: Any, key: str) -> Any:
        value = super().check(value, key)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail(key, f"{value!r} is not a time zone; write e.g. {self.example}") from None
        return value


@dataclass
class Flag(Text):
    def check(self, value: Any, key: str) -> Any:
        if not isinstance(value, bool):
            raise fail(key, f"{value!r} is not yes or no; write true or false")
        return value


@dataclass
class Number(Text):
    low: int = 0
    high: int = 10**9

    def check(self, value: Any, key: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            raise fail(key, f"{value!r} is not a whole number from {self.low} to {self.high}")
        return value


@dataclass
class Mapping(Text):
    fields: dict[str, Text] = field(default_factory=dict)

    def check(self, value: Any, key: str) -> Any:
        if value is None and not self.required:
            value = {}
        if not isinstance(value, dict):
            raise fail(key, f"expected keys below it ({', '.join(self.fields)}), each on its own indented line")
        return check_fields(value, self.fields, key)


@dataclass
class ListOf(Text):
    item: Text = field(default_factory=Text)
    unique_ids: bool = False

    def check(self, value: Any, key: str) -> Any:
        if value is None and not self.required:
            return []
        if not isinstance(value, list):
            raise fail(key, "expected a list: one line per entry, each starting with '- '")
        items = [self.item.check(v, f"{key}[{i + 1}]") for i, v in enumerate(value)]
        if self.unique_ids:
            _check_unique(items, key)
        return items


def _check_unique(items: list[dict], key: str) -> None:
    seen: set[str] = set()
    for i, entry in enumerate(items):
        if entry["id"] in seen:
            raise fail(f"{key}[{i + 1}].id", f"{entry['id']!r} is used twice; give each entry its own id")
        seen.add(entry["id"])


def check_fields(value: dict, fields: dict[str, Text], prefix: str = "") -> dict:
    """Check a mapping against its fields; unknown keys are typos until proven otherwise."""
    dotted = (prefix + ".") if prefix else ""
    for name in value:
        if name not in fields:
            raise fail(f"{dotted}{name}", f"unknown key; known keys here are: {', '.join(fields)}")
    cleaned: dict[str, Any] = {}
    for name, checker in fields.items():
        if value.get(name) is None:
            if checker.required:
                raise fail(f"{dotted}{name}", f"missing; {_hint(name, checker)}")
            continue
        cleaned[name] = checker.check(value[name], f"{dotted}{name}")
    return cleaned


def _hint(name: str, checker: Text) -> str:
    if isinstance(checker, (Mapping, ListOf)):
        return f"add '{name}:' with its entries (see docs/guide/site-yml.md)"
    return f"write for example: {name}: {checker.example}"


def _registry(example: str, **extra: Text) -> ListOf:
    return ListOf(
        item=Mapping(fields={"id": Id(example=example), "name": Text(), **extra}),
        unique_ids=True,
        required=False,
    )


SITE_FIELDS: dict[str, Text] = {
    "name": Text(example="Socialdemokraterna i Björkvik"),
    "tagline": Text(required=False),
    "url": Url(example="https://bjorkvik.example.org"),
    "language": Choice(choices=("sv", "en"), example="sv"),
    "timezone": TimeZone(),
    "contact": Mapping(
        fields={
            "email": Email(),
            "phone": Text(required=False),
            "address": Text(required=False),
        }
    ),
    "colours": Mapping(
        required=False,
        fields={k: Colour(required=False) for k in ("primary", "accent", "background", "text")},
    ),
    "logo": Text(required=False, example="images/logo.svg"),
    "logo_alt": Text(required=False),
    "menu": ListOf(item=Mapping(fields={"title": Text(example="Kalender"), "url": Url(example="/kalender/")})),
    "social": ListOf(
        required=False,
        item=Mapping(fields={"title": Text(example="Facebook"), "url": Url()}),
    ),
    "venues": _registry(
        "folkets-hus",
        address=Text(required=False),
        step_free=Flag(required=False),
        hearing_loop=Flag(required=False),
        notes=Text(required=False),
    ),
    "committees": _registry("ks"),
    "people": _registry("anna-lindqvist", roles=ListOf(required=False)),
    "event_categories": _registry("pub"),
    "meeting_kinds": _registry("styrelse"),
    "zetkin": Mapping(required=False, fields={"organisation": Number(required=False, low=1)}),
    "members": Mapping(required=False, fields={"remember_days": Number(required=False, low=0, high=365)}),
}
