"""Finding many protected word sequences in much text, in one pass: Aho-Corasick, and a set.

The patterns are the normalised word sequences " w1 w2 ... wn " (normalise.py), and
the text a file's normalised words, so a match is always whole words. ahocorasick-rs
(Rust's aho-corasick) builds one automaton of the patterns and reads each text once,
left to right: the cost is linear in the text whatever the number of patterns, and
overlapping matches are all reported.

Most patterns are runs of exactly one length (the audit's six-word runs: 41,000 of
42,000 with 200 protected items). Those are kept apart, as tuples of words in a set,
and the text's own runs of that length are looked up there. That finds exactly what
the automaton finds (a text is words joined by single spaces), and making the set costs
a fifth of adding them to the automaton, which then holds only the few other patterns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import ahocorasick_rs


class Matcher:
    """The patterns of `by_set` words (if given) in a set, the others in one automaton."""

    def __init__(self, patterns: Sequence[str], by_set: int | None = None) -> None:
        self.patterns = list(patterns)
        first: dict[str, int] = {}  # each distinct sequence once, by its first index
        self._same: dict[int, list[int]] = {}  # a pattern given twice: the first index stands for all
        for index, words in enumerate(self.patterns):
            if not words.strip():  # an empty pattern stands for nothing
                continue
            if words in first:
                self._same.setdefault(first[words], [first[words]]).append(index)
            else:
                first[words] = index
        self._by_set = by_set or 0
        self._runs: dict[tuple[str, ...], int] = {}  # the patterns of by_set words, as tuples of words
        others: dict[str, int] = {}
        for words, index in first.items():
            split = tuple(words.split())
            if len(split) == self._by_set:
                self._runs[split] = index
            else:
                others[words] = index
        self._indexes = list(others.values())  # the automaton's pattern number -> ours
        self._automaton = (
            ahocorasick_rs.AhoCorasick(list(others), implementation=ahocorasick_rs.Implementation.ContiguousNFA)
            if others
            else None  # an automaton needs at least one pattern
        )
        self.characters = 0  # text read, over all searches (the bench and the tests look)

    def found_in(self, texts: Iterable[str]) -> set[int]:
        """The indexes of the patterns occurring in any of the normalised texts."""
        found: set[int] = set()
        for text in texts:
            self.characters += len(text)
            if self._runs:
                found.update(self._runs_in(text))
            if self._automaton is not None:
                found.update(self._indexes[n] for n, _, _ in self._automaton.find_matches_as_indexes(text, True))
        for index in found & self._same.keys():
            found.update(self._same[index])
        return found

    def _runs_in(self, text: str) -> list[int]:
        words = text.split()
        if self._runs.keys().isdisjoint(self._runs_of(words)):  # the usual answer, without a set of the text's runs
            return []
        return [self._runs[run] for run in self._runs.keys() & set(self._runs_of(words))]

    def _runs_of(self, words: list[str]) -> Iterator[tuple[str, ...]]:
        """Every run of by_set consecutive words, as a tuple."""
        return zip(*(words[start:] for start in range(self._by_set)), strict=False)
