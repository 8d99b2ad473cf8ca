"""Searching output/ file by file, on every core, skipping what the last audit found clean.

Each file is searched by name and by text (decompressed, unescaped, with markup and
without); a byte-for-byte copy of a protected attachment is found by its hash. The
files are shared out to worker processes forked from the build (they inherit the
automaton instead of receiving it); without fork, or if a worker dies, the files are
searched in this process: a failure can make the audit slower, never skip a file.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import logging
import os
import re
import threading
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from siteconfig.errors import SiteError

from .cache import AuditCache, pattern_bytes
from .matcher import Matcher, markup_words, unescaped, words
from .patterns import Pattern

log = logging.getLogger(__name__)

# Searched as text would only be noise: images, fonts, media, and PDFs (compressed).
BINARY_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".woff", ".woff2", ".ttf", ".otf",
    ".eot", ".wasm", ".mp3", ".mp4", ".webm", ".ogg", ".pdf", ".zip",
}  # fmt: skip
FOLDED_SUFFIXES = {".ics", ".ical", ".ifb", ".vcf"}
_FOLD = re.compile(r"\r?\n[ \t]")
MAX_PER_FILE = 3  # enough to show the problem; the rest of the file is the same mistake
SNIPPET_CHARS = 80
MAX_WORKERS = 4
PARALLEL_BYTES = 4_000_000  # below this, starting processes costs more than it saves
CHUNKS_PER_WORKER = 4  # small chunks even out files of different sizes


@dataclass
class AuditStats:
    files: int = 0
    bytes: int = 0
    words: int = 0
    patterns: int = 0
    dropped_as_public: int = 0
    steps: int = 0
    cached: int = 0  # files skipped: same path and bytes as a file the last audit found clean
    leaks: list[SiteError] = field(default_factory=list)


@dataclass(frozen=True)
class ProtectedFile:
    source: str
    name: str
    size: int
    sha256: str


@dataclass
class FileResult:
    """One file's verdict, small enough to send back from a worker."""

    name: str
    size: int
    digest: str
    cached: bool = False
    words: int = 0
    steps: int = 0
    leaks: list[tuple[str, str, str]] = field(default_factory=list)  # SiteError's arguments


@dataclass
class _Job:
    output: Path
    paths: list[Path]
    matcher: Matcher
    patterns: list[Pattern]
    dropped: set[int] | frozenset[int]
    by_size: dict[int, list[ProtectedFile]]
    known: dict[str, str]  # path: SHA-256 of the files the last audit found clean
    hashing: bool


_job: _Job | None = None  # what forked workers inherit (set just before they start)

T = TypeVar("T")
R = TypeVar("R")


def scan_output(
    output: Path,
    patterns: list[Pattern],
    files: list[ProtectedFile],
    *,
    dropped: set[int] | frozenset[int] = frozenset(),
    matcher: Matcher | None = None,
    cache: AuditCache | None = None,
    workers: int | None = None,
) -> AuditStats:
    """Search every file under output/ (its name and its text) for the patterns not dropped as public.

    ``matcher`` must hold ``patterns`` in the same order (audit_build shares the one that
    found the public patterns). With a cache, files whose path and bytes the last audit
    found clean under the same patterns are not read again. ``workers``: processes to
    use (default: the cores, if output/ is big enough to be worth it).
    """
    global _job
    by_size: dict[int, list[ProtectedFile]] = {}
    for f in files:
        by_size.setdefault(f.size, []).append(f)
    key = _verdict_key(cache, patterns, dropped, files) if cache is not None else ""
    # Sorted by parts, the order of Path comparisons, without their cost (a Path compares slowly).
    paths = sorted((path for path in output.rglob("*") if path.is_file()), key=lambda path: path.parts)
    matcher = matcher or Matcher([p.words for p in patterns])
    known = cache.clean(key) if cache is not None else {}
    _job = _Job(output, paths, matcher, patterns, dropped, by_size, known, cache is not None)
    try:
        parts = chunks(range(len(paths)), _workers(workers, paths))
        numbered = sorted(pair for chunk in run_chunks(_scan_chunk, parts) for pair in chunk)
    finally:
        _job = None
    return _merge([result for _, result in numbered], cache, key)


def _verdict_key(cache: AuditCache, patterns: list[Pattern], dropped: Any, files: list[ProtectedFile]) -> str:
    kept = (p.words for i, p in enumerate(patterns) if i not in dropped)
    protected = (f"{f.size}:{f.sha256}".encode() for f in files)
    return cache.key([*pattern_bytes(kept), b"files", *protected])


def _merge(results: list[FileResult], cache: AuditCache | None, key: str) -> AuditStats:
    stats = AuditStats()
    for result in results:
        stats.files += 1
        stats.bytes += result.size
        stats.cached += result.cached
        stats.words += result.words
        stats.steps += result.steps
        stats.leaks += [SiteError(*leak) for leak in result.leaks]
    if cache is not None:
        cache.remember_clean(key, {r.name: r.digest for r in results if not r.leaks})
    return stats


def _workers(asked: int | None, paths: list[Path]) -> int:
    if asked is not None:
        return max(1, asked)
    if sum(path.stat().st_size for path in paths) < PARALLEL_BYTES:
        return 1
    return cores()


def cores() -> int:
    """The cores this process may use, at most MAX_WORKERS."""
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0))))


def chunks(indexes: Sequence[int], workers: int) -> list[list[int]]:
    """Interleaved, so that each chunk gets its share of big and small files."""
    count = 1 if workers == 1 else workers * CHUNKS_PER_WORKER
    return [list(indexes[start::count]) for start in range(count) if indexes[start::count]]


def run_chunks(function: Callable[[T], R], chunks: list[T]) -> list[R]:
    """``[function(c) for c in chunks]``, in forked worker processes when there is more than one chunk."""
    # Forking a process that runs other threads can copy a lock some thread holds: then one process.
    if len(chunks) < 2 or "fork" not in get_all_start_methods() or threading.active_count() > 1:
        return [function(chunk) for chunk in chunks]
    workers = max(1, len(chunks) // CHUNKS_PER_WORKER)
    # Objects the workers inherit stay out of their garbage collector: a collection would
    # touch, and so copy, the build's whole heap in every worker (gc.freeze's documented use).
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            return list(pool.map(function, chunks))
    except (BrokenProcessPool, OSError) as exc:
        log.warning("leak audit: worker processes failed (%s); searching in one process", exc)
        return [function(chunk) for chunk in chunks]
    finally:
        gc.unfreeze()


def _scan_chunk(indexes: list[int]) -> list[tuple[int, FileResult]]:
    assert _job is not None
    return [(i, _check(_job, _job.paths[i])) for i in indexes]


def _check(job: _Job, path: Path) -> FileResult:
    name = path.relative_to(job.output).as_posix()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest() if job.hashing else ""
    result = FileResult(name, len(data), digest)
    if job.hashing and job.known.get(name) == digest:
        result.cached = True
        return result
    steps = job.matcher.steps
    _scan_file(path, name, data, job, result)
    result.steps = job.matcher.steps - steps
    return result


def _scan_file(path: Path, name: str, data: bytes, job: _Job, result: FileResult) -> None:
    shown = f"output/{name}"
    found = job.matcher.found_in(words(unquote(name)))
    try:
        expanded = _expand(data, path)
    except ValueError as exc:
        result.leaks.append((shown, "leak", f"cannot be checked: {exc}; the audit does not pass unread files"))
        return
    for candidate in {data, expanded}:
        for protected in job.by_size.get(len(candidate), ()):
            if hashlib.sha256(candidate).hexdigest() == protected.sha256:
                result.leaks.append((shown, "leak", f"is a plaintext copy of {protected.source}"))
    if path.suffix.lower() not in BINARY_SUFFIXES:
        text = expanded.decode("utf-8", errors="replace")
        if path.suffix.lower() in FOLDED_SUFFIXES:
            # iCalendar folds long lines mid-word (RFC 5545 3.1): unfold before reading words.
            text = _FOLD.sub("", text)
        text = unescaped(text)
        # With markup, and also without it, for text split by inline tags.
        raw, stripped = markup_words(text) if "<" in text else (words(text), [])
        result.words += len(raw)
        found += job.matcher.found_in(raw)
        found += job.matcher.found_in(stripped)
    # One line per protected source: overlapping windows of one sentence are one leak.
    found = [index for index in found if index not in job.dropped]
    by_source = {job.patterns[index].origin.source: job.patterns[index] for index in reversed(found)}
    for pattern in list(by_source.values())[::-1][:MAX_PER_FILE]:
        result.leaks.append(_leak(shown, pattern))


def _leak(shown: str, pattern: Pattern) -> tuple[str, str, str]:
    snippet = pattern.text if len(pattern.text) <= SNIPPET_CHARS else pattern.text[: SNIPPET_CHARS - 1] + "…"
    origin = pattern.origin
    return (
        shown,
        "leak",
        f"protected {origin.kind} from {origin.source} appears in plaintext: “{snippet}”; "
        "remove it from public content, or report a bug if the build put it there",
    )


def _expand(data: bytes, path: Path) -> bytes:
    """The file's bytes, decompressed if compressed (search index fragments are gzip)."""
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"damaged gzip data ({exc})") from None
    if path.suffix == ".br":
        try:
            import brotli  # type: ignore[import-not-found]
        except ImportError:
            raise ValueError("Brotli-compressed, and the brotli package is not installed") from None
        return brotli.decompress(data)
    return data
