"""Read site.yml and turn it into Pelican settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .contrast import check_contrast
from .errors import SiteError
from .schema import SITE_FIELDS, SOURCE, check_fields

DEFAULT_COLOURS = {"primary": "#a3001b", "accent": "#1c4e80", "background": "#ffffff", "text": "#1a1a1a"}
DEFAULT_REMEMBER_DAYS = 30


def load_site(root: str | Path) -> dict[str, Any]:
    """Return site.yml as a checked dict, or raise SiteError naming the key."""
    path = Path(root) / SOURCE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteError(SOURCE, "", f"not found in {Path(root).resolve()}; copy the example from the README") from None
    except yaml.YAMLError as exc:
        raise SiteError(SOURCE, _yaml_where(exc), "not valid YAML; check indentation and quotes on that line") from None
    if not isinstance(raw, dict):
        raise SiteError(SOURCE, "", "expected keys such as 'name:' and 'url:', one per line")
    site = check_fields(raw, SITE_FIELDS)
    site["colours"] = {**DEFAULT_COLOURS, **site.get("colours", {})}
    check_contrast(site["colours"])
    _check_logo(site, Path(root))
    site.setdefault("members", {}).setdefault("remember_days", DEFAULT_REMEMBER_DAYS)
    for registry in ("venues", "committees", "people", "event_categories", "meeting_kinds", "social"):
        site.setdefault(registry, [])
    return site


def _check_logo(site: dict[str, Any], root: Path) -> None:
    logo = site.get("logo")
    if logo and not (root / "content" / logo).is_file():
        raise SiteError(
            SOURCE, "logo", f"content/{logo} does not exist; put the image there, e.g. logo: images/logo.svg"
        )


def _yaml_where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f"line {mark.line + 1}" if mark else ""


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
