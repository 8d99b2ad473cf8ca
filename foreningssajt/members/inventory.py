"""The protected inventory: the one answer to "what is secret?" in a build.

Everything under content/members/ (newsletters, minutes, their attachments) and every
calendar event whose header says ``members_only: true`` is protected. This module
decides that once per build, from the publication map (which folders are protected)
and the one header reader (so a byte-order mark, CRLF or ``---`` inside a title read
the same as everywhere else), and keeps the answer in the build session. The
members' generator, the calendar, search, the sitemap and the leak audit read it here;
nothing else classifies.

A file under content/members/ that is no known kind (a Markdown file directly in
content/members/, or in a folder other than the protected kinds') is neither
published nor protected by anything: it stops the build with one line saying where
it belongs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foreningssajt.content_rules.header import read_header
from foreningssajt.siteconfig.errors import SiteError, relative
from foreningssajt.siteconfig.publication import BY_NAME, CONTENT, MEMBERS_FOLDER, kind_of
from foreningssajt.siteconfig.session import session_of

MARKDOWN_SUFFIXES = (".md", ".markdown")
EVENTS = BY_NAME["event"].folder
# The header key listing passages of a protected file that are public on purpose
# (a quoted press release, a public event's time and place): the audit lets exactly
# these through, and a reviewer sees them in the protected file itself.
PUBLIC_PASSAGES = "public_passages"
DEFAULT_ACCESS = "medlem"  # who may read an item; issue 17 adds more levels
ACCESS_NEEDS_MEMBERS_ONLY = (
    "gäller bara evenemang för medlemmar, och utan members_only: true syns det här för alla; "
    "lägg till members_only: true, eller ta bort access:"
)
UNKNOWN_FILE = (
    "ligger i {folder} men hör inte till någon skyddad sort, så den varken publiceras eller skyddas; "
    "flytta den till {newsletters} (medlemsbrev) eller {minutes} (protokoll), eller ta bort den"
)


@dataclass(frozen=True)
class ProtectedFile:
    """A non-Markdown file under content/members/ (an attachment, listed or not)."""

    source: str  # as the writer sees it: content/members/minutes/x.pdf
    path: Path
    size: int
    sha256: str
    access: str = DEFAULT_ACCESS

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class ProtectedItem:
    """One protected Markdown file: a newsletter, a minute or a members-only event."""

    source: str  # as the writer sees it: content/members/minutes/x.md
    path: Path
    kind: str  # a publication-map kind name: newsletter, minutes, event
    values: dict[str, Any]  # the header, as the one header reader read it
    body: str  # Markdown
    access: str = DEFAULT_ACCESS
    html: str | None = None  # the body as the site renders it, handed over by its generator

    @property
    def title(self) -> str:
        return str(self.values.get("title") or "")

    @property
    def summary(self) -> str:
        return str(self.values.get("summary") or "")

    @property
    def attachments(self) -> list[str]:
        names = self.values.get("attachments") or []
        return [str(name) for name in (names if isinstance(names, list) else [names])]

    @property
    def public_passages(self) -> list[str]:
        passages = self.values.get(PUBLIC_PASSAGES) or []
        return [str(p) for p in (passages if isinstance(passages, list) else [passages]) if str(p).strip()]


@dataclass
class Inventory:
    """Every protected item and file of one site, and the problems found while listing them."""

    items: list[ProtectedItem] = field(default_factory=list)
    files: list[ProtectedFile] = field(default_factory=list)
    problems: list[SiteError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sources = {item.source for item in self.items} | {f.source for f in self.files}

    def is_protected(self, source: str) -> bool:
        """Whether a file (as the writer sees it, content/...) is protected."""
        return source.replace("\\", "/") in self._sources

    def of_kind(self, kind: str) -> list[ProtectedItem]:
        return [item for item in self.items if item.kind == kind]

    def item(self, source: str) -> ProtectedItem | None:
        return next((item for item in self.items if item.source == source), None)

    def hand_over_html(self, source: str, html: str) -> None:
        """The body as a generator rendered it: the audit then need not convert it again."""
        found = self.item(source)
        if found is not None:
            found.html = html

    def __iter__(self) -> Iterator[ProtectedItem]:
        return iter(self.items)


def inventory_for(settings: Mapping[str, Any]) -> Inventory:
    """The build's inventory, made on first use and kept in the build session."""
    session = session_of(settings)
    if session.inventory is None:
        session.inventory = build_inventory(Path(settings["PATH"]), session.root)
        session.problems.extend(session.inventory.problems)
    return session.inventory


def build_inventory(content: Path, site_root: Path) -> Inventory:
    """List every protected file of the site whose content folder is `content`."""
    items: list[ProtectedItem] = []
    files: list[ProtectedFile] = []
    problems: list[SiteError] = []
    members = content / MEMBERS_FOLDER
    for path in _files(members):
        shown = relative(path, site_root)
        kind = kind_of(path.relative_to(content).as_posix())
        if kind is None or not kind.protected:
            problems.append(_unknown(path, content, shown))
        elif path.suffix.lower() in MARKDOWN_SUFFIXES:
            _add_item(items, problems, path, shown, kind.name)
        else:
            files.append(_protected_file(path, shown))
    for path in _files(content / EVENTS):
        if path.suffix.lower() in MARKDOWN_SUFFIXES:
            _add_event(items, problems, path, relative(path, site_root))
    return Inventory(items, files, problems)


def _files(folder: Path) -> list[Path]:
    # Dot files are an editor's or a file manager's (.DS_Store, .#x.md), not content.
    if not folder.is_dir():
        return []
    found = (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return sorted(found, key=lambda p: p.parts)


def _read(path: Path, shown: str) -> tuple[dict[str, Any], str]:
    header = read_header(path.read_text(encoding="utf-8", errors="replace"), shown)
    return header.values, header.body


def _add_item(items: list[ProtectedItem], problems: list[SiteError], path: Path, shown: str, kind: str) -> None:
    try:
        values, body = _read(path, shown)
    except SiteError as error:
        # Still protected: its whole text is searched for, header included.
        problems.append(error)
        values, body = {}, path.read_text(encoding="utf-8", errors="replace")
    items.append(ProtectedItem(shown, path, kind, values, body, access=_access(values)))


def _add_event(items: list[ProtectedItem], problems: list[SiteError], path: Path, shown: str) -> None:
    try:
        values, body = _read(path, shown)
    except SiteError:
        return  # the calendar reports it; an event without a readable header is not published
    if values.get("access") and values.get("members_only") is not True:
        # The writer meant to restrict it, but without members_only it is public.
        problems.append(SiteError(shown, "access", ACCESS_NEEDS_MEMBERS_ONLY))
    if values.get("members_only") is True:
        items.append(ProtectedItem(shown, path, "event", values, body, access=_access(values)))


def _access(values: dict[str, Any]) -> str:
    # The header's access: level (members/levels.py checks that it names one of site.yml's).
    return str(values.get("access") or DEFAULT_ACCESS).strip()


def _protected_file(path: Path, shown: str) -> ProtectedFile:
    data = path.read_bytes()
    return ProtectedFile(shown, path, len(data), hashlib.sha256(data).hexdigest())


def _unknown(path: Path, content: Path, shown: str) -> SiteError:
    folder = f"{CONTENT}/{path.parent.relative_to(content).as_posix()}/"
    places = {
        name: f"{CONTENT}/{BY_NAME[kind].folder}/"
        for name, kind in (("newsletters", "newsletter"), ("minutes", "minutes"))
    }
    return SiteError(shown, "", UNKNOWN_FILE, folder=folder, **places)
