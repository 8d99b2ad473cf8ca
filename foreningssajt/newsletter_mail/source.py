"""Finding the newsletter to send and reading it the way the build does.

Pelican's own Readers with the project's strict reader: the same header checks and the
same Markdown settings (Swedish typography) as the web edition in the members' area.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican.contents import Page
from pelican.readers import Readers

from foreningssajt.siteconfig.errors import SiteError
from foreningssajt.siteconfig.session import BuildSession
from foreningssajt.siteconfig.settings import pelican_settings

from .urls import web_edition_paths

REPO = Path(__file__).resolve().parents[2]
FOLDER = "members/newsletters"
_DATE_PREFIX = re.compile(r"^\d{4}(-\d{2}){1,2}$")


@dataclass
class Newsletter:
    title: str
    date: dt.datetime  # aware, in the site's timezone
    summary: str | None
    body: str  # HTML from Markdown; {static}/{filename} links not yet resolved
    relpath: str  # relative to content/, e.g. members/newsletters/2026-03.md
    shown: str  # how a writer sees the path: content/members/newsletters/2026-03.md
    draft: bool
    web_path: str = ""  # the web edition in the members' area, site-relative; "" for drafts
    access: str = "medlem"  # its access level (members/levels.py): only "medlem" goes to every member


def load_settings(session: BuildSession) -> dict[str, Any]:
    """Pelican settings for the session's site, as foreningssajt/cli/build.py would read them."""
    from foreningssajt.content_rules.reader import StrictYAMLReader

    settings = pelican_settings(session, session.root / "output", search=False)
    # The build connects the strict reader through a signal when it loads the plugins;
    # READERS does the same for every Readers made from these settings (ours and the
    # calendar generator's), without connecting anything process-wide.
    strict = dict.fromkeys(StrictYAMLReader.file_extensions, StrictYAMLReader)
    settings["READERS"] = {**settings.get("READERS", {}), **strict}
    return settings


def make_readers(settings: dict[str, Any]) -> Readers:
    return Readers(settings)  # no cache name: nothing protected is written to a cache


def read(readers: Readers, settings: dict[str, Any], relpath: str, content_class: type = Page) -> Any:
    return readers.read_file(base_path=settings["PATH"], path=relpath, content_class=content_class, context={})


def read_newsletter(readers: Readers, settings: dict[str, Any], relpath: str) -> Newsletter:
    page = read(readers, settings, relpath)
    return Newsletter(
        title=page.title,
        date=page.date,
        summary=page.metadata.get("summary"),
        body=page._content,  # the reader's HTML, before Pelican's link replacement
        relpath=relpath,
        shown=f"content/{relpath}",
        draft=getattr(page, "status", "published") == "draft",
        access=str(page.metadata.get("access") or "medlem").strip(),
    )


def read_all(settings: dict[str, Any], readers: Readers) -> list[Newsletter]:
    """Every newsletter, each with the URL the members' area gives it (drafts get none)."""
    content = Path(settings["PATH"]).resolve()
    files = sorted(p.relative_to(content).as_posix() for p in (content / FOLDER).rglob("*.md"))
    letters = [read_newsletter(readers, settings, relpath) for relpath in files]
    paths = web_edition_paths((letter.date, letter.relpath) for letter in letters if not letter.draft)
    for letter in letters:
        letter.web_path = paths.get(letter.relpath, "")
    return letters


def choose(settings: dict[str, Any], readers: Readers, wanted: str | None) -> Newsletter:
    """The newsletter named by `wanted` (a file, its name, or a date such as 2026-03), else the newest."""
    content = Path(settings["PATH"]).resolve()
    letters = read_all(settings, readers)
    if wanted and (wanted.endswith(".md") or "/" in wanted or os.sep in wanted):
        relpath = _file_in_folder(content, wanted)
        return for_all_members(_not_draft(next(letter for letter in letters if letter.relpath == relpath)))
    # A newsletter for a higher level (access: styrelse) is never mailed to every member.
    published = [letter for letter in letters if not letter.draft and letter.access == "medlem"]
    if not published:
        raise SiteError(
            f"content/{FOLDER}",
            "",
            "har inget publicerat medlemsbrev än; skriv ett, t.ex. 2026-03.md med title och date",
        )
    if not wanted:
        return max(published, key=lambda letter: (letter.date, letter.relpath))
    by_name = [letter for letter in published if Path(letter.relpath).stem == wanted]
    if by_name:
        return by_name[0]
    if not _DATE_PREFIX.match(wanted):
        raise SiteError(
            "N", "", "'{wanted}' är varken ett medlemsbrev eller ett datum; skriv t.ex. N=2026-03", wanted=wanted
        )
    matching = [letter for letter in published if f"{letter.date:%Y-%m-%d}".startswith(wanted)]
    if len(matching) == 1:
        return matching[0]
    if not matching:
        dates = ", ".join(f"{letter.date:%Y-%m-%d} ({Path(letter.relpath).name})" for letter in published)
        raise SiteError(
            "N", "", "inget medlemsbrev har datumet {wanted}; de som finns: {dates}", wanted=wanted, dates=dates
        )
    names = ", ".join(letter.shown for letter in matching)
    raise SiteError(
        "N",
        "",
        "{count} medlemsbrev har datumet {wanted} ({names}); skriv hela datumet eller filens namn",
        count=len(matching),
        wanted=wanted,
        names=names,
    )


def for_all_members(letter: Newsletter) -> Newsletter:
    """The letter, if every member may read it; the mailing goes to every member."""
    if letter.access != "medlem":
        raise SiteError(letter.shown, "access", NOT_FOR_ALL_MEMBERS, level=letter.access)
    return letter


NOT_FOR_ALL_MEMBERS = (
    "är {level}, så brevet är inte för alla medlemmar och skickas inte med e-post; "
    "ta bort access: om alla medlemmar ska få det"
)


def _not_draft(letter: Newsletter) -> Newsletter:
    if letter.draft:
        raise SiteError(
            letter.shown,
            "status",
            "är ett utkast, så medlemssidorna har ingen webbversion att länka till; ta bort 'status: draft'",
        )
    return letter


def _file_in_folder(content: Path, wanted: str) -> str:
    folder = content / FOLDER
    candidates = [Path(wanted), folder / wanted, content.parent / wanted]
    found = next((path.resolve() for path in candidates if path.is_file()), None)
    if found is None:
        raise SiteError(
            wanted, "", "finns inte; ange en fil i content/{folder}/ eller ett datum som 2026-03", folder=FOLDER
        )
    if not found.is_relative_to(folder.resolve()) or found.suffix != ".md":
        raise SiteError(wanted, "", "är inget medlemsbrev; medlemsbrev är .md-filer i content/{folder}/", folder=FOLDER)
    return found.relative_to(content).as_posix()
