"""One validation vocabulary for site.yml, Markdown headers and data from other systems.

Each check is a small class that knows one kind of value (text, a date, a time, an id
from a site.yml list, a colour, an image file, ...). ``check.clean(value)`` returns the
value cleaned or raises ``Invalid`` with a Swedish message that says what to write;
the caller adds the file and the key with ``Invalid.at(path, key)``.

A whole document is checked with ``check_fields(values, fields, where)``: it goes
through every key and collects every problem in ``where.found`` instead of stopping
at the first, so a volunteer fixes everything in one round. Nested keys are named in
words a volunteer can find in the file: ``venues: lokal 2 (Puben Ankaret): step_free``.

Typical use (the Zetkin loader, a single value)::

    from foreningssajt.siteconfig.vocabulary import Time, Invalid
    try:
        start = Time().clean(raw["start"])
    except Invalid as problem:
        session.problems.add(problem.at("data/zetkin-events.json", "start"))

A new check subclasses Check and overrides clean(); its message is a Swedish msgid
with ``{placeholders}`` (not named path, key, message or line: those are SiteError's
own arguments) and gets an English entry in translations/en/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import N_, Invalid, SiteError, did_you_mean

__all__ = [
    "Check",
    "Choice",
    "Colour",
    "Date",
    "DateList",
    "DateOrDateTime",
    "Email",
    "File",
    "Flag",
    "Id",
    "Invalid",
    "ListOf",
    "Mapping",
    "Number",
    "Registry",
    "Text",
    "TextList",
    "Time",
    "TimeZone",
    "Url",
    "Where",
    "check_fields",
    "match_key",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# YAML knows true/false/yes/no; a Swedish volunteer writes ja and nej.
_WORDS_FOR_YES_NO = {"ja": True, "nej": False, "true": True, "false": False}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def match_key(text: str) -> str:
    """What two spellings of one id or name have in common: case, spaces, - and _ aside."""
    return re.sub(r"[\s_-]+", "-", str(text).strip().casefold())


@dataclass
class Where:
    """Where a value sits: the file, the key in words, and the collected problems.

    `lines` maps a key path (a tuple of keys and list positions) to its line in the
    file and `raw` holds the file's lines: together they name lines and catch what YAML
    swallowed (an unquoted ``#00aa00`` is a comment). `registries` holds site.yml's
    lists by key ({"people": {id: entry}}) for Registry checks; `root` is the site
    folder for File checks.
    """

    file: str
    key: str = ""
    path: tuple = ()
    found: list[SiteError] = field(default_factory=list)
    lines: dict[tuple, int] = field(default_factory=dict)
    raw: list[str] = field(default_factory=list)
    registries: MappingType[str, MappingType[str, Any]] = field(default_factory=dict)
    root: Path | None = None
    numbered: bool = True  # show the line in messages (a header's key says enough by itself)

    def child(self, name: Any, shown: str | None = None) -> Where:
        """The place of a key (or list entry, shown in words) below this one."""
        # A key is shown on one line however it was typed (YAML allows keys with line breaks).
        words = " ".join((str(name) if shown is None else shown).split()) or '""'
        key = f"{self.key}: {words}" if self.key else words
        return dataclasses.replace(self, key=key, path=(*self.path, name))

    @property
    def line(self) -> int | None:
        return self.lines.get(self.path)

    def add(self, problem: Invalid) -> None:
        self.found.append(problem.at(self.file, self.key, self.line if self.numbered else None))

    def swallowed_comment(self) -> str | None:
        """The text after ``key: #`` on this key's line, when YAML read it as a comment."""
        if not self.path:
            return None
        pattern = re.compile(rf"^\s*(?:-\s+)?{re.escape(str(self.path[-1]))}\s*:\s*(#\S*)")
        if self.line is not None:
            candidates = self.raw[self.line - 1 : self.line]
        else:  # no line index (a header is flat): any line that starts with the key
            candidates = self.raw if len(self.path) == 1 else []
        return next((found.group(1) for found in map(pattern.match, candidates) if found), None)


@dataclass(kw_only=True)
class Check:
    """One kind of value. Subclasses override clean(); `type` names it for the web editor."""

    type: ClassVar[str] = "text"
    widget: ClassVar[str] = "text"  # the web editor's name for the check (foreningssajt/editor/fields.py)
    required: bool = False
    example: str = ""
    help: str = ""  # one Swedish sentence for the web editor's form

    def clean(self, value: Any) -> Any:
        raise NotImplementedError

    def check(self, value: Any, where: Where) -> Any:
        """clean(), with a problem recorded at `where` instead of raised."""
        try:
            return self.clean(value)
        except Invalid as problem:
            where.add(problem)
            return None

    def describe(self) -> dict[str, Any]:
        """What the web editor needs to build a form field for this value."""
        return {"type": self.type, "required": self.required, "example": self.example, "help": self.help}


@dataclass(kw_only=True)
class Text(Check):
    """Text on one line; numbers are taken as the text they look like."""

    widget: ClassVar[str] = "text"
    example: str = "en text"

    def clean(self, value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, list | dict):
            raise Invalid("är en lista, men här ska det stå en text; skriv texten på samma rad efter kolonet")
        if not isinstance(value, str) or not value.strip():
            raise Invalid("är tomt; skriv en text efter kolonet, t.ex. {example}", example=self.example)
        return value.strip()


@dataclass(kw_only=True)
class TextList(Check):
    """Several texts: ``[a, b]``, one ``- a`` per line, or ``a, b`` (split at the commas)."""

    widget: ClassVar[str] = "text_list"
    type: ClassVar[str] = "list"
    example: str = "[skola, budget]"

    def clean(self, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()] or [value]
        values = value if isinstance(value, list) else [value]
        return [_list_item(v, self.example) for v in values]


def _list_item(value: Any, example: str) -> str:
    if isinstance(value, list | dict) or value is None or not str(value).strip():
        raise Invalid(
            "har en tom eller kapslad post; skriv texterna inom hakparentes, t.ex. {example}", example=example
        )
    return str(value).strip()


@dataclass(kw_only=True)
class DateOrDateTime(Check):
    """A date, or a date with a time (``18:30`` or ``18.30``)."""

    widget: ClassVar[str] = "datetime_value"
    type: ClassVar[str] = "datetime"
    example: str = "2026-03-04 18:30"

    def clean(self, value: Any) -> dt.datetime | dt.date:
        if isinstance(value, dt.datetime | dt.date):
            return value
        text = value.strip() if isinstance(value, str) else ""
        if _DATE.match(text) or _DATETIME.match(text):
            try:
                return parse_local(text)
            except ValueError:
                raise Invalid(
                    "”{value}” är inget datum som finns; skriv datumet som 2026-03-04, eller med tid som "
                    "2026-03-04 18:30",
                    value=value,
                ) from None
        raise Invalid(
            "”{value}” är inget datum; skriv datumet som 2026-03-04, eller med tid som 2026-03-04 18:30", value=value
        )


def parse_local(text: str) -> dt.datetime | dt.date:
    """``2026-03-04``, or with a time as people type it: ``2026-03-04 9.00``, ``… 18:30``."""
    if _DATE.match(text):
        return dt.date.fromisoformat(text)
    day, hour, minute, second = _DATETIME.match(text).groups()
    return dt.datetime.fromisoformat(f"{day}T{int(hour):02d}:{minute}:{second or '00'}")


@dataclass(kw_only=True)
class Date(DateOrDateTime):
    """A date without a time."""

    widget: ClassVar[str] = "date_only"
    type: ClassVar[str] = "date"
    example: str = "2026-03-04"

    def clean(self, value: Any) -> dt.date:
        parsed = super().clean(value)
        if isinstance(parsed, dt.datetime):
            raise Invalid("”{value}” har en tid; skriv bara datumet, t.ex. 2026-03-04", value=value)
        return parsed


@dataclass(kw_only=True)
class DateList(Check):
    """One date or a list of dates (for exceptions to a recurring event)."""

    widget: ClassVar[str] = "date_list"
    type: ClassVar[str] = "dates"
    example: str = "[2026-07-01, 2026-07-08]"

    def clean(self, value: Any) -> list:
        values = value if isinstance(value, list) else [value]
        return [DateOrDateTime().clean(v) for v in values]


@dataclass(kw_only=True)
class Time(Check):
    """A time of day: ``18.00`` (the Swedish way), ``18:00``, or just ``18``."""

    type: ClassVar[str] = "time"
    example: str = "18.00"

    def clean(self, value: Any) -> dt.time:
        if isinstance(value, dt.time):
            return value
        hour, minute = _hour_minute(value)
        if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise Invalid("”{value}” är ingen tid; skriv t.ex. 18.00 eller 18:00", value=value)
        return dt.time(hour, minute)


def _hour_minute(value: Any) -> tuple[int | None, int]:
    # YAML reads an unquoted 18.30 as the number 18.3 and 18:30 as 1110 (minutes, base 60).
    if isinstance(value, bool):
        return None, 0
    if isinstance(value, float):
        hour, _, minute = f"{value:.2f}".partition(".")
        return int(hour), int(minute)
    if isinstance(value, int):
        return (value, 0) if value < 24 else divmod(value, 60)
    found = _TIME.match(value.strip()) if isinstance(value, str) else None
    return (int(found.group(1)), int(found.group(2) or 0)) if found else (None, 0)


@dataclass(kw_only=True)
class Flag(Check):
    """Yes or no."""

    widget: ClassVar[str] = "flag"
    type: ClassVar[str] = "boolean"
    example: str = "true"

    def clean(self, value: Any) -> bool:
        if isinstance(value, str) and value.strip().casefold() in _WORDS_FOR_YES_NO:
            return _WORDS_FOR_YES_NO[value.strip().casefold()]
        if not isinstance(value, bool):
            raise Invalid("”{value}” är varken ja eller nej; skriv true eller false", value=value)
        return value


@dataclass(kw_only=True)
class Number(Check):
    """A whole number between low and high."""

    widget: ClassVar[str] = "number"
    type: ClassVar[str] = "number"
    low: int = 0
    high: int = 10**9
    example: str = "1"

    def clean(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            raise Invalid(
                "”{value}” är inget heltal från {low} till {high}; skriv t.ex. {example}",
                value=value,
                low=self.low,
                high=self.high,
                example=self.example,
            )
        return value


@dataclass(kw_only=True)
class Choice(Check):
    """One of a few fixed words, in any case."""

    widget: ClassVar[str] = "select"
    type: ClassVar[str] = "choice"
    choices: tuple[str, ...] = ()

    def clean(self, value: Any) -> str:
        by_key = {match_key(c): c for c in self.choices}
        if isinstance(value, str | int) and match_key(value) in by_key:
            return by_key[match_key(value)]
        raise Invalid(
            "”{value}” går inte att välja{hint}; skriv något av: {choices}",
            value=value,
            hint=did_you_mean(value, self.choices),
            choices=self.choices,
        )

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "choices": list(self.choices)}


@dataclass(kw_only=True)
class Id(Check):
    """An id of one's own making: lowercase letters, digits and hyphens."""

    type: ClassVar[str] = "id"
    example: str = "folkets-hus"

    def clean(self, value: Any) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise Invalid(
                "”{value}” duger inte som id; använd små bokstäver, siffror och bindestreck, t.ex. {example}",
                value=value,
                example=self.example,
            )
        return value


@dataclass(kw_only=True)
class Registry(Check):
    """An entry of a site.yml list (people, venues, ...), given by its id or its name.

    Case, spaces and hyphens do not matter (``folkets hus`` is ``folkets-hus``); a
    near miss gets "menade du …?". `give` says what the value becomes: the entry's
    "id" or its "name". With `free_text`, anything that matches no entry is kept as
    plain text (an event's location may be an address that is no venue).
    """

    widget: ClassVar[str] = "registry"
    type: ClassVar[str] = "registry"
    registry: str = ""  # the site.yml key: "people", "venues", ...
    give: str = "id"
    free_text: bool = False
    entries: MappingType[str, MappingType[str, Any]] | None = None  # set by bind()

    def bind(self, registries: MappingType[str, MappingType[str, Any]]) -> Registry:
        """This check with the site's entries, from a Where's registries."""
        return Registry(
            required=self.required,
            example=self.example,
            help=self.help,
            registry=self.registry,
            give=self.give,
            free_text=self.free_text,
            entries=registries.get(self.registry, {}),
        )

    def check(self, value: Any, where: Where) -> Any:
        return Check.check(self.bind(where.registries) if self.entries is None else self, value, where)

    def clean(self, value: Any) -> Any:
        entries = self.entries or {}
        text = Text().clean(value)
        found = _find_entry(text, entries)
        if found is not None:
            return found if self.give == "id" else entries[found].get("name", found)
        if self.free_text:
            return text
        shown = [entry.get("name", key) for key, entry in entries.items()] if self.give == "name" else list(entries)
        raise Invalid(
            "”{value}” finns inte bland {registry} i site.yml{hint}; skriv något av: {choices}",
            value=text,
            registry=self.registry,
            hint=did_you_mean(text, shown),
            choices=shown or "(inga ännu: lägg till dem i site.yml)",
        )

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "registry": self.registry, "gives": self.give, "free_text": self.free_text}


def _find_entry(text: str, entries: MappingType[str, MappingType[str, Any]]) -> str | None:
    wanted = match_key(text)
    ids = [key for key in entries if match_key(key) == wanted]
    names = [key for key, entry in entries.items() if match_key(entry.get("name", "")) == wanted]
    matches = ids or names
    return matches[0] if len(set(matches)) == 1 else None  # two entries of one name: ambiguous


@dataclass(kw_only=True)
class Colour(Check):
    """A colour as six hex digits, ``"#a3001b"`` (in quotes: YAML reads # as a comment)."""

    type: ClassVar[str] = "colour"
    example: str = '"#a3001b"'

    def clean(self, value: Any) -> str:
        if not isinstance(value, str) or not _COLOUR.match(value.strip()):
            raise Invalid(
                "”{value}” är ingen färg; skriv en hexfärg inom citattecken, t.ex. {example}",
                value=value,
                example=self.example,
            )
        return value.strip().lower()


@dataclass(kw_only=True)
class Url(Check):
    """A web address in full, or a path on the site starting with /."""

    type: ClassVar[str] = "url"
    example: str = "https://example.org"

    def clean(self, value: Any) -> str:
        value = Text().clean(value)
        if not value.startswith(("https://", "http://", "/")):
            raise Invalid(
                "”{value}” är ingen webbadress; skriv den hela, t.ex. {example}", value=value, example=self.example
            )
        return value.rstrip("/") if value.count("/") > 2 or not value.startswith("/") else value


@dataclass(kw_only=True)
class Email(Check):
    type: ClassVar[str] = "email"
    example: str = "kontakt@example.org"

    def clean(self, value: Any) -> str:
        value = Text().clean(value)
        if not _EMAIL.match(value):
            raise Invalid("”{value}” är ingen e-postadress; skriv t.ex. {example}", value=value, example=self.example)
        return value


@dataclass(kw_only=True)
class TimeZone(Check):
    type: ClassVar[str] = "timezone"
    example: str = "Europe/Stockholm"

    def clean(self, value: Any) -> str:
        value = Text().clean(value)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(
                "”{value}” är ingen tidszon; skriv t.ex. {example}", value=value, example=self.example
            ) from None
        return value


@dataclass(kw_only=True)
class File(Check):
    """A file under content/ that must exist, e.g. an image: ``images/torgmote.jpg``."""

    type: ClassVar[str] = "file"
    example: str = "images/bild.jpg"
    root: Path | None = None  # the content folder; set by check() from the Where

    def check(self, value: Any, where: Where) -> Any:
        bound = File(required=self.required, example=self.example, root=where.root and where.root / "content")
        return Check.check(bound, value, where)

    def clean(self, value: Any) -> str:
        value = Text().clean(value).lstrip("/").removeprefix("{static}/")
        if self.root is not None and not (self.root / value).is_file():
            raise Invalid(
                "content/{value} finns inte; lägg filen där eller rätta sökvägen, t.ex. {example}",
                value=value,
                example=self.example,
            )
        return value


@dataclass(kw_only=True)
class Mapping(Check):
    """Keys below a key, each on its own indented line."""

    type: ClassVar[str] = "mapping"
    fields: dict[str, Check] = field(default_factory=dict)

    def check(self, value: Any, where: Where) -> Any:
        if value is None and not self.required:
            value = {}
        if not isinstance(value, dict):
            where.add(
                Invalid(
                    "ska ha nycklar under sig ({keys}), var och en indragen på en egen rad", keys=", ".join(self.fields)
                )
            )
            return None
        return check_fields(value, self.fields, where)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "fields": {name: check.describe() for name, check in self.fields.items()}}


@dataclass(kw_only=True)
class ListOf(Check):
    """A list, one ``- `` line per entry; entries are named by `label` and position."""

    type: ClassVar[str] = "list"
    item: Check = field(default_factory=Text)
    label: str = "rad"  # one entry in words: "lokal", "person"
    unique_ids: bool = False

    def check(self, value: Any, where: Where) -> Any:
        if value is None and not self.required:
            return []
        if not isinstance(value, list):
            where.add(Invalid("ska vara en lista: en rad per post, som börjar med '- '"))
            return None
        cleaned = [self.item.check(entry, where.child(i, self._shown(i, entry))) for i, entry in enumerate(value)]
        if self.unique_ids:
            _check_unique(cleaned, value, where, self._shown)
        return [entry for entry in cleaned if entry is not None]

    def _shown(self, index: int, entry: Any) -> str:
        name = entry.get("name") or entry.get("title") or entry.get("id") if isinstance(entry, dict) else None
        return f"{self.label} {index + 1}" + (f" ({name})" if isinstance(name, str) and name.strip() else "")

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "item": self.item.describe(), "label": self.label}


def _check_unique(cleaned: list, raw: list, where: Where, shown: Callable[[int, Any], str]) -> None:
    seen: set[str] = set()
    for index, entry in enumerate(cleaned):
        if not isinstance(entry, dict) or "id" not in entry:
            continue
        if entry["id"] in seen:
            place = where.child(index, shown(index, raw[index])).child("id")
            place.add(Invalid("”{value}” används två gånger; ge varje post ett eget id", value=entry["id"]))
        seen.add(entry["id"])


def check_fields(values: MappingType[str, Any], fields: MappingType[str, Check], where: Where) -> dict[str, Any]:
    """Every key checked, every problem collected in where.found; the cleaned values returned.

    An unknown key is a typo until proven otherwise; a missing required key says what to
    write; an empty value whose line shows ``#…`` was swallowed by YAML as a comment.
    """
    for name in values:
        if name not in fields:
            where.child(name).add(
                Invalid(
                    "okänd nyckel{hint}; kända nycklar här: {known}",
                    hint=did_you_mean(name, fields),
                    known=tuple(fields),
                )
            )
    cleaned: dict[str, Any] = {}
    for name, check in fields.items():
        place = where.child(name)
        if values.get(name) is None:
            _missing(name, check, place)
            continue
        value = check.check(values[name], place)
        if value is not None:
            cleaned[name] = value
    return cleaned


def _missing(name: str, check: Check, place: Where) -> None:
    comment = place.swallowed_comment()
    if comment:
        place.add(
            Invalid(
                "är tomt, för YAML läser allt efter # som en kommentar; "
                'sätt värdet inom citattecken: {name}: "{value}"',
                name=name,
                value=comment,
            )
        )
    elif check.required:
        if isinstance(check, Mapping | ListOf):
            place.add(Invalid("saknas; lägg till '{name}:' med sina rader (se docs/guide/site-yml.md)", name=name))
        else:
            place.add(Invalid("saknas; skriv t.ex. {name}: {example}", name=name, example=check.example))


# PyYAML's complaints, in words a volunteer can act on; anything else is "oläsbar".
_YAML_PROBLEMS = (
    ("mapping values are not allowed", N_("ett kolon för mycket eller fel indrag")),
    ("cannot start any token", N_("ett tecken som inte får inleda ett värde, t.ex. tabb, @ eller `")),
    ("end of stream", N_("ett citattecken eller en parentes som aldrig stängs")),
    ("expected ',' or ']'", N_("en hakparentes som aldrig stängs")),
    ("expected ',' or '}'", N_("en klammerparentes som aldrig stängs")),
    ("could not find expected ':'", N_("ett kolon saknas")),
    ("undefined alias", N_("ett värde som börjar med *")),
    ("expected <block end>", N_("fel indrag")),
)


def yaml_problem(exc: Exception) -> str:
    """What PyYAML found wrong, in Swedish words (its own English is for programmers)."""
    problem = str(getattr(exc, "problem", "") or "")
    return next((words for english, words in _YAML_PROBLEMS if english in problem), N_("oläsbar"))


def key_lines(text: str) -> dict[tuple, int]:
    """The line of every key and list entry in a YAML text, by key path (1-based)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    found: dict[tuple, int] = {}
    _walk(root, (), found)
    return found


def _walk(node: Any, path: tuple, found: dict[tuple, int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            here = (*path, key.value)
            found[here] = key.start_mark.line + 1
            _walk(value, here, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            found[(*path, index)] = value.start_mark.line + 1
            _walk(value, (*path, index), found)
