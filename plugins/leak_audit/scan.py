"""Reading output/ file by file, as a reader would, and noting what protected text each holds.

Each file is searched by its name, by its bytes (a copy of a protected file, also
inside a gzip or zip) and by its text (documents.py opens PDFs, Office files and zips;
normalise.py reads it as a browser shows it, and once more with the markup kept as
words, for attribute values such as meta descriptions and alt texts). A file whose
path and bytes the last audit found clean under the same patterns is not read again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from members.inventory import ProtectedFile

from .cache import AuditCache
from .documents import Unreadable, document_texts
from .matcher import Matcher
from .normalise import reader_words, readings
from .patterns import Pattern


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
    findings: list[Finding] = field(default_factory=list)


def scan_output(
    output: Path, patterns: list[Pattern], files: list[ProtectedFile], cache: AuditCache | None = None
) -> ScanStats:
    """Search every file under output/ for the patterns and for copies of the protected files."""
    matcher = Matcher([p.words for p in patterns])
    by_size: dict[int, list[ProtectedFile]] = {}
    for protected in files:
        by_size.setdefault(protected.size, []).append(protected)
    key = _verdict_key(cache, patterns, files) if cache is not None else ""
    known = cache.clean(key) if cache is not None else {}
    clean: dict[str, str] = {}
    stats = ScanStats()
    for path in sorted((p for p in output.rglob("*") if p.is_file()), key=lambda p: p.parts):
        name = path.relative_to(output).as_posix()
        data = path.read_bytes()
        stats.files += 1
        stats.bytes += len(data)
        digest = hashlib.sha256(data).hexdigest() if cache is not None else ""
        if digest and known.get(name) == digest:
            stats.cached += 1
            clean[name] = digest
            continue
        finding = check_file(name, data, matcher, by_size)
        if finding:
            stats.findings.append(finding)
        elif digest:
            clean[name] = digest
    stats.characters = matcher.characters
    if cache is not None:
        cache.remember_clean(key, clean)
    return stats


def check_file(name: str, data: bytes, matcher: Matcher, by_size: dict[int, list[ProtectedFile]]) -> Finding:
    """One file's name, bytes and text against the patterns and the protected files."""
    finding = Finding(name)
    finding.patterns |= matcher.found_in([reader_words(unquote(name))])
    parts: list[bytes] = []
    try:
        texts = document_texts(name, data, parts=parts)
    except Unreadable as exc:
        finding.unreadable = str(exc)
        return finding
    for blob in [data, *parts]:
        for protected in by_size.get(len(blob), ()):
            if hashlib.sha256(blob).hexdigest() == protected.sha256 and protected not in finding.copies:
                finding.copies.append(protected)
    for part in texts:
        finding.patterns |= matcher.found_in(readings(part.text, part.markup))
    return finding


def _verdict_key(cache: AuditCache, patterns: list[Pattern], files: list[ProtectedFile]) -> str:
    words = (p.words.encode() for p in patterns)
    protected = (f"{f.size}:{f.sha256}".encode() for f in files)
    return cache.key([*words, b"files", *protected])
