"""Which public source file a leak came from: the file a volunteer can open and fix.

Only asked when the audit found something (a clean build never reads the sources a
second time). The public sources are the site's files a volunteer edits: everything
under content/ that the inventory does not protect, site.yml, and the theme's
templates and translations. Each is read the way the audit reads output/
(documents.py, normalise.py), so a sentence found in a page is also found in the
Markdown file, the exported .txt or the PDF it came from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from foreningssajt.members.inventory import Inventory, ProtectedFile
from foreningssajt.siteconfig.errors import relative
from foreningssajt.siteconfig.publication import MEMBERS_FOLDER

from .documents import Unreadable, document_texts
from .matcher import Matcher
from .normalise import readings
from .patterns import Pattern

THEME_TEXT = ("templates", "translations")


def public_sources(content: Path, theme: Path, site_root: Path, inventory: Inventory) -> list[Path]:
    """Every file a volunteer edits that is published as it is (not encrypted), in a stable order."""
    members = content / MEMBERS_FOLDER
    found = [site_root / "site.yml"] if (site_root / "site.yml").is_file() else []
    for folder in (content, *(theme / name for name in THEME_TEXT)):
        for path in sorted(folder.rglob("*"), key=lambda p: p.parts) if folder.is_dir() else ():
            if not path.is_file() or path.is_relative_to(members):
                continue
            if not inventory.is_protected(relative(path, site_root)):
                found.append(path)
    return found


def sources_of(patterns: list[Pattern], wanted: set[int], sources: list[Path], site_root: Path) -> dict[int, list[str]]:
    """For each wanted pattern, the public sources (as the writer sees them) that contain it."""
    order = sorted(wanted)
    matcher = Matcher([patterns[i].words for i in order])
    found: dict[int, list[str]] = {}
    for path in sources:
        for local in _found(matcher, path):
            found.setdefault(order[local], []).append(relative(path, site_root))
    return found


def copies_of(files: list[ProtectedFile], sources: list[Path], site_root: Path) -> dict[str, list[str]]:
    """For each protected file (by source), the public sources that are byte-for-byte copies of it."""
    by_hash = {f.sha256: f.source for f in files}
    sizes = {f.size for f in files}
    found: dict[str, list[str]] = {}
    for path in sources:
        if path.stat().st_size in sizes:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in by_hash:
                found.setdefault(by_hash[digest], []).append(relative(path, site_root))
    return found


def _found(matcher: Matcher, path: Path) -> set[int]:
    try:
        texts = document_texts(path.name, path.read_bytes())
    except Unreadable:
        return set()
    return matcher.found_in(words for t in texts for words in readings(t.text, t.markup))
