"""One header key of the content contract as one field of the web editor.

The contract (content_rules/rules.py) holds checks, not descriptions; what a check
accepts is read from what it is: its name, and the values its factory closed over
(`inspect.getclosurevars`, a documented API). A check that carries `widget`,
`choices`, `low` or `high` attributes is read from those first, so a contract that
describes itself more plainly needs no change here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

Field = dict[str, Any]

DATETIME = {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "YYYY-MM-DD", "time_format": "HH:mm"}
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}


def check_name(check: Callable[..., Any]) -> str:
    """`text`, `one_of`, `whole_number`, ...: the function, or the factory that made it."""
    qualname = getattr(check, "__qualname__", "")
    return qualname.split(".<locals>")[0] if "<locals>" in qualname else getattr(check, "__name__", "")


def closed_over(check: Callable[..., Any]) -> dict[str, Any]:
    """What a factory-made check remembers (choices, bounds); {} for a plain function."""
    try:
        return dict(inspect.getclosurevars(check).nonlocals)
    except TypeError:
        return {}


def described(check: Callable[..., Any], name: str) -> Any:
    return getattr(check, name, None) if hasattr(check, name) else closed_over(check).get(name)


def widget_for(check: Callable[..., Any]) -> Field:
    """The Decap widget (and its options) that can only produce what `check` accepts."""
    kind = getattr(check, "widget", None) or check_name(check)
    if kind in ("one_of", "select"):
        return {"widget": "select", "options": list(described(check, "choices") or ())}
    if kind in ("whole_number", "number"):
        return {
            "widget": "number",
            "value_type": "int",
            "min": described(check, "low"),
            "max": described(check, "high"),
        }
    return dict(_PLAIN.get(kind, {"widget": "string"}))


_PLAIN: dict[str, Field] = {
    "text": {"widget": "string"},
    "text_list": {"widget": "list"},
    "datetime_value": DATETIME,
    "date_only": DATE,
    "flag": {"widget": "boolean"},
    "date_list": {"widget": "list", "field": {"name": "datum", "label": "Datum", **DATE}},
}


def field_for(key: str, check: Callable[..., Any], required: bool) -> Field:
    """A Decap field for one header key; labels and hints are added by labels.py."""
    return {"name": key, "label": key, **widget_for(check), "required": required}
