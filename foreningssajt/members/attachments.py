"""Attachments of minutes: found next to the Markdown file, encrypted, never copied."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from foreningssajt.siteconfig.errors import SiteError


@dataclass(frozen=True)
class Attachment:
    source: Path  # the plaintext file under content/members/
    filename: str  # the name the member's download gets
    mime: str
    size: int


def find_attachments(markdown: Path, names: list[str], members_root: Path, shown: str) -> list[Attachment]:
    """The files an item lists under ``attachments:``; a SiteError names a bad entry."""
    found = []
    for name in names:
        relative = PurePosixPath(name.replace("\\", "/"))
        path = (markdown.parent / relative).resolve()
        # A path out of the members' folder would publish (encrypted, but still) a file
        # the writer did not mean to, and hides where the attachment really lives.
        if relative.is_absolute() or not path.is_relative_to(members_root.resolve()):
            raise SiteError(
                shown,
                "attachments",
                "'{name}' ligger utanför content/members/; lägg filen bredvid {file}",
                name=name,
                file=markdown.name,
            )
        if not path.is_file():
            raise SiteError(
                shown,
                "attachments",
                "'{name}' finns inte; lägg filen bredvid {file} eller rätta namnet",
                name=name,
                file=markdown.name,
            )
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        found.append(Attachment(path, path.name, mime, path.stat().st_size))
    return found
