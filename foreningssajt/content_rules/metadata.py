"""Checked header values turned into the metadata Pelican's content classes expect.

Pelican wants a date as a timezone-aware datetime, tags as Tag objects, the author as
an Author and the summary as HTML; this does that for values the content contract
(rules.py) has already checked, in the way pelican-yaml-metadata did, so pages come
out the same. Only documented Pelican APIs are used (urlwrappers, get_date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import get_date


def _date(value: Any, _settings: dict[str, Any]) -> dt.datetime:
    # Pelican parses the text form and adds the site's timezone later.
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return get_date(text.strip().replace("_", " "))


def _list(value: Any) -> list:
    return value if isinstance(value, list | tuple) else [value]


PROCESSORS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "tags": lambda value, settings: [Tag(str(tag).strip(), settings) for tag in _list(value)],
    "date": _date,
    "modified": _date,
    "author": lambda value, settings: Author(str(value).strip(), settings),
    "category": lambda value, settings: Category(str(value).strip(), settings),
    "slug": lambda value, _settings: str(value).strip(),
    "status": lambda value, _settings: str(value).strip(),
}


def pelican_metadata(values: dict[str, Any], settings: dict[str, Any], markdown: Markdown) -> dict[str, Any]:
    """Metadata for Pelican from checked header values (None and empty lists are left out)."""
    formatted = settings.get("FORMATTED_FIELDS", ["summary"])
    metadata: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or value == []:
            continue
        if name in formatted:
            value = markdown.reset().convert("\n".join(value) if isinstance(value, list) else str(value))
        elif name in PROCESSORS:
            value = PROCESSORS[name](value, settings)
        metadata[name] = value
    return metadata
