"""One header key of the content contract as one field of the web editor.

The contract's checks describe themselves (`check.describe()`: type, required, example,
help, and choices or the site.yml list a value comes from); that description is turned
into a Decap widget here. Checks written as plain functions, as the contract had them
before, are described from what they are: their name, and the values their factory
closed over (`inspect.getclosurevars`, a documented API).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

Field = dict[str, Any]

DATETIME = {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "YYYY-MM-DD", "time_format": "HH:mm"}
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}

# The types a described check names, and the names of the older function checks.
_FUNCTION_TYPES = {
    "text": "text",
    "text_list": "list",
    "datetime_value": "datetime",
    "date_only": "date",
    "flag": "boolean",
    "whole_number": "number",
    "one_of": "choice",
    "date_list": "dates",
}
_WIDGETS: dict[str, Field] = {
    "text": {"widget": "string"},
    "id": {"widget": "string"},
    "list": {"widget": "list"},
    "datetime": DATETIME,
    "date": DATE,
    "dates": {"widget": "list", "field": {"name": "datum", "label": "Datum", **DATE}},
    "boolean": {"widget": "boolean"},
    "file": {"widget": "file"},
}


def describe(check: Any) -> dict[str, Any]:
    """type, choices, low, high, registry, gives, example, help: what a check accepts."""
    if hasattr(check, "describe"):
        found = dict(check.describe())
        for bound in ("low", "high"):
            if hasattr(check, bound):
                found[bound] = getattr(check, bound)
        return found
    return _describe_function(check)


def _describe_function(check: Callable[..., Any]) -> dict[str, Any]:
    qualname = getattr(check, "__qualname__", "")
    name = qualname.split(".<locals>")[0] if "<locals>" in qualname else getattr(check, "__name__", "")
    try:
        remembered = dict(inspect.getclosurevars(check).nonlocals)
    except TypeError:
        remembered = {}
    return {"type": _FUNCTION_TYPES.get(name, "text"), **remembered}


def widget_for(description: Mapping[str, Any], site: Mapping[str, Any]) -> Field:
    """The Decap widget (and its options) for a described check; `site` holds site.yml's lists."""
    kind = description.get("type", "text")
    if kind == "choice":
        return {"widget": "select", "options": list(description.get("choices") or ())}
    if kind == "registry":
        return {"widget": "select", "options": registry_options(site, description)}
    if kind == "number":
        return {"widget": "number", "value_type": "int", "min": description.get("low"), "max": description.get("high")}
    return dict(_WIDGETS.get(kind, {"widget": "string"}))


def registry_options(site: Mapping[str, Any], description: Mapping[str, Any]) -> list[dict[str, str]]:
    """The entries of a site.yml list (people, venues, ...): their names shown, id or name stored."""
    gives = description.get("gives") or "id"
    entries = site.get(description.get("registry") or "") or []
    return [{"label": str(e.get("name", e.get("id"))), "value": str(e.get(gives, e.get("id")))} for e in entries]
