"""The leak audit: every file in output/ is searched for protected text in plaintext.

Runs after everything else has written to output/ (it is the last plugin on
``finalized``, after search indexing), and fails the build with one line per leak
naming the file and the snippet. Compressed files (.gz, gzip'd search index
fragments, .br) are read decompressed; file names are searched too; a byte-for-byte
copy of a protected attachment is found by its hash.

One automaton holds every pattern: it first finds those the public sources contain
(dropped: the association published them itself), then searches output/, ignoring
those. Both searches share the files out over the cores (scan.py), and a warm build
reads only the files whose bytes changed since the last audit (cache.py).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import markdown
import yaml
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE

from members.protected import SETTING, Protected, item_texts, sentences
from siteconfig.errors import relative

from .cache import AuditCache, pattern_bytes
from .matcher import Matcher, text_words
from .patterns import patterns_for, site_sources
from .scan import PARALLEL_BYTES, AuditStats, ProtectedFile, chunks, cores, run_chunks, scan_output

__all__ = ["AuditStats", "ProtectedFile", "audit_build", "scan_output"]

TEXT_ATTACHMENTS = {".txt", ".csv", ".html", ".htm", ".json", ".xml", ".tsv"}


def audit_build(settings: Mapping[str, Any], output: Path) -> AuditStats:
    """Audit a finished build's output folder with the build's settings."""
    content = Path(settings["PATH"])
    members_folder = settings.get("MEMBERS_PATH", "members")
    site_root = content.parent
    texts = settings.get(SETTING)
    if texts is None:  # the members' generator did not run: read the sources here
        texts = read_protected(sorted((content / members_folder).rglob("*.md")), settings, site_root)
    public, members_only = site_sources(content, members_folder, site_root, Path(settings["THEME"]))
    # Members-only events are read here: the calendar hands over upcoming ones only.
    texts = list(texts) + read_protected(members_only, settings, site_root)
    files = protected_files(content / members_folder, site_root)
    texts += [Protected(f.source, "attachment name", f.name) for f in files]
    texts += attachment_texts(content / members_folder, site_root)
    patterns = patterns_for(texts)
    matcher = Matcher([p.words for p in patterns])
    cache = AuditCache.for_build(settings, output)
    dropped = dropped_as_public(matcher, public, site_root, cache)
    stats = scan_output(output, patterns, files, dropped=dropped, matcher=matcher, cache=cache)
    stats.patterns, stats.dropped_as_public = len(patterns) - len(dropped), len(dropped)
    cache.save()
    return stats


_public: tuple[Matcher, list[bytes]] | None = None  # what forked workers inherit


def dropped_as_public(matcher: Matcher, public: list[Path], site_root: Path, cache: AuditCache) -> set[int]:
    """The patterns the public sources contain; a source whose bytes did not change is not read again."""
    global _public
    key = cache.key([*pattern_bytes(matcher.patterns), b"public"])
    known = cache.public_found(key)
    found: dict[str, list[Any]] = {}
    todo: list[tuple[str, str, bytes]] = []
    for path in public:
        name, data = relative(path, site_root), path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if isinstance(known.get(name), list) and known[name][0] == digest:
            found[name] = known[name]
        else:
            todo.append((name, digest, data))
    _public = (matcher, [data for _, _, data in todo])
    try:
        workers = cores() if sum(len(data) for _, _, data in todo) >= PARALLEL_BYTES // 4 else 1
        for chunk in run_chunks(_public_chunk, chunks(range(len(todo)), workers)):
            for i, indexes in chunk:
                found[todo[i][0]] = [todo[i][1], indexes]
    finally:
        _public = None
    cache.remember_public(key, found)
    return {index for _, indexes in found.values() for index in indexes}


def _public_chunk(indexes: list[int]) -> list[tuple[int, list[int]]]:
    assert _public is not None
    matcher, sources = _public
    texts = (sources[i].decode("utf-8", errors="replace") for i in indexes)
    return [(i, sorted(set(matcher.found_in(text_words(text))))) for i, text in zip(indexes, texts, strict=True)]


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
