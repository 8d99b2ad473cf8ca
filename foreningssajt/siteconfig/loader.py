"""Read site.yml and turn it into Pelican settings.

Every problem in site.yml is collected (vocabulary.py) and raised together as one
SiteErrors, so a volunteer sees the whole list after one build, each with its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .contrast import contrast_problems
from .errors import SiteError, SiteErrors
from .schema import SITE_FIELDS, SOURCE
from .vocabulary import Where, check_fields, key_lines, yaml_problem

DEFAULT_COLOURS = {"primary": "#a3001b", "accent": "#1c4e80", "background": "#ffffff", "text": "#1a1a1a"}
DEFAULT_REMEMBER_DAYS = 30
REGISTRIES = ("venues", "committees", "people", "event_categories", "meeting_kinds", "social")


def load_site(root: str | Path) -> dict[str, Any]:
    """Return site.yml as a checked dict, or raise SiteErrors naming every wrong key."""
    root = Path(root)
    text = _read(root / SOURCE, root)
    raw = _parse(text)
    where = Where(SOURCE, lines=key_lines(text), raw=text.splitlines(), root=root)
    site = check_fields(raw, SITE_FIELDS, where)
    site["colours"] = {**DEFAULT_COLOURS, **site.get("colours", {})}
    if not any(problem.key.startswith("colours") for problem in where.found):
        where.found.extend(contrast_problems(site["colours"], where.child("colours")))
    if where.found:
        raise SiteErrors(sorted(where.found, key=lambda problem: problem.line or 0))
    site.setdefault("members", {}).setdefault("remember_days", DEFAULT_REMEMBER_DAYS)
    for registry in REGISTRIES:
        site.setdefault(registry, [])
    return site


def _read(path: Path, root: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SiteError(
            SOURCE, "", "finns inte i {folder}; kopiera exemplet från README.md", folder=root.resolve()
        ) from None
    except UnicodeDecodeError:
        raise SiteError(SOURCE, "", "är inte sparad som UTF-8; spara om filen som UTF-8 i din editor") from None


def _parse(text: str) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SiteError(
            SOURCE,
            "",
            "är inte giltig YAML ({problem}); kontrollera indraget och citattecknen på den raden",
            line=mark.line + 1 if mark else None,
            problem=yaml_problem(exc),
        ) from None
    except ValueError:  # a date YAML cannot make (2026-13-45)
        raise SiteError(SOURCE, "", "innehåller ett datum som inte finns; skriv datum som 2026-03-04") from None
    if not isinstance(raw, dict):
        raise SiteError(SOURCE, "", "ska ha nycklar som 'name:' och 'url:', en per rad")
    return raw


def _by_id(entries: list[dict]) -> dict[str, dict]:
    return {entry["id"]: entry for entry in entries}


def settings_from_site(site: dict[str, Any]) -> dict[str, Any]:
    """The Pelican settings that follow from the association's facts."""
    return {
        "SITE": site,
        "SITENAME": site["name"],
        "SITESUBTITLE": site.get("tagline", ""),
        "PUBLISH_SITEURL": site["url"],
        "DEFAULT_LANG": site["language"],
        "TIMEZONE": site["timezone"],
        "VENUES": _by_id(site["venues"]),
        "COMMITTEES": _by_id(site["committees"]),
        "PEOPLE": _by_id(site["people"]),
        "EVENT_CATEGORIES": _by_id(site["event_categories"]),
        "MEETING_KINDS": _by_id(site["meeting_kinds"]),
        "MENU": site["menu"],
    }
