"""Pages with ``menu: N`` in their header are placed in the site's menu.

site.yml's menu comes first, as written there; then every page whose header has
``menu:``, in the order of the numbers (a smaller number comes first). A page that
site.yml's menu already links to is not added twice. Drafts and hidden pages stay
out. The menu is worked out once, before Pelican's generators copy the settings,
so every page (members' area included) shows the same menu.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.utils import slugify

from foreningssajt.siteconfig.errors import SiteError

from .header import read_header
from .typography import swedish_typography

UNLISTED = ("draft", "hidden")


def menu_with_pages(menu: list[dict[str, str]], pages: Path, settings: dict[str, Any]) -> list[dict[str, str]]:
    """site.yml's menu followed by the pages that ask to be in it."""
    listed = {item["url"] for item in menu}
    wanted = sorted(_pages_in_menu(pages, settings), key=lambda entry: (entry[0], entry[1]["title"]))
    return [*menu, *(item for _, item in wanted if item["url"] not in listed)]


def _pages_in_menu(pages: Path, settings: dict[str, Any]) -> list[tuple[int, dict[str, str]]]:
    found = []
    for path in sorted(pages.rglob("*.md")) if pages.is_dir() else ():
        try:
            values = read_header(path.read_text(encoding="utf-8"), str(path)).values
        except (SiteError, OSError, UnicodeDecodeError):
            continue  # the reader reports a broken page in its own words
        if _listed(values):
            title = swedish_typography(values["title"].strip())
            found.append((values["menu"], {"title": title, "url": _url(path, values, settings)}))
    return found


def _listed(values: dict[str, Any]) -> bool:
    position, title, status = values.get("menu"), values.get("title"), values.get("status", "published")
    wants_menu = isinstance(position, int) and not isinstance(position, bool) and isinstance(title, str)
    return wants_menu and str(status).strip().lower() not in UNLISTED


def _url(path: Path, values: dict[str, Any], settings: dict[str, Any]) -> str:
    slug = values.get("slug") or slugify(
        path.stem, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []), preserve_case=False
    )
    return "/" + settings["PAGE_URL"].format(slug=str(slug).strip())
