"""What the audit remembers between builds: hashes of files it found clean, never protected text.

A warm build after one edit rewrites few files with new bytes (the edited page, the
members' pages, whose IVs are fresh each build, a few search index files); the rest
are byte for byte what the last audit already read and found clean. The cache holds
``{path in output/: SHA-256 of its bytes}`` for the clean files of the last audit,
keyed by a hash of every pattern, the protected files' hashes and the audit's own
code: a changed byte, pattern, protected file or audit means a file is read again.
Files that leaked or could not be read are never remembered. The file lives under the
build's CACHE_PATH (outside output/, never published).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

FILE_NAME = "leak-audit.json"
_CODE = Path(__file__).resolve().parent


def code_version() -> str:
    """A hash of the audit's code and the inventory's, so a change re-reads everything."""
    digest = hashlib.sha256()
    for path in [*sorted(_CODE.glob("*.py")), _CODE.parent / "members" / "inventory.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(parts: Iterable[bytes]) -> str:
    """SHA-256 over the parts, each length-prefixed so that no two lists of parts collide."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


class AuditCache:
    """The audit's memory in CACHE_PATH/leak-audit.json, or nothing when there is no safe place for it."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.version = code_version()
        self._data: dict[str, Any] = self._load()

    @classmethod
    def for_build(cls, settings: Mapping[str, Any], output: Path) -> AuditCache:
        """The build's cache folder, unless it is missing or inside output/ (which is published)."""
        folder = settings.get("CACHE_PATH")
        if not folder:
            return cls(None)
        folder = Path(folder).resolve()
        if folder.is_relative_to(output.resolve()):
            return cls(None)
        return cls(folder / FILE_NAME)

    def _load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("version") == self.version else {}

    def key(self, parts: Iterable[bytes]) -> str:
        return fingerprint([self.version.encode(), *parts])

    def clean(self, key: str) -> dict[str, str]:
        entry = self._data.get("verdicts")
        if isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("clean"), dict):
            return entry["clean"]
        return {}

    def remember_clean(self, key: str, clean: dict[str, str]) -> None:
        self._data["verdicts"] = {"key": key, "clean": clean}

    def save(self) -> None:
        """Write atomically; a cache that cannot be written only makes the next build slower."""
        if self.path is None:
            return
        self._data["version"] = self.version
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".leak-audit-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(self._data, stream, separators=(",", ":"))
                os.replace(temporary, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
