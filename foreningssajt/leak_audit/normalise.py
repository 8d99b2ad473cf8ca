"""Text as a reader sees it: what the audit compares, on the protected and the public side alike.

A browser shows ``val<span>bidrag</span>``, ``val&shy;bidrag`` and ``val\u200bbidrag``
as "valbidrag", and ``&quot;Nej&quot;`` as "Nej". So before comparing, both sides are:

- unescaped: JSON ``\\uXXXX`` and ``\\n``, HTML entities (twice: a feed escapes the HTML
  it carries), percent-escapes in links;
- stripped of markup: an inline tag (span, em, a, ...) or a comment joins what is on
  either side, as a browser does; any other tag (p, li, br, td, ...) separates;
- NFKC-normalised and casefolded (ligatures, full-width letters, "Å" and "å");
- stripped of invisible characters: format characters (Unicode category Cf: soft
  hyphen, zero-width space and joiners, byte-order mark, direction marks) and the
  combining marks NFKC leaves alone (combining grapheme joiner, variation selectors);
- cut into words: everything that is not a letter or a digit separates, so every kind
  of quote, dash, space and line break is the same, and so is punctuation.

The result is the words joined by single spaces with a space at each end, so that a
multi-pattern search for " w1 w2 w3 " finds whole words only.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

from foreningssajt.members.protected import INLINE_TAGS

_JSON_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")
# JSON's \n \t \" etc.: a separator, or "första\nStyrelsen" would read as "förstanstyrelsen".
_JSON_ESCAPE = re.compile(r"\\[nrtbf\"/\\]")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _alternation(words: Iterable[str]) -> str:
    """A regular expression for any of `words`, as a trie: "s(?:amp|pan|...)?" instead of
    "samp|span|s". Python's engine tries an alternation branch by branch, so at each tag
    the trie answers in a few steps where the flat list took one per name."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}  # a word ends here
    return _branches(tree)


def _branches(node: dict[str, dict]) -> str:
    branches = [re.escape(character) + _branches(child) for character, child in sorted(node.items()) if character]
    if not branches:
        return ""
    either = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{either})?" if "" in node else either


# Two passes without a Python call per tag: inline tags and comments first, then the rest.
# Both start with "<", written once so that the engine skips ahead to the next "<".
_JOINING_TAG = re.compile(r"<(?:!--.*?--|/?" + _alternation(INLINE_TAGS) + r"(?![a-zA-Z0-9-])[^<>]*)>", re.S | re.I)
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
LONG_WORD = 64  # characters: far longer than any word a reader reads
_LONG_WORD = re.compile(rf"[^ ]{{{LONG_WORD},}}")
# Asked first as bytes (see _HEX_DIGITS): a word of LONG_WORD characters is at least
# LONG_WORD bytes, so no run of that many non-space bytes means no long word.
_NOT_SPACE = bytes(int(b != 0x20) for b in range(256))
_LONG_WORD_BYTES = b"\x01" * LONG_WORD
# Words are cut in UTF-8 bytes, in C: ASCII bytes that are no letter or digit become
# spaces, and every other byte stays (UTF-8 puts no ASCII byte inside another character).
# The few distinct characters beyond ASCII in a text are then looked at one by one
# (_role). A regular expression over every character cost four times as much.
_ASCII_SEPARATORS = bytes(b if b >= 0x80 or chr(b).isalnum() else 0x20 for b in range(256))
_ASCII_BYTES = bytes(range(0x80))
BROKEN = "\u00a4"  # ¤: not a letter or digit, so never inside a pattern
_BROKEN_BYTES = BROKEN.encode()
_HIDDEN = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')|<!--(.*?)-->""", re.S)


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
    if text.isascii():  # no format characters or marks, and nothing for NFKC to do
        data = text.lower().encode("ascii")
    else:
        # Invisible characters go after NFKC: it may make a letter and a mark no font shows apart.
        data = _without_odd_characters(unicodedata.normalize("NFKC", text).casefold())
    joined = b" ".join(data.translate(_ASCII_SEPARATORS).split()).decode("utf-8", "surrogatepass")
    if len(joined) > LONG_WORD and _has_long_word(joined):
        # Ciphertext and encoded data are one endless word: no pattern can hold it, and
        # the matcher would walk it character by character. A mark that is no word keeps
        # the words on either side from joining.
        joined = _LONG_WORD.sub(BROKEN, joined)
    return f" {joined} " if joined else " "


def _without_odd_characters(text: str) -> bytes:
    """The text as UTF-8, its invisible characters dropped and the other non-ASCII
    characters that are no letter or digit (quotes, dashes, spaces) as spaces."""
    data = text.encode("utf-8", "surrogatepass")
    beyond_ascii = set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
    changes = {character: role for character in beyond_ascii if (role := _role(character)) is not None}
    if len(changes) > MANY_CHANGES:  # binary data read as text: one pass, not one per character
        table = {ord(character): role.decode() for character, role in changes.items()}
        return text.translate(table).encode("utf-8", "surrogatepass")
    for character, role in changes.items():  # UTF-8 is self-synchronising: a whole character matches only itself
        data = data.replace(character.encode("utf-8", "surrogatepass"), role)
    return data


MANY_CHANGES = 16  # distinct characters to change; text has a few (quotes, dashes), binary data hundreds


@functools.lru_cache(maxsize=1 << 14)  # bounded: binary data may hold any of a million characters
def _role(character: str) -> bytes | None:
    """What reading does to a character beyond ASCII: b"" drops it, b" " separates, None keeps it."""
    if character == BROKEN:  # not a letter, but it marks cut-out ciphertext: kept as a word
        return None
    if unicodedata.category(character) in ("Cf", "Mn", "Me"):
        # Format characters (soft hyphen, zero-width, BOM, direction marks) and the
        # combining marks NFKC left: nothing a reader sees, so they join what is around.
        return b""
    return None if character.isalnum() else b" "


def _has_long_word(joined: str) -> bool:
    return _may_hold_run(joined, _NOT_SPACE, _LONG_WORD_BYTES) and _LONG_WORD.search(joined) is not None


def without_ciphertext(text: str) -> str:
    """Long runs of hex digits (ciphertext, see _HEX_RUN) as one ¤ each."""
    if not _may_hold_run(text, _HEX_DIGITS, _HEX_RUN_BYTES):
        return text
    return _HEX_RUN.sub(BROKEN, text)


def bytes_without_ciphertext(data: bytes) -> bytes:
    """without_ciphertext() of UTF-8 bytes, before they are decoded: the same text once
    decoded (hex digits are ASCII), and the runs are never decoded at all."""
    hex_digits = data.translate(_HEX_DIGITS)
    start = hex_digits.find(_HEX_RUN_BYTES)
    if start < 0:
        return data
    parts, done = [], 0
    while start >= 0:  # one round per run: a locked page has one or two
        end = hex_digits.find(b"\x00", start)
        end = len(data) if end < 0 else end
        parts += [data[done:start], _BROKEN_BYTES]
        done, start = end, hex_digits.find(_HEX_RUN_BYTES, end)
    parts.append(data[done:])
    return b"".join(parts)


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


def readings(text: str, markup: bool = True, ciphertext: bool = True) -> list[str]:
    """A file's text as a reader sees it, as words; for markup also what its tags carry.

    Tags are stripped before entities are undone (``&lt;b&gt;`` is text a browser
    shows), and once more after (a feed carries escaped HTML). `ciphertext`: False
    when the text holds no long hex run (bytes_without_ciphertext cut them already).
    """
    text = json_undone(without_ciphertext(text) if ciphertext else text)
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
