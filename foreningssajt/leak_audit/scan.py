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

When a cold build leaves many files to read, worker processes read them side by side
(siteconfig/parallel.py: forked after the automata are built, so they share them); the findings
come back in the same order as one process would find them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from foreningssajt.members.inventory import ProtectedFile
from foreningssajt.siteconfig.parallel import map_forked

from .cache import AuditCache
from .documents import Unreadable, document_texts
from .matcher import Matcher
from .normalise import reader_words, readings, without_accents
from .patterns import WINDOW, Pattern

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
    cached: int = 0  # files skipped: same path and bytes as a file found clean before (last audit, or read early)
    code: int = 0  # files not read as text: a copy of one of the project's code files
    findings: list[Finding] = field(default_factory=list)


def scan_output(
    output: Path,
    patterns: list[Pattern],
    files: list[ProtectedFile],
    cache: AuditCache | None = None,
    code: CodeFiles | None = None,
    workers: int = 1,
    automata: tuple[Matcher, Matcher] | None = None,
    underlay: Path | None = None,
    later: tuple[str, Callable[[], Mapping[str, str] | None]] | None = None,
    known: dict[str, str] | None = None,
) -> ScanStats:
    """Search every file under output/ for the patterns and for copies of the protected files.

    `code`: the project's own code files (see the module's docstring). `workers`: how
    many processes read the files not known clean (siteconfig/parallel.py), when there are at
    least PARALLEL_FROM of them. `automata`: automata_for(patterns), when made beforehand.
    `underlay`: a folder whose files count as part of output/ unless output/ has its own
    (the dev server's selective build writes only its new files; the rest stay in place).
    `later`: (folder/, wait): the files under that folder are listed and read only after
    wait() returned (Pagefind writes its index there while the rest is read); wait() may
    return more clean verdicts like `known`'s, of files it read while that folder was written.
    `known`: more clean verdicts, {name: SHA-256}, from reading while the build wrote
    (leak_audit/alongside.py); like the cache's, each holds only for the same bytes.
    """
    key = _verdict_key(cache, patterns, files) if cache is not None else ""
    clean = {**(cache.clean(key) if cache is not None else {}), **(known or {})}
    scan = _Scan(clean, patterns, files, code, workers, automata)
    places = _places(output, underlay)
    if later is None:
        scan.read(places)
    else:
        folder, wait = later
        scan.read({name: place for name, place in places.items() if not name.startswith(folder)})
        scan.known.update(wait() or {})
        scan.read({name: place for name, place in _places(output, underlay).items() if name.startswith(folder)})
    if cache is not None:
        cache.remember_clean(key, scan.clean)
    return scan.stats


class _Scan:
    """One audit's reading, possibly in several batches; the automata are made at most once."""

    def __init__(
        self,
        known: dict[str, str],
        patterns: list[Pattern],
        files: list[ProtectedFile],
        code: CodeFiles | None,
        workers: int,
        automata: tuple[Matcher, Matcher] | None,
    ) -> None:
        self.known, self.patterns, self.files, self.code = known, patterns, files, code
        self.workers, self.automata = workers, automata
        self.stats = ScanStats()
        self.clean: dict[str, str] = {}

    def read(self, places: dict[str, str]) -> None:
        unknown = [name for name, place in places.items() if not self._known_clean(name, place)]
        if not unknown:
            return
        # The automata only when there is something to read (all of it, in a cold build).
        self.automata = self.automata or automata_for(self.patterns)
        reader = FileReader(places, *self.automata, self.files, self.code)
        workers = self.workers if len(unknown) >= PARALLEL_FROM else 1
        for name, checked in zip(unknown, map_forked(reader.check, unknown, workers), strict=True):
            self.stats.files += 1
            self.stats.bytes += checked.size
            self.stats.characters += checked.characters
            self.stats.code += checked.code
            if checked.finding:
                self.stats.findings.append(checked.finding)
            else:
                self.clean[name] = checked.digest

    def _known_clean(self, name: str, place: str) -> bool:
        if name not in self.known:
            return False
        data = read_bytes(place)
        digest = hashlib.sha256(data).hexdigest()
        if self.known[name] != digest:
            return False
        self.stats.files += 1
        self.stats.bytes += len(data)
        self.stats.cached += 1
        self.clean[name] = digest
        return True


PARALLEL_FROM = 100  # files to read: fewer (a warm build's few changed pages) are read here, not forked for


@dataclass(frozen=True)
class _Checked:
    """One file's verdict, as a worker process sends it back."""

    digest: str
    size: int
    characters: int
    code: bool
    finding: Finding


class FileReader:
    """What reading one output file needs: built once, before any worker is forked."""

    def __init__(
        self,
        places: dict[str, str],
        matcher: Matcher,
        names: Matcher,
        files: list[ProtectedFile],
        code: CodeFiles | None,
    ) -> None:
        self.places = places  # name in output/ -> the path of its bytes
        self.matcher = matcher
        self.names = names
        self.code = code
        self.by_size: dict[int, list[ProtectedFile]] = {}
        for protected in files:
            self.by_size.setdefault(protected.size, []).append(protected)

    def check(self, name: str) -> _Checked:
        data = read_bytes(self.places[name])
        digest = hashlib.sha256(data).hexdigest()
        code = self.code is not None and self.code.holds(data, digest)
        before = self.matcher.characters
        finding = check_file(name, data, self.matcher, self.by_size, text=not code, names=self.names)
        return _Checked(digest, len(data), self.matcher.characters - before, code, finding)


def automata_for(patterns: list[Pattern]) -> tuple[Matcher, Matcher]:
    """The automaton of every pattern, and the one of titles and file names as slugs write them."""
    # A slug is made from a title or a file name, never from running text.
    names = Matcher([without_accents(p.words) if p.origin.what in NAMED else "" for p in patterns])
    return Matcher([p.words for p in patterns], by_set=WINDOW), names


def _places(output: Path, underlay: Path | None) -> dict[str, str]:
    """Every file name of the tree, in a stable order, and the path of its bytes (a string:
    thousands of Path objects cost a tenth of a second)."""
    places = {name: os.path.join(underlay, name) for name in files_under(underlay)} if underlay is not None else {}
    places.update((name, os.path.join(output, name)) for name in files_under(output))
    return {name: places[name] for name in sorted(places, key=_parts)}


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def _parts(name: str) -> list[str]:
    return name.split("/")


def files_under(output: Path) -> list[str]:
    """Every file under output/ as a relative POSIX path, in a stable order (os.walk: fewer stat calls)."""
    found = []
    root = str(output)
    for folder, _, names in os.walk(root):
        prefix = folder[len(root) + 1 :].replace(os.sep, "/")
        found += [f"{prefix}/{name}" if prefix else name for name in names]
    return sorted(found, key=_parts)


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
    named = reader_words(unquote(name))
    finding.patterns |= matcher.found_in([named])
    if names is not None:  # a file name made from a title loses its accents: uteslots-ur-foreningen
        finding.patterns |= names.found_in([without_accents(named)])
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
        finding.patterns |= matcher.found_in(readings(part.text, part.markup, part.ciphertext))
    return finding


def _compare_bytes(finding: Finding, blobs: list[bytes], by_size: dict[int, list[ProtectedFile]]) -> None:
    for blob in blobs:
        for protected in by_size.get(len(blob), ()):
            if hashlib.sha256(blob).hexdigest() == protected.sha256 and protected not in finding.copies:
                finding.copies.append(protected)


class CodeFiles:
    """The project's own code files (foreningssajt/theme/static, foreningssajt/): an output file is one of
    them when its bytes hash the same as one of the same size. Only the sizes are read
    up front; a code file is hashed the first time an output file has its size."""

    def __init__(self, folders: list[Path]) -> None:
        self._by_size: dict[int, list[str]] = {}
        self._hashes: dict[int, frozenset[str]] = {}
        listed: set[str] = set()  # the theme's static folder may lie inside the package: each file once
        for folder in folders:
            for root, subfolders, names in os.walk(folder):
                subfolders[:] = [name for name in subfolders if name != "__pycache__"]
                for path in (os.path.join(root, name) for name in names):
                    if path not in listed and os.path.isfile(path):
                        listed.add(path)
                        self._by_size.setdefault(os.path.getsize(path), []).append(path)

    def holds(self, data: bytes, digest: str) -> bool:
        """Whether `data` (whose SHA-256 is `digest`) is byte for byte one of the code files."""
        size = len(data)
        if size not in self._by_size:
            return False
        if size not in self._hashes:
            # A code file changed since it was listed hashes differently: the output file is read as text.
            self._hashes[size] = frozenset(_sha256_of(path) for path in self._by_size[size])
        return digest in self._hashes[size]


def _sha256_of(path: str) -> str:
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except OSError:  # gone since it was listed: it matches nothing
        return ""


def _verdict_key(cache: AuditCache, patterns: list[Pattern], files: list[ProtectedFile]) -> str:
    # One JSON list of every pattern: unambiguous, and one call instead of one per pattern.
    words = json.dumps([p.words for p in patterns]).encode()
    protected = (f"{f.size}:{f.sha256}".encode() for f in files)
    return cache.key([words, b"files", *protected])
