"""The leak audit: every file in output/ is searched for protected text in plaintext.

Runs after everything else has written to output/ (it is the last plugin on
``finalized``, after search indexing), and fails the build with one line per leak
naming the file and the snippet. Compressed files (.gz, gzip'd search index
fragments, .br) are read decompressed; file names are searched too; a byte-for-byte
copy of a protected attachment is found by its hash.

One automaton holds every pattern: it first finds those the public sources contain
(dropped: the association published them itself), then searches output/, ignoring
those. A warm build reads only the files whose bytes changed since the last clean
verdict (cache.py).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown
import yaml
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE

from members.protected import SETTING, Protected, item_texts, sentences
from siteconfig.errors import SiteError, relative

from .cache import AuditCache, pattern_bytes
from .matcher import Matcher, markup_words, unescaped, words
from .patterns import Pattern, members_only_sources, patterns_for, public_indexes, public_sources

# Searched as text would only be noise: images, fonts, media, and PDFs (compressed).
BINARY_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".woff", ".woff2", ".ttf", ".otf",
    ".eot", ".wasm", ".mp3", ".mp4", ".webm", ".ogg", ".pdf", ".zip",
}  # fmt: skip
FOLDED_SUFFIXES = {".ics", ".ical", ".ifb", ".vcf"}
_FOLD = re.compile(r"\r?\n[ \t]")
TEXT_ATTACHMENTS = {".txt", ".csv", ".html", ".htm", ".json", ".xml", ".tsv"}
MAX_PER_FILE = 3  # enough to show the problem; the rest of the file is the same mistake
SNIPPET_CHARS = 80


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


def audit_build(settings: Mapping[str, Any], output: Path) -> AuditStats:
    """Audit a finished build's output folder with the build's settings."""
    content = Path(settings["PATH"])
    members_folder = settings.get("MEMBERS_PATH", "members")
    site_root = content.parent
    texts = settings.get(SETTING)
    if texts is None:  # the members' generator did not run: read the sources here
        texts = read_protected(sorted((content / members_folder).rglob("*.md")), settings, site_root)
    # Members-only events are read here: the calendar hands over upcoming ones only.
    texts = list(texts) + read_protected(members_only_sources(content, members_folder), settings, site_root)
    files = protected_files(content / members_folder, site_root)
    texts += [Protected(f.source, "attachment name", f.name) for f in files]
    texts += attachment_texts(content / members_folder, site_root)
    patterns = patterns_for(texts)
    matcher = Matcher([p.words for p in patterns])
    cache = AuditCache.for_build(settings, output)
    public = public_sources(content, members_folder, site_root, Path(settings["THEME"]))
    dropped = _dropped_as_public(matcher, public, site_root, cache)
    stats = scan_output(output, patterns, files, dropped=dropped, matcher=matcher, cache=cache)
    stats.patterns, stats.dropped_as_public = len(patterns) - len(dropped), len(dropped)
    cache.save()
    return stats


def _dropped_as_public(matcher: Matcher, public: list[Path], site_root: Path, cache: AuditCache) -> set[int]:
    """The patterns the public sources contain: as the last build found, if nothing they depend on changed."""
    sources = [(relative(path, site_root).encode(), path.read_bytes()) for path in public]
    key = cache.key([*pattern_bytes(matcher.patterns), b"public", *(part for pair in sources for part in pair)])
    dropped = cache.dropped(key)
    if dropped is None:
        dropped = public_indexes(matcher, (data.decode("utf-8", errors="replace") for _, data in sources))
        cache.remember_dropped(key, dropped)
    return dropped


def scan_output(
    output: Path,
    patterns: list[Pattern],
    files: list[ProtectedFile],
    *,
    dropped: set[int] | frozenset[int] = frozenset(),
    matcher: Matcher | None = None,
    cache: AuditCache | None = None,
) -> AuditStats:
    """Search every file under output/ (its name and its text) for the patterns not dropped as public.

    ``matcher`` must hold ``patterns`` in the same order (audit_build shares the one that
    found the public patterns). With a cache, files whose path and bytes the last audit
    found clean under the same patterns are not read again.
    """
    matcher = matcher or Matcher([p.words for p in patterns])
    steps_before = matcher.steps
    by_size: dict[int, list[ProtectedFile]] = {}
    for f in files:
        by_size.setdefault(f.size, []).append(f)
    key = ""
    if cache is not None:
        kept = (p.words for i, p in enumerate(patterns) if i not in dropped)
        protected = (f"{f.size}:{f.sha256}".encode() for f in files)
        key = cache.key([*pattern_bytes(kept), b"files", *protected])
    known = cache.clean(key) if cache is not None else {}
    clean: dict[str, str] = {}
    stats = AuditStats()
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(output).as_posix()
        data = path.read_bytes()
        stats.files += 1
        stats.bytes += len(data)
        digest = hashlib.sha256(data).hexdigest() if cache is not None else ""
        if cache is not None and known.get(name) == digest:
            stats.cached += 1
            clean[name] = digest
            continue
        leaks_before = len(stats.leaks)
        _scan_file(path, name, data, matcher, patterns, dropped, by_size, stats)
        if cache is not None and len(stats.leaks) == leaks_before:
            clean[name] = digest
    if cache is not None:
        cache.remember_clean(key, clean)
    stats.steps = matcher.steps - steps_before
    return stats


def _scan_file(
    path: Path,
    name: str,
    data: bytes,
    matcher: Matcher,
    patterns: list[Pattern],
    dropped: set[int] | frozenset[int],
    by_size: dict[int, list[ProtectedFile]],
    stats: AuditStats,
) -> None:
    shown = f"output/{name}"
    found = matcher.found_in(words(unquote(name)))
    try:
        expanded = _expand(data, path)
    except ValueError as exc:
        stats.leaks.append(SiteError(shown, "leak", f"cannot be checked: {exc}; the audit does not pass unread files"))
        return
    for candidate in {data, expanded}:
        for protected in by_size.get(len(candidate), ()):
            if hashlib.sha256(candidate).hexdigest() == protected.sha256:
                stats.leaks.append(SiteError(shown, "leak", f"is a plaintext copy of {protected.source}"))
    if path.suffix.lower() not in BINARY_SUFFIXES:
        text = expanded.decode("utf-8", errors="replace")
        if path.suffix.lower() in FOLDED_SUFFIXES:
            # iCalendar folds long lines mid-word (RFC 5545 3.1): unfold before reading words.
            text = _FOLD.sub("", text)
        text = unescaped(text)
        # With markup, and also without it, for text split by inline tags.
        raw, stripped = markup_words(text) if "<" in text else (words(text), [])
        stats.words += len(raw)
        found += matcher.found_in(raw)
        found += matcher.found_in(stripped)
    # One line per protected source: overlapping windows of one sentence are one leak.
    found = [index for index in found if index not in dropped]
    by_source = {patterns[index].origin.source: patterns[index] for index in reversed(found)}
    for pattern in list(by_source.values())[::-1][:MAX_PER_FILE]:
        stats.leaks.append(_leak(shown, pattern))


def _leak(shown: str, pattern: Pattern) -> SiteError:
    snippet = pattern.text if len(pattern.text) <= SNIPPET_CHARS else pattern.text[: SNIPPET_CHARS - 1] + "…"
    origin = pattern.origin
    return SiteError(
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


def protected_files(members: Path, site_root: Path) -> list[ProtectedFile]:
    """Every non-Markdown file under content/members/: attachments, listed or not."""
    found = []
    for path in sorted(members.rglob("*")) if members.is_dir() else ():
        if path.is_file() and path.suffix not in (".md", ".markdown"):
            data = path.read_bytes()
            found.append(
                ProtectedFile(relative(path, site_root), path.name, len(data), hashlib.sha256(data).hexdigest())
            )
    return found


def attachment_texts(members: Path, site_root: Path) -> list[Protected]:
    """The sentences of text attachments (notes, CSV lists, HTML); binary ones are hashed only."""
    texts = []
    for path in sorted(members.rglob("*")) if members.is_dir() else ():
        if path.is_file() and path.suffix.lower() in TEXT_ATTACHMENTS:
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix.lower() not in (".html", ".htm"):
                text = "<p>" + html.escape(text).replace("\n", "<br>")  # each line a block
            source = relative(path, site_root)
            texts += [Protected(source, "attachment text", s) for s in sentences(text)]
    return texts


def read_protected(paths: list[Path], settings: Mapping[str, Any], site_root: Path) -> list[Protected]:
    """Protected text read straight from Markdown files (title, summary, body sentences)."""
    extensions = settings.get("MARKDOWN", {}).get("extension_configs", {})
    converter = markdown.Markdown(extensions=list(extensions), extension_configs=extensions)
    texts = []
    for path in paths:
        match = HEADER_RE.fullmatch(path.read_text(encoding="utf-8", errors="replace"))
        header, body = (match.group("metadata"), match.group("content")) if match else ("", path.read_text())
        try:
            metadata = yaml.safe_load(header) or {}
        except yaml.YAMLError:
            metadata = {}
        metadata = metadata if isinstance(metadata, dict) else {}
        texts += item_texts(relative(path, site_root), converter.reset().convert(body), metadata)
    return texts
