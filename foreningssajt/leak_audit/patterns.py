"""What the audit searches for: word sequences of the protected inventory's text.

Every protected text (titles, summaries, body sentences, attachment names, the text
inside attachments) is cut into sentences and read as words the way normalise.py
reads a public file. Then:

- a sentence of WINDOW words or more gives every run of WINDOW consecutive words, so a
  cut copy (a summary, a search excerpt, one quoted clause) is caught too;
- a shorter sentence of MIN_SENTENCE_WORDS words or more is searched whole
  ("Kalle Svensson uteslöts ur föreningen");
- a title of MIN_TITLE_WORDS words or more is searched whole, and so is an attachment's
  name ("protokoll 2026 03 04 signerat pdf").

Web addresses are left out of the sequences: a link in the minutes points at a page
that prints its own address, and the words of an address are not the minutes' text.

Nothing is dropped because a public source also contains it: a volunteer's copy is
exactly the leak to find. The one way through is the protected file's own header list
``public_passages:``; a sequence inside one of its passages is not searched for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import markdown

from foreningssajt.content_rules.markdown_setup import new_markdown
from foreningssajt.members.inventory import Inventory, ProtectedFile, ProtectedItem
from foreningssajt.members.protected import sentences, split_sentences

from .documents import Unreadable, document_texts
from .normalise import reader_words

WINDOW = 6  # words in a run (issue 11: N <= 6; false alarms measured in docs/architecture.md)
MIN_SENTENCE_WORDS = 4
MIN_TITLE_WORDS = 3
MIN_NAME_WORDS = 3


@dataclass(frozen=True)
class Origin:
    """Where a protected sentence comes from, for the audit's message."""

    source: str  # content/members/minutes/x.md
    what: str  # title, summary, text, attachment name, attachment text
    sentence: str  # the sentence as written, for the message and for public_passages


@dataclass(frozen=True)
class Pattern:
    words: str  # " w1 w2 ... wn ": what the matcher looks for
    origin: Origin

    @property
    def text(self) -> str:
        return self.words.strip()


_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def patterns_for(inventory: Inventory) -> list[Pattern]:
    """Every word sequence to search for, each once, none that its own file declares public."""
    converter = new_markdown()  # the build's one Markdown configuration
    found: dict[str, Pattern] = {}
    for item in inventory:
        allowed = [reader_words(passage) for passage in item.public_passages]
        for pattern in _item_patterns(item, converter):
            if not allowed or not any(pattern.words in passage for passage in allowed):
                found.setdefault(pattern.words, pattern)
    for protected in inventory.files:
        for pattern in _file_patterns(protected):
            found.setdefault(pattern.words, pattern)
    return list(found.values())


def sequences(sentence: str, what: str) -> list[str]:
    """The word sequences one protected sentence gives (see the module's docstring)."""
    words = reader_words(_WEB_ADDRESS.sub(" ", sentence)).split()
    whole = f" {' '.join(words)} "
    if what in ("title", "attachment name"):
        minimum = MIN_TITLE_WORDS if what == "title" else MIN_NAME_WORDS
        found = [whole] if len(words) >= minimum else []
    else:
        found = [whole] if MIN_SENTENCE_WORDS <= len(words) < WINDOW else []
    if len(words) >= WINDOW:
        found += [f" {' '.join(words[i : i + WINDOW])} " for i in range(len(words) - WINDOW + 1)]
    return found


def _item_patterns(item: ProtectedItem, converter: markdown.Markdown) -> Iterator[Pattern]:
    html = item.html if item.html is not None else converter.reset().convert(item.body)
    yield from _patterns(item.source, "title", [item.title])
    yield from _patterns(item.source, "summary", sentences(item.summary))
    yield from _patterns(item.source, "text", sentences(html))
    yield from _patterns(item.source, "attachment name", [Path(name).name for name in item.attachments])


def _file_patterns(protected: ProtectedFile) -> Iterator[Pattern]:
    yield from _patterns(protected.source, "attachment name", [protected.name])
    try:
        texts = document_texts(protected.name, protected.path.read_bytes())
    except Unreadable:
        return  # its bytes are still compared
    for part in texts:
        blocks = sentences(part.text) if part.markup else part.text.splitlines()
        yield from _patterns(protected.source, "attachment text", split_sentences(blocks))


def _patterns(source: str, what: str, texts: Iterable[str]) -> Iterator[Pattern]:
    for sentence in texts:
        origin = Origin(source, what, " ".join(sentence.split()))
        for words in sequences(sentence, what):
            yield Pattern(words, origin)
