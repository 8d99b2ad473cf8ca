"""Text as a reader sees it: what the audit compares, on the protected and the public side alike.

A browser shows ``val<span>bidrag</span>``, ``val&shy;bidrag`` and ``val\u200bbidrag``
as "valbidrag", and ``&quot;Nej&quot;`` as "Nej". So before comparing, both sides are:

- unescaped: JSON ``\\uXXXX`` and ``\\n``, HTML entities (twice: a feed escapes the HTML
  it carries), percent-escapes in links;
- stripped of markup: an inline tag (span, em, a, ...) or a comment joins what is on
  either side, as a browser does; any other tag (p, li, br, td, ...) separates;
- stripped of invisible characters: format characters (Unicode category Cf: soft
  hyphen, zero-width space and joiners, byte-order mark, direction marks) and the
  combining marks NFKC leaves alone (combining grapheme joiner, variation selectors);
- NFKC-normalised and casefolded (ligatures, full-width letters, "Å" and "å");
- cut into words: everything that is not a letter or a digit separates, so every kind
  of quote, dash, space and line break is the same, and so is punctuation.

The result is the words joined by single spaces with a space at each end, so that a
multi-pattern search for " w1 w2 w3 " finds whole words only.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import unicodedata
from urllib.parse import unquote

from foreningssajt.members.protected import INLINE_TAGS

_JSON_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")
# JSON's \n \t \" etc.: a separator, or "första\nStyrelsen" would read as "förstanstyrelsen".
_JSON_ESCAPE = re.compile(r"\\[nrtbf\"/\\]")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
# Two passes without a Python call per tag: inline tags and comments first, then the rest.
_JOINING_TAG = re.compile(
    r"<!--.*?-->|</?(?:" + "|".join(sorted(INLINE_TAGS, key=len, reverse=True)) + r")(?![a-zA-Z0-9-])[^<>]*>",
    re.S | re.I,
)
_ANY_TAG = re.compile(r"<[^<>]*>")
# Ciphertext (the members' pages, their .bin files) is long runs of hex: cut them out
# before anything else reads the text, so that no later pass walks them.
HEX_RUN = 256  # characters: far longer than any word, shorter than any ciphertext the site writes
_HEX_RUN = re.compile(rf"[0-9a-f]{{{HEX_RUN},}}")
# The same question as bytes, much faster: hex digits as 1, everything else as 0. The
# regex walks the text position by position; most text has no ciphertext, and a
# byte search answers that in one pass in C. (Hex digits are ASCII, and UTF-8 puts no
# ASCII bytes inside another character, so the bytes hold a run exactly when the text does.)
_HEX_DIGITS = bytes(int(chr(b) in "0123456789abcdef") for b in range(256))
_HEX_RUN_BYTES = b"\x01" * HEX_RUN
_NOT_WORD = re.compile(r"(?:[^\w\u00a4]|_)+")  # ¤ (BROKEN) is kept: it marks cut-out ciphertext
# The same separators in a text without ¤: one character class, twice as fast as the
# alternation above (most text, and the longest: pages without ciphertext).
_NOT_WORD_PLAIN = re.compile(r"[\W_]+")
LONG_WORD = 64  # characters: far longer than any word a reader reads
_LONG_WORD = re.compile(rf"[^ ]{{{LONG_WORD},}}")
# Asked first as bytes (see _HEX_DIGITS): a word of LONG_WORD characters is at least
# LONG_WORD bytes, so no run of that many non-space bytes means no long word.
_NOT_SPACE = bytes(int(b != 0x20) for b in range(256))
_LONG_WORD_BYTES = b"\x01" * LONG_WORD
BROKEN = "\u00a4"  # ¤: not a letter or digit, so never inside a pattern
_HIDDEN = re.compile(r"""=\s*"([^"]*)"|=\s*'([^']*)'|<!--(.*?)-->""", re.S)
# A character class with characters outside the Basic Multilingual Plane makes Python's
# regex engine test its ranges one by one (twenty times slower), so the few invisible
# ones out there (tag characters, variation selectors) are found another way.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BMP = (range(0xD800), range(0xE000, 0x10000))
_OTHER_PLANES = (range(0x10000, 0x20000), range(0xE0000, 0xE1000))  # planes 2, 3: ideographs; 14: to E01EF


def _invisible_in(planes: tuple[range, ...]) -> list[int]:
    """Format characters (Cf) and combining marks (Mn, Me) NFKC leaves: nothing a reader sees."""
    return [c for c in itertools.chain(*planes) if unicodedata.category(chr(c)) in ("Cf", "Mn", "Me")]


@functools.cache
def _invisible_bmp() -> re.Pattern[str]:
    runs: list[list[int]] = []
    for c in _invisible_in(_BMP):
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + "]+")


@functools.cache
def _invisible_astral() -> frozenset[str]:
    return frozenset(chr(c) for c in _invisible_in(_OTHER_PLANES))


def without_invisible(text: str) -> str:
    """The text without the characters a browser does not show (see the module's docstring)."""
    text = _invisible_bmp().sub("", text)
    for character in set(_ASTRAL.findall(text)) & _invisible_astral():
        text = text.replace(character, "")
    return text


def unescaped(text: str) -> str:
    """JSON, HTML (twice: feeds escape the HTML they carry) and URL escapes undone."""
    return entities_undone(json_undone(text))


def json_undone(text: str) -> str:
    if "\\" in text:
        text = _JSON_UNICODE.sub(lambda m: chr(int(m[1], 16)), text)
        text = _JSON_ESCAPE.sub(" ", text)
    return text


def entities_undone(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
        if "&" in text:
            text = html.unescape(text)
    if "%" in text and _PERCENT_ESCAPE.search(text):
        text = unquote(text)
    return text


def without_markup(text: str) -> str:
    """What a browser shows of HTML or XML: inline tags and comments join, other tags separate."""
    return _ANY_TAG.sub(" ", _JOINING_TAG.sub("", text))


def hidden_parts(text: str) -> str:
    """What markup carries besides the text shown: attribute values (meta descriptions, alt
    texts, links) and comments, one per line."""
    return "\n".join(a or b or c for a, b, c in _HIDDEN.findall(text))


def reader_words(text: str) -> str:
    """Unescaped plain text as words: ' w1 w2 ... ' (see the module's docstring)."""
    # ASCII has no format characters or marks and nothing for NFKC to do. Invisible
    # characters go after NFKC: it may make a letter and a mark no font shows apart.
    text = text.lower() if text.isascii() else without_invisible(unicodedata.normalize("NFKC", text)).casefold()
    joined = (_NOT_WORD if BROKEN in text else _NOT_WORD_PLAIN).sub(" ", text).strip()
    if len(joined) > LONG_WORD and _has_long_word(joined):
        # Ciphertext and encoded data are one endless word: no pattern can hold it, and
        # the matcher would walk it character by character. A mark that is no word keeps
        # the words on either side from joining.
        joined = _LONG_WORD.sub(BROKEN, joined)
    return f" {joined} " if joined else " "


def _has_long_word(joined: str) -> bool:
    return _may_hold_run(joined, _NOT_SPACE, _LONG_WORD_BYTES) and _LONG_WORD.search(joined) is not None


def without_ciphertext(text: str) -> str:
    """Long runs of hex digits (ciphertext, see _HEX_RUN) as one ¤ each."""
    if not _may_hold_run(text, _HEX_DIGITS, _HEX_RUN_BYTES):
        return text
    return _HEX_RUN.sub(BROKEN, text)


def _may_hold_run(text: str, table: bytes, run: bytes) -> bool:
    """The byte question of _HEX_DIGITS: whether the text's bytes, mapped by `table` to 1
    (in the class) and 0, hold `run` (so many 1s in a row). False means no such run."""
    return run in text.encode("utf-8", "surrogatepass").translate(table)


def without_accents(words: str) -> str:
    """Words as a URL slug writes them: ö as o, å as a (only file names are compared so)."""
    if words.isascii():
        return words
    decomposed = unicodedata.normalize("NFKD", words)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def readings(text: str, markup: bool = True) -> list[str]:
    """A file's text as a reader sees it, as words; for markup also what its tags carry.

    Tags are stripped before entities are undone (``&lt;b&gt;`` is text a browser
    shows), and once more after (a feed carries escaped HTML).
    """
    text = json_undone(without_ciphertext(text))
    if not markup or "<" not in text:
        return [reader_words(entities_undone(text))]
    shown = entities_undone(without_markup(text))
    found = [reader_words(shown), reader_words(entities_undone(hidden_parts(text)))]
    if "<" in shown:
        unwrapped = without_markup(shown)
        if unwrapped != shown:  # the same text reads as the same words: no need to read it twice
            found.append(reader_words(unwrapped))
    return found


def seen_text(text: str, markup: bool = True) -> str:
    """All of readings() in one string (for tests and short texts)."""
    return " ".join(readings(text, markup))
