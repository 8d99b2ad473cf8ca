"""Zetkin's values checked as untrusted data: ids, times within a sane window, text, JSON.

Both `make zetkin` (zetkin_fetch.py) and the build (zetkin_data.py) read Zetkin's data
through these checks. Each raises Invalid with a Swedish message; the caller adds
where (the Zetkin address or data/zetkin-events.json) and which event.

Years outside a window around today are refused: year 1 or 9999 breaks date
arithmetic later (an end after 9999-12-31 does not exist), and no association plans
an activity decades ahead. The build allows twice the fetch's window, so that a file
fetched long ago still builds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from foreningssajt.siteconfig.errors import Invalid

FETCH_YEARS = 5
BUILD_YEARS = 2 * FETCH_YEARS
MAX_BYTES = 5_000_000  # thousands of events; an answer larger than this is not Zetkin's
MAX_DEPTH = 12  # Zetkin's actions nest three levels; deeper is not an answer we understand
MAX_ID = 10**12
MAX_TITLE = 200
MAX_TEXT = 20_000


class BadField(Exception):
    """A value that cannot be used: which field (empty: the whole event), and why."""

    def __init__(self, key: str, problem: Invalid) -> None:
        super().__init__(key)
        self.key, self.problem = key, problem


def checked(key: str, check: Callable[..., Any], *args: Any) -> Any:
    """check(*args), with a problem named by its field."""
    try:
        return check(*args)
    except Invalid as problem:
        raise BadField(key, problem) from None


def event_id(value: Any) -> int:
    """Zetkin's event number: a whole number, also when written as text."""
    # isascii: str.isdigit() also accepts "²", which int() refuses.
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 13:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_ID:
        raise Invalid("”{value}” är inget id-nummer från Zetkin", value=_short(value))
    return value


def utc_time(value: Any, now: dt.datetime, years: int) -> dt.datetime:
    """An aware UTC time from Zetkin's text, within `years` of now; naive text counts as UTC."""
    if not isinstance(value, str) or len(value) > 40:
        raise Invalid("”{value}” är ingen tidpunkt; väntade t.ex. 2026-10-03T08:00:00+00:00", value=_short(value))
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        moment = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise Invalid("”{value}” är ingen tidpunkt; väntade t.ex. 2026-10-03T08:00:00+00:00", value=value) from None
    low, high = now.year - years, now.year + years
    if not low <= moment.year <= high:
        raise Invalid(
            "”{value}” ligger utanför åren {low}–{high}; kalendern visar bara aktiviteter inom {years} år från i dag",
            value=value,
            low=low,
            high=high,
            years=years,
        )
    return moment


def text(value: Any) -> str:
    """A text field; anything that is not text (a list, a number, null) counts as empty."""
    return value if isinstance(value, str) else ""


def count(value: Any) -> int:
    """Our own SEQUENCE counter in the data file."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**31:
        raise Invalid("”{value}” är inget heltal från 0 och uppåt", value=_short(value))
    return value


def depth(data: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:  # deeper is refused anyway; no need to walk it
                stack.extend((child, level + 1) for child in (value.values() if isinstance(value, dict) else value))
    return deepest


def parse_json(body: bytes | str) -> Any:
    """JSON within our size and depth limits; Invalid otherwise."""
    if len(body) > MAX_BYTES:
        raise Invalid("är större än {limit} MB; det är inte ett svar vi känner igen", limit=MAX_BYTES // 1_000_000)
    try:
        data = json.loads(body)
    except RecursionError:
        raise Invalid("är för djupt kapslad JSON ({limit} nivåer räcker för Zetkins svar)", limit=MAX_DEPTH) from None
    except (ValueError, TypeError):
        raise Invalid("är inte JSON") from None
    if depth(data) > MAX_DEPTH:
        raise Invalid("är för djupt kapslad JSON ({limit} nivåer räcker för Zetkins svar)", limit=MAX_DEPTH)
    return data


def _short(value: Any) -> str:
    if isinstance(value, dict | list):
        return "{…}" if isinstance(value, dict) else "[…]"
    shown = value if isinstance(value, str) else repr(value)
    return shown if len(shown) <= 40 else shown[:40] + "…"
