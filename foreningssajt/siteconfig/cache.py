"""Where Pelican's content cache lives, so that a stale cache cannot hide a mistake.

Pelican reuses a file's cached reading as long as the file itself is unchanged; it
does not notice that site.yml (whose ids the reader checks) or the reader's own code
changed. Naming the cache folder by a fingerprint of those makes such a change start
from an empty cache: every file is read and checked again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from jinja2 import FileSystemBytecodeCache


def reading_fingerprint(files: Iterable[Path]) -> str:
    """A short hash of the names and bytes of `files` (missing files count as empty)."""
    digest = hashlib.sha256()
    for path in sorted(Path(f) for f in files):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def template_cache(folder: Path) -> FileSystemBytecodeCache:
    """Compiled Jinja templates, shared by all generators' environments and by later builds.

    Jinja checks each entry against its template's source, so an edited template is
    compiled again; the folder is inside the fingerprinted CACHE_PATH.
    """
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))
