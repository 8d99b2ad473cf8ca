"""Finding many protected word sequences in much text, in one pass: Aho-Corasick.

The patterns are the normalised word sequences " w1 w2 ... wn " (normalise.py), and
the text a file's normalised words, so a match is always whole words. ahocorasick-rs
(Rust's aho-corasick) builds one automaton of every pattern and reads each text once,
left to right: the cost is linear in the text whatever the number of patterns, and
overlapping matches are all reported. Its contiguous automaton is compact, so it stays
in the processor's cache between files: over a cold build's output (7.7 million
characters, 22,600 patterns) it reads in 0.08 s what pyahocorasick read in 0.2-0.3 s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ahocorasick_rs


class Matcher:
    """One automaton over a fixed list of normalised word sequences."""

    def __init__(self, patterns: Sequence[str]) -> None:
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
        self._indexes = list(first.values())  # the automaton's pattern number -> ours
        self._automaton = (
            ahocorasick_rs.AhoCorasick(list(first), implementation=ahocorasick_rs.Implementation.ContiguousNFA)
            if first
            else None  # an automaton needs at least one pattern
        )
        self.characters = 0  # text read, over all searches (the bench and the tests look)

    def found_in(self, texts: Iterable[str]) -> set[int]:
        """The indexes of the patterns occurring in any of the normalised texts."""
        found: set[int] = set()
        if self._automaton is None:
            return found
        for text in texts:
            self.characters += len(text)
            found.update(self._indexes[n] for n, _, _ in self._automaton.find_matches_as_indexes(text, True))
        for index in found & self._same.keys():
            found.update(self._same[index])
        return found
