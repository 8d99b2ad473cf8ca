"""What each content type's YAML header must hold (DESIGN.md, "The content contract").

A rule checks one value and returns it cleaned, or raises ValueError whose text says
what is wrong and what to write. The reader adds the file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Check = Callable[[Any], Any]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?$")
DATE_HINT = "write the date as 2026-03-04 or with a time as 2026-03-04 18:30"


def text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, dict)):
        raise ValueError("is a list, but plain text belongs here; write it on one line after the colon")
    if not isinstance(value, str) or not value.strip():
        raise ValueError("is empty; write some text after the colon")
    return value.strip()


def text_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [text(v) for v in values]


def datetime_value(value: Any) -> dt.datetime | dt.date:
    """A date, or a date with a time: what YAML gives, or the two text forms."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if isinstance(value, str) and (_DATE.match(value.strip()) or _DATETIME.match(value.strip())):
        try:
            return parse_local(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a real date; {DATE_HINT}") from None
    raise ValueError(f"{value!r} is not a date; {DATE_HINT}")


def parse_local(value: str) -> dt.datetime | dt.date:
    if _DATE.match(value):
        return dt.date.fromisoformat(value)
    # "2026-05-01 9:00" is what people type; fromisoformat wants 09:00.
    value = re.sub(r"[ T](\d):", r"T0\1:", value)
    return dt.datetime.fromisoformat(value.replace(" ", "T") if len(value) > 10 else value)


def date_only(value: Any) -> dt.date:
    parsed = datetime_value(value)
    if isinstance(parsed, dt.datetime):
        raise ValueError(f"{value!r} has a time; write only the date, e.g. 2026-03-04")
    return parsed


def whole_number(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{value!r} is not a whole number from {low} to {high}")
        return value

    return check


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not yes or no; write true or false")
    return value


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"{value!r} is not allowed; write one of: {', '.join(choices)}")
        return value

    return check


def date_list(value: Any) -> list:
    values = value if isinstance(value, list) else [value]
    return [datetime_value(v) for v in values]


@dataclass
class ContentType:
    name: str  # shown to writers, in English like the keys
    required: dict[str, Check]
    optional: dict[str, Check] = field(default_factory=dict)
    public: bool = True

    def known(self) -> dict[str, Check]:
        return {**self.required, **self.optional, **PELICAN_KEYS}


# Pelican's own keys that any file may use.
PELICAN_KEYS: dict[str, Check] = {
    "slug": text,
    "status": one_of("published", "draft", "hidden", "cancelled", "confirmed", "tentative"),
    "modified": datetime_value,
}

TYPES: dict[str, ContentType] = {
    "posts": ContentType(
        "news post",
        {"title": text, "date": datetime_value},
        {"summary": text, "author": text, "tags": text_list, "image": text, "image_alt": text},
    ),
    "pages": ContentType("page", {"title": text}, {"menu": whole_number(0, 999), "summary": text}),
    "plans": ContentType("activity plan", {"title": text, "year": whole_number(1900, 2200)}, {"summary": text}),
    "reports": ContentType(
        "political report",
        {
            "title": text,
            "date": datetime_value,
            "author": text,
            "committee": text,
            "meeting": date_only,
            "phase": one_of("before", "after"),
        },
        {"summary": text},
    ),
    "events": ContentType(
        "event",
        {"title": text, "start": datetime_value},
        {
            "end": datetime_value,
            "duration": text,
            "all_day": flag,
            "location": text,
            "category": text,
            "signup": text,
            "recurrence": text,
            "except": date_list,
            "members_only": flag,
            "summary": text,
        },
    ),
    "members/newsletters": ContentType(
        "newsletter", {"title": text, "date": datetime_value}, {"summary": text}, public=False
    ),
    "members/minutes": ContentType(
        "minutes",
        {"title": text, "date": datetime_value, "meeting": text},
        {"attachments": text_list, "summary": text},
        public=False,
    ),
}


def type_for(relative_path: str) -> ContentType | None:
    """The content type of a file, from the folder it sits in under content/."""
    parts = relative_path.replace("\\", "/").split("/")
    for depth in (2, 1):
        folder = "/".join(parts[:depth])
        if len(parts) > depth and folder in TYPES:
            return TYPES[folder]
    return None
