"""Helpers for the members' area tests: reading protected sources and built output.

Deliberately simple and independent of plugins/leak_audit: if the audit had a blind
spot, these plain substring checks should not share it.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import yaml

_TAG = re.compile(r"<[^>]+>")
_MARKDOWN = re.compile(r"[*_#>`]|^\s*[-+]\s|^\s*\d+\.\s", re.M)
PAYLOAD = re.compile(r'<script type="application/json" id="members-payload"[^>]*>(.*?)</script>', re.S)


def flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_output(output: Path) -> dict[str, str]:
    """Every file's text (gzip decompressed, entities undone), with and without tags."""
    texts = {}
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = html.unescape(html.unescape(data.decode("utf-8", errors="replace")))
        texts[path.relative_to(output).as_posix()] = flat(text) + "\n" + flat(_TAG.sub(" ", text))
    return texts


def split_source(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, header, body = text.split("---", 2)
    return yaml.safe_load(header), body


def protected_sources(content: Path) -> list[Path]:
    """Markdown under content/members/, and calendar events marked members_only."""
    events = [p for p in sorted((content / "events").rglob("*.md")) if split_source(p)[0].get("members_only")]
    return sorted((content / "members").rglob("*.md")) + events


def protected_phrases(content: Path, public_text: str) -> list[tuple[str, str]]:
    """(source, phrase) for titles and body sentences of 4+ words not also in public sources."""
    phrases = []
    for path in protected_sources(content):
        header, body = split_source(path)
        candidates = [str(header["title"]), *re.split(r"(?<=[.!?])\s+|\n", _MARKDOWN.sub("", body))]
        for phrase in candidates:
            phrase = flat(phrase)
            if len(phrase.split()) >= 4 and phrase not in public_text:
                phrases.append((path.name, phrase))
    return phrases


def public_source_text(content: Path) -> str:
    protected = set(protected_sources(content))
    texts = [p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md")) if p not in protected]
    return flat(_MARKDOWN.sub("", "\n".join(texts)))


def protected_pages(output: Path) -> list[Path]:
    return sorted((output / "medlem").rglob("index.html"))
