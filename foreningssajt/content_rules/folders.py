"""Files in a content folder that the build would pass over without a word.

Only Markdown (.md) files become pages; a .docx, .txt or .pdf dropped into
content/posts/ used to be ignored silently, and the volunteer waited for a post that
never came. Each such file is now one line saying where it belongs instead.
Minutes keep their attachments beside them (members/minutes lists them by name).
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from foreningssajt.siteconfig.errors import SiteError, relative

from .rules import TYPES

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
ATTACHMENTS_BESIDE = {"members/minutes"}
# What operating systems and editors leave behind; nobody meant these as pages.
SYSTEM_FILES = ("Thumbs.db", "desktop.ini", "*~", "~$*")


def stray_files(content: Path, ignored: list[str]) -> list[SiteError]:
    """One problem per file in a Markdown folder that is not Markdown."""
    found = []
    for folder in TYPES:
        if folder in ATTACHMENTS_BESIDE or not (content / folder).is_dir():
            continue
        for path in sorted((content / folder).rglob("*")):
            if path.is_file() and not _markdown_or_ignored(path, content / folder, ignored):
                found.append(_stray(path, content, folder))
    return found


def _markdown_or_ignored(path: Path, folder: Path, ignored: list[str]) -> bool:
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return True
    if any(part.startswith(".") for part in path.relative_to(folder).parts):
        return True
    return any(fnmatch.fnmatch(path.name, pattern) for pattern in (*ignored, *SYSTEM_FILES))


def _stray(path: Path, content: Path, folder: str) -> SiteError:
    return SiteError(
        relative(path, content.parent),
        "",
        "bara .md-filer läses i content/{folder}/, så den här filen blir ingen sida; skriv texten i en "
        ".md-fil (se docs/guide/skriva-inlagg.md), och lägg bilagor i content/files/ och bilder i "
        "content/images/ och länka till dem därifrån",
        folder=folder,
    )
