"""RRULEs in Swedish words, both ways.

describe(): a series' rule as its page says it ("Varannan onsdag kl. 18.00",
"Första tisdagen varje månad"), for templates as `rule_text`. A rule we cannot say
simply gets "" (the page then says just "Återkommande") rather than a wrong sentence.

suggest(): what a volunteer typed in Swedish ("sista onsdagen", "varannan tisdag")
turned into the RRULE to write instead, for the error message.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
ORDINALS = {1: "första", 2: "andra", 3: "tredje", 4: "fjärde", 5: "femte", -1: "sista", -2: "näst sista"}
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
PLAIN = ""  # the rule is not one we can say in a few words
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
# What describe() can say; any other part (BYSETPOS, BYWEEKNO, ...) gets the plain word.
_SAYABLE = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "UNTIL", "COUNT", "WKST"}


def parts_of(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)


def describe(rule: str, start: dt.datetime, all_day: bool, until: dt.datetime | None = None) -> str:
    """The rule in Swedish words, with the time and the last day: "Varje onsdag kl. 18.00"."""
    parts = parts_of(rule)
    if not set(parts) <= _SAYABLE:
        return PLAIN
    pattern = _pattern(parts, start)
    if pattern is None:
        return PLAIN
    text = pattern + _months(parts.get("BYMONTH"))
    if not all_day:
        text += f" kl. {start:%H.%M}"
    if until is not None:
        text += ", till och med " + format_date(until.date(), "d MMMM y", locale="sv")
    elif parts.get("COUNT"):
        text += f", {int(parts['COUNT'])} gånger"
    return text


def _every(interval: int, unit: str, plural: str) -> str:
    """ "varje vecka", "varannan vecka", "var 3:e vecka"."""
    if interval == 1:
        return f"varje {unit}"
    return f"varannan {unit}" if interval == 2 else f"var {interval}:e {plural}"


def _pattern(parts: dict[str, str], start: dt.datetime) -> str | None:
    interval = int(parts.get("INTERVAL", "1"))
    days = [_BYDAY.match(day) for day in parts["BYDAY"].split(",")] if parts.get("BYDAY") else []
    frequency = parts.get("FREQ")
    if frequency == "DAILY" and not days:
        return _every(interval, "dag", "dag").capitalize()
    if frequency == "WEEKLY" and all(day and not day.group(1) for day in days):
        names = [DAY_NAMES[WEEKDAYS.index(d.group(2))] for d in days] or [DAY_NAMES[start.weekday()]]
        if len(names) == 1:
            return _every(interval, names[0], names[0]).capitalize()
        return f"{_every(interval, 'vecka', 'vecka').capitalize()} på {_and(names)}"
    if frequency == "MONTHLY":
        return _monthly(parts, days, interval, start)
    if frequency == "YEARLY" and not days and not parts.get("BYMONTH") and not parts.get("BYMONTHDAY"):
        return f"{_every(interval, 'år', 'år').capitalize()} den {start.day} {MONTHS[start.month - 1]}"
    return None


def _monthly(parts: dict[str, str], days: list, interval: int, start: dt.datetime) -> str | None:
    every = _every(interval, "månad", "månad")
    if len(days) == 1 and days[0] and days[0].group(1) and int(days[0].group(1)) in ORDINALS:
        ordinal, name = ORDINALS[int(days[0].group(1))], DAY_NAMES[WEEKDAYS.index(days[0].group(2))]
        return f"{ordinal.capitalize()} {name}en {every}"
    if days:
        return None
    day = parts.get("BYMONTHDAY", str(start.day))
    if not re.fullmatch(r"-?\d{1,2}", day):
        return None
    return f"Sista dagen {every}" if day == "-1" else f"Den {_nth(int(day))} {every}"


def _nth(number: int) -> str:
    """1:a, 2:a, 3:e, 11:e, 21:a: the Swedish way to write a day of the month."""
    return f"{number}:a" if number % 10 in (1, 2) and number not in (11, 12) else f"{number}:e"


def _months(by_month: str | None) -> str:
    """ " i mars och april", or " utom juli och augusti" when that is shorter to say."""
    if not by_month:
        return ""
    chosen = sorted({int(month) for month in by_month.split(",")})
    others = [month for month in range(1, 13) if month not in chosen]
    if len(others) < len(chosen):
        return " utom " + _and([MONTHS[month - 1] for month in others]) if others else ""
    return " i " + _and([MONTHS[month - 1] for month in chosen])


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


# ---- from Swedish to an RRULE -----------------------------------------------------------

_WORD_ORDINALS = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "sista": -1}
_STEMS = {name: code for name, code in zip(DAY_NAMES, WEEKDAYS, strict=True)}


def _day_code(word: str) -> str | None:
    """ "onsdagen", "onsdagar", "onsdag" -> WE."""
    for name, code in _STEMS.items():
        if word.startswith(name):
            return code
    return None


def suggest(text: str) -> str | None:
    """The RRULE for a Swedish phrase such as "sista onsdagen" or "varannan tisdag"; None if unknown."""
    words = re.findall(r"[a-zåäö]+", text.casefold())
    days = [code for code in map(_day_code, words) if code]
    if not days:
        return _plain_frequency(words)
    if len(days) != 1:
        return None
    ordinal = next((_WORD_ORDINALS[word] for word in words if word in _WORD_ORDINALS), None)
    if ordinal is not None:
        return f"FREQ=MONTHLY;BYDAY={ordinal}{days[0]}"
    if "varannan" in words:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={days[0]}"
    return f"FREQ=WEEKLY;BYDAY={days[0]}"


_FREQUENCIES = {"dag": "DAILY", "vecka": "WEEKLY", "månad": "MONTHLY", "år": "YEARLY"}


def _plain_frequency(words: list[str]) -> str | None:
    """ "varje månad" -> FREQ=MONTHLY, "varannan vecka" -> FREQ=WEEKLY;INTERVAL=2."""
    unit = next((_FREQUENCIES[word] for word in words if word in _FREQUENCIES), None)
    if unit is None:
        return None
    return f"FREQ={unit};INTERVAL=2" if "varannan" in words else f"FREQ={unit}"
