"""The one reader of Markdown headers: every part of the build that looks at a header uses it.

A file starts with a line `---`, then YAML `key: value` lines, then a line `---` (or
`...`), then the Markdown body. Editors save files in ways a volunteer cannot see, so
a byte-order mark, Windows (CRLF) or old Mac (CR) line ends, and blank lines before
the first `---` are all read the same. Only a line that is `---` by itself ends the
header: `title: Före --- efter` is a title, not the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from foreningssajt.siteconfig.errors import N_, Invalid, SiteError
from foreningssajt.siteconfig.vocabulary import yaml_problem

from .rules import datetime_value

_FENCE = re.compile(r"^---[ \t]*$")
_LOOKS_LIKE_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
# libyaml's safe loader when PyYAML has it: the same documents and errors, several
# times faster (the header parse was a fifth of reading time in bench/).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NO_HEADER = N_(
    "ingen rubrikdel hittades; börja filen med en rad '---', sedan 'title: ...' och de andra "
    "nycklarna, sedan en rad '---'"
)


@dataclass(frozen=True)
class Header:
    """A file's header values (keys lowercased), its body and where the body starts."""

    values: dict[str, Any]
    body: str
    body_line: int  # 1-based line number of the body's first line in the file


def normalised_text(text: str) -> str:
    """The text as the reader sees it: no byte-order mark, every line ending a newline."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_header(text: str, shown: str) -> tuple[str, str, int]:
    """(header YAML, body, body's first line); SiteError when there is no header."""
    lines = normalised_text(text).split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start == len(lines) or not _FENCE.match(lines[start]):
        raise SiteError(shown, "", NO_HEADER)
    end = next((i for i in range(start + 1, len(lines)) if _END.match(lines[i])), None)
    if end is None:
        raise SiteError(shown, "", NO_HEADER)
    # Blank lines stand in for the lines before the header, so YAML's line numbers are the file's.
    header = "\n" * (start + 1) + "\n".join(lines[start + 1 : end])
    return header, "\n".join(lines[end + 1 :]), end + 2


def read_header(text: str, shown: str) -> Header:
    """Split and parse a header; a mistake is one SiteError naming the line or the key."""
    header, body, body_line = split_header(text, shown)
    return Header(load_header(header, shown), body, body_line)


def load_header(header: str, shown: str) -> dict[str, Any]:
    try:
        raw = yaml.load(header, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, shown) from None
    except ValueError:
        # YAML saw a date that is not a real one (2026-13-45); find which key.
        raise _impossible_date(header, shown) from None
    if not isinstance(raw, dict):
        raise SiteError(shown, "", "väntade rader 'nyckel: värde' mellan de två raderna '---'")
    return {str(k).lower(): v for k, v in raw.items()}


def _yaml_problem(exc: yaml.YAMLError, shown: str) -> SiteError:
    mark = getattr(exc, "problem_mark", None)
    return SiteError(
        shown,
        "",
        "är inte giltig YAML ({problem}); skriv varje nyckel som 'nyckel: värde' och sätt text "
        "som innehåller kolon inom citattecken",
        line=mark.line + 1 if mark else None,
        problem=yaml_problem(exc),
    )


def _impossible_date(header: str, shown: str) -> SiteError:
    as_text = yaml.load(header, Loader=yaml.BaseLoader)  # BaseLoader builds only strings: safe
    for key, value in as_text.items() if isinstance(as_text, dict) else ():
        if isinstance(value, str) and _LOOKS_LIKE_DATE.match(value.strip()):
            try:
                datetime_value(value)
            except Invalid as problem:
                return problem.at(shown, key)
    return SiteError(
        shown,
        "",
        "innehåller ett datum som inte finns; skriv datumet som 2026-03-04, eller med tid som 2026-03-04 18:30",
    )
