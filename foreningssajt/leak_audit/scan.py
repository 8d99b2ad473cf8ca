"""Reading output/ file by file, as a reader would, and noting what protected text each holds.

Each file is searched by its name, by its bytes (a copy of a protected file, also
inside a gzip or zip) and by its text (documents.py opens PDFs, Office files and zips;
normalise.py reads it as a browser shows it, plus what its tags carry: attribute
values such as meta descriptions and alt texts, and comments). A file whose path and
bytes the last audit found clean under the same patterns is not read again.

A file that is byte for byte one of the project's own code files (the theme's CSS,
scripts and images, the web editor's vendored scripts) is not read as text: content
never flows into it, and it is most of the bytes of a small site. Its name is still
checked, and it is still compared with the protected files.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from foreningssajt.members.inventory import ProtectedFile

from .cache import AuditCache
from .documents import Unreadable, document_texts
from .matcher import Matcher
from .normalise import reader_words, readings, without_accents
from .patterns import Pattern

NAMED = ("title", "attachment name")


@dataclass
class Finding:
    """What one public file holds that it must not."""

    name: str  # path in output/, or in content/ for a public source
    patterns: set[int] = field(default_factory=set)
    copies: list[ProtectedFile] = field(default_factory=list)
    unreadable: str = ""

    def __bool__(self) -> bool:
        return bool(self.patterns or self.copies or self.unreadable)


@dataclass
class ScanStats:
    files: int = 0
    bytes: int = 0
    characters: int = 0
    cached: int = 0  # files skipped: same path and bytes as a file the last audit found clean
    code: int = 0  # files not read as text: a copy of one of the project's code files
    findings: list[Finding] = field(default_factory=list)


def scan_output(
    output: Path,
    patterns: list[Pattern],
    files: list[ProtectedFile],
    cache: AuditCache | None = None,
    code: frozenset[str] = frozenset(),
) -> ScanStats:
    """Search every file under output/ for the patterns and for copies of the protected files.

    `code`: SHA-256 of the project's own code files (see the module's docstring).
    """
    matcher = Matcher([p.words for p in patterns])
    # A slug is made from a title or a file name, never from running text.
    names = Matcher([without_accents(p.words) if p.origin.what in NAMED else "" for p in patterns])
    by_size: dict[int, list[ProtectedFile]] = {}
    for protected in files:
        by_size.setdefault(protected.size, []).append(protected)
    key = _verdict_key(cache, patterns, files) if cache is not None else ""
    known = cache.clean(key) if cache is not None else {}
    clean: dict[str, str] = {}
    stats = ScanStats()
    for name in _files(output):
        data = (output / name).read_bytes()
        stats.files += 1
        stats.bytes += len(data)
        digest = hashlib.sha256(data).hexdigest()
        if known.get(name) == digest:
            stats.cached += 1
            clean[name] = digest
            continue
        finding = check_file(name, data, matcher, by_size, text=digest not in code, names=names)
        stats.code += digest in code
        if finding:
            stats.findings.append(finding)
        else:
            clean[name] = digest
    stats.characters = matcher.characters
    if cache is not None:
        cache.remember_clean(key, clean)
    return stats


def _files(output: Path) -> list[str]:
    """Every file under output/ as a relative POSIX path, in a stable order (os.walk: fewer stat calls)."""
    found = []
    for folder, _, names in os.walk(output):
        prefix = Path(folder).relative_to(output).as_posix()
        found += [name if prefix == "." else f"{prefix}/{name}" for name in names]
    return sorted(found, key=lambda name: name.split("/"))


def check_file(
    name: str,
    data: bytes,
    matcher: Matcher,
    by_size: dict[int, list[ProtectedFile]],
    text: bool = True,
    names: Matcher | None = None,
) -> Finding:
    """One file's name, bytes and (unless `text` is false) text against the patterns and the protected files."""
    finding = Finding(name)
    finding.patterns |= matcher.found_in([reader_words(unquote(name))])
    if names is not None:  # a file name made from a title loses its accents: uteslots-ur-foreningen
        finding.patterns |= names.found_in([without_accents(reader_words(unquote(name)))])
    if not text:
        _compare_bytes(finding, [data], by_size)
        return finding
    parts: list[bytes] = []
    try:
        texts = document_texts(name, data, parts=parts)
    except Unreadable as exc:
        finding.unreadable = str(exc)
        return finding
    _compare_bytes(finding, [data, *parts], by_size)
    for part in texts:
        finding.patterns |= matcher.found_in(readings(part.text, part.markup))
    return finding


def _compare_bytes(finding: Finding, blobs: list[bytes], by_size: dict[int, list[ProtectedFile]]) -> None:
    for blob in blobs:
        for protected in by_size.get(len(blob), ()):
            if hashlib.sha256(blob).hexdigest() == protected.sha256 and protected not in finding.copies:
                finding.copies.append(protected)


def code_hashes(folders: list[Path]) -> frozenset[str]:
    """SHA-256 of every file under the project's code folders (foreningssajt/theme/static, foreningssajt/)."""
    found = set()
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file() and path.suffix != ".pyc":
                found.add(hashlib.sha256(path.read_bytes()).hexdigest())
    return frozenset(found)


def _verdict_key(cache: AuditCache, patterns: list[Pattern], files: list[ProtectedFile]) -> str:
    words = (p.words.encode() for p in patterns)
    protected = (f"{f.size}:{f.sha256}".encode() for f in files)
    return cache.key([*words, b"files", *protected])
