"""Which protected text to search for: distinctive word sequences, not ordinary phrases.

A protected sentence is searched for as overlapping windows of WINDOW words, so that
a truncated copy (a summary, a search excerpt, a meta description) is caught too;
a shorter sentence counts whole if it is long enough to be distinctive. Titles and
attachment names count whole. Anything the association also wrote in its public
sources (public content, site.yml, the theme) is not a leak and is dropped: that is
what keeps "Välkomna till medlemsmötet" on a public page from failing the build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from members.protected import Protected

from .matcher import text_words

WINDOW = 8  # words: eight in a row from a protected sentence is no coincidence
MIN_SENTENCE_WORDS = 6
MIN_SENTENCE_CHARS = 40
MIN_PHRASE_WORDS = 3  # below this even a long text is one or two long words
MIN_TITLE_WORDS = 3
MIN_TITLE_CHARS = 20
MIN_NAME_CHARS = 12  # attachment names: "bilaga.pdf" is generic, "budget-2027-utkast.pdf" is not
PUBLIC_SOURCE_SUFFIXES = {".md", ".markdown", ".html", ".txt", ".yml", ".yaml", ".po", ".j2"}


@dataclass(frozen=True)
class Pattern:
    words: tuple[str, ...]
    origin: Protected

    @property
    def text(self) -> str:
        return " ".join(self.words)


def patterns_for(texts: Iterable[Protected]) -> list[Pattern]:
    """Distinctive word sequences of the protected texts, each once."""
    seen: dict[tuple[str, ...], Pattern] = {}
    for protected in texts:
        for sequence in _sequences(protected):
            seen.setdefault(sequence, Pattern(sequence, protected))
    return list(seen.values())


def _sequences(protected: Protected) -> list[tuple[str, ...]]:
    found = tuple(text_words(protected.text))
    length = len(" ".join(found))
    if protected.kind == "title":
        return [found] if len(found) >= MIN_TITLE_WORDS and length >= MIN_TITLE_CHARS else []
    if protected.kind == "attachment name":
        return [found] if len(found) >= 2 and length >= MIN_NAME_CHARS else []
    if len(found) > WINDOW:
        return [found[i : i + WINDOW] for i in range(len(found) - WINDOW + 1)]
    if len(found) >= MIN_SENTENCE_WORDS or (len(found) >= MIN_PHRASE_WORDS and length >= MIN_SENTENCE_CHARS):
        return [found]
    return []


def site_sources(content: Path, members_folder: str, site_root: Path, theme: Path) -> tuple[list[Path], list[Path]]:
    """(public sources, members-only events), each file's header read once.

    Public sources are the files the association publishes on purpose: public content,
    site.yml, the theme's text. Calendar events marked members_only are protected,
    though they sit in public content (Markdown files named *.md).
    """
    members = (content / members_folder).resolve()
    public = [site_root / "site.yml"] if (site_root / "site.yml").is_file() else []
    members_only = []
    for root in (content, theme / "templates", theme / "translations"):
        for path in sorted(root.rglob("*"), key=lambda path: path.parts) if root.is_dir() else ():
            if path.suffix not in PUBLIC_SOURCE_SUFFIXES or not path.is_file():
                continue
            if path.resolve().is_relative_to(members):
                continue
            if not _members_only(path):
                public.append(path)
            elif root == content and path.name.endswith(".md"):
                members_only.append(path)
    return public, members_only


def _members_only(path: Path) -> bool:
    """A calendar event marked members_only is protected, though it sits in public content."""
    if path.suffix not in (".md", ".markdown"):
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---") or "members_only" not in text:
        return False
    header = text.split("---", 2)[1] if text.count("---") >= 2 else ""
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError:
        return True  # unreadable: treat as protected, the safe side for the audit
    return isinstance(data, dict) and data.get("members_only") is True
