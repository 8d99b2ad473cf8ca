"""Finding many protected word sequences in much text, in one pass.

Text is compared as words: unescaped (HTML entities, JSON \\u escapes), Unicode
normalised (NFKC), casefolded, and split on everything that is not a letter or a
digit. Markup, punctuation, line breaks, typographic quotes and Markdown emphasis
then make no difference: "Styrelsen **beslöt**" and "styrelsen beslöt" are the same.

The search is Aho-Corasick over words: one automaton holds every pattern, and the
text is read once, left to right. Each word costs one transition plus failure-link
hops, and hops never exceed the words read so far (each hop makes the current match
shorter, each word makes it at most one longer), so the work is linear in the text,
whatever the number of patterns. ``Matcher.steps`` counts that work for the tests.

``Matcher.found_in`` gives the same matches as ``search`` more cheaply on real output:
a word no pattern contains sends the automaton back to the start, so a match lies
inside one run of pattern words, and the short runs (menus, footers, markup) repeat
on every page: each distinct short run is searched once per build and remembered.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from html import unescape
from urllib.parse import unquote

_WORD = re.compile(r"[^\W_]+")
_JSON_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")
# JSON's \n \t \" etc.: a separator, or "första\nStyrelsen" would read as "nstyrelsen".
_JSON_ESCAPE = re.compile(r"\\[nrtbf\"/\\]")
_TAG = re.compile(r"<[^>]*>")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
# Characters whose NFKC form makes or takes a "<" or ">": with none of them in a text,
# normalising before or after finding the tags gives the same words (see markup_words).
_NORMALISES_BRACKETS = re.compile("[\ufe64\ufe65\uff1c\uff1e\u0338]")
MEMO_RUN_WORDS = 64  # longer runs are running text, which seldom repeats
MEMO_RUNS = 400_000  # a bound on memory: about 60 MB at worst
FILTER_WORDS = 4  # four protected words in a row seldom occur by chance, even in a small vocabulary
# A run's own automaton (of the patterns that may occur in it) is built if it has at most
# this many words per word of the run; else the full automaton is built, once.
SMALL_AUTOMATON_WORDS_PER_WORD = 4


def unescaped(text: str) -> str:
    """Text as a reader would see it: JSON, HTML (twice: feeds escape HTML) and URL escapes undone."""
    if "\\" in text:
        text = _JSON_UNICODE.sub(lambda m: chr(int(m[1], 16)), text)
        text = _JSON_ESCAPE.sub(" ", text)
    if "&" in text:
        text = unescape(unescape(text))
    # Share links and data: URLs carry text percent-encoded. Without a valid %XX unquote
    # changes nothing, but it is slow on text with many non-ASCII characters (binary search index files).
    if "%" in text and _PERCENT_ESCAPE.search(text):
        text = unquote(text)
    return text


def words(text: str) -> list[str]:
    """The words of already unescaped text, normalised for comparison."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def text_words(text: str) -> list[str]:
    """The words of any text (escaped or not): what a protected snippet is made of."""
    return words(_TAG.sub(" ", unescaped(text)))


def without_tags(text: str) -> str:
    return _TAG.sub(" ", text)


def markup_words(text: str) -> tuple[list[str], list[str]]:
    """``(words(text), words(without_tags(text)))``, normalising the text once instead of twice.

    NFKC works character by character around "<", ">" and spaces (checked over all of
    Unicode), except for the few characters _NORMALISES_BRACKETS lists; texts with one
    of those take the slow way.
    """
    if _NORMALISES_BRACKETS.search(text):
        return words(text), words(without_tags(text))
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(folded), _WORD.findall(_TAG.sub(" ", folded))


class Matcher:
    """An Aho-Corasick automaton over words for a fixed list of word sequences."""

    def __init__(self, patterns: Sequence[Sequence[str]]) -> None:
        self.patterns = [tuple(p) for p in patterns]
        self._goto: list[dict[str, int]] = []  # built on the first search (_build): often none is needed
        self._fail: list[int] = []
        self._out: list[tuple[int, ...]] = []
        self.steps = 0  # transitions + failure hops over all searches
        self._vocabulary = frozenset(word for pattern in self.patterns for word in pattern)
        self._memo: dict[tuple[str, ...], tuple[int, ...]] = {}
        # found_in's filter: every occurrence of a pattern begins with one of these word tuples.
        self._starts: dict[int, set[tuple[str, ...]]] = {}
        self._by_start: dict[tuple[str, ...], list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            if pattern:
                self._starts.setdefault(min(len(pattern), FILTER_WORDS), set()).add(pattern[:FILTER_WORDS])
                self._by_start.setdefault(pattern[:FILTER_WORDS], []).append(index)

    def _build(self) -> None:
        self._goto, self._fail, self._out = [{}], [0], [()]
        for index, pattern in enumerate(self.patterns):
            if pattern:
                self._add(index, pattern)
        self._link()

    def _add(self, index: int, pattern: tuple[str, ...]) -> None:
        node = 0
        for word in pattern:
            child = self._goto[node].get(word)
            if child is None:
                child = len(self._goto)
                self._goto[node][word] = child
                self._goto.append({})
                self._fail.append(0)
                self._out.append(())
            node = child
        self._out[node] += (index,)

    def _link(self) -> None:
        queue = deque(self._goto[0].values())  # depth 1: fail to the root
        while queue:
            node = queue.popleft()
            for word, child in self._goto[node].items():
                queue.append(child)
                fallback = self._fail[node]
                while fallback and word not in self._goto[fallback]:
                    fallback = self._fail[fallback]
                self._fail[child] = self._goto[fallback].get(word, 0)
                # A match ending here also ends every pattern that is a suffix of it.
                self._out[child] += self._out[self._fail[child]]

    def search(self, text_words: Iterable[str]) -> Iterator[tuple[int, int]]:
        """Yield (index of the last word, pattern index) for every occurrence."""
        if not self._goto:
            self._build()
        goto, fail, out, vocabulary = self._goto, self._fail, self._out, self._vocabulary
        node = steps = 0
        for position, word in enumerate(text_words):
            steps += 1
            if word not in vocabulary:  # no pattern has this word: back to the start
                node = 0
                continue
            while node and word not in goto[node]:
                node = fail[node]
                steps += 1
            node = goto[node].get(word, 0)
            if out[node]:
                self.steps += steps
                steps = 0
                for index in out[node]:
                    yield position, index
        self.steps += steps

    def found(self, text_words: Iterable[str]) -> set[int]:
        """The indexes of the patterns that occur at least once."""
        return {index for _, index in self.search(text_words)}

    def found_in(self, text_words: list[str]) -> list[int]:
        """The indexes of the patterns that occur, in the order ``search`` yields them (repeats included).

        The text is cut at words no pattern contains (groupby runs in C); each run is
        searched alone, and a short run seen before costs one look-up. A run is searched
        only for the patterns whose first FILTER_WORDS words (or whole pattern, if shorter)
        occur in it: a test of every position done in C, which no occurrence can pass
        unseen (_search_run). Steps: one per word outside the runs, one per word of a
        remembered run (hashed once more), one per word and pattern length up to
        FILTER_WORDS for the filter, and for the runs searched the words of their own
        automaton (at most SMALL_AUTOMATON_WORDS_PER_WORD per word) and ``search``'s
        steps: at most FILTER_WORDS + 6 per word.
        """
        found: list[int] = []
        memo, inside = self._memo, 0
        for in_vocabulary, group in itertools.groupby(text_words, self._vocabulary.__contains__):
            if not in_vocabulary:
                continue
            run = tuple(group)
            inside += len(run)
            hit = memo.get(run) if len(run) <= MEMO_RUN_WORDS else None
            if hit is None:
                self.steps += len(run) * len(self._starts)  # one pass of the filter per length
                hit = self._search_run(run)
                if len(run) <= MEMO_RUN_WORDS and len(memo) < MEMO_RUNS:
                    memo[run] = hit
            else:
                self.steps += len(run)
            found += hit
        self.steps += len(text_words) - inside  # the words outside every run: one step each
        return found

    def _search_run(self, run: tuple[str, ...]) -> tuple[int, ...]:
        """``search`` on one run, with an automaton of only the patterns whose first words occur in it.

        The full automaton is built only for a run with more candidates than a few times
        its length, so the work stays linear. Matches come in ``search``'s order: by end
        position, then longest first (a node's own patterns before its suffixes'), then index.
        """
        starts = [s.intersection(zip(*(run[i:] for i in range(n)), strict=False)) for n, s in self._starts.items()]
        fits = len(run)
        candidates = sorted(
            {i for group in starts for start in group for i in self._by_start[start] if len(self.patterns[i]) <= fits}
        )
        if not candidates:
            return ()
        size = sum(len(self.patterns[index]) for index in candidates)
        if size > SMALL_AUTOMATON_WORDS_PER_WORD * len(run):
            return tuple(index for _, index in self.search(run))
        small = Matcher([self.patterns[index] for index in candidates])
        found = sorted((end, -len(small.patterns[i]), candidates[i]) for end, i in small.search(run))
        self.steps += size + small.steps
        return tuple(index for _, _, index in found)
