"""Swedish typography: ” for quotes (the same mark opens and closes), – and — for dashes.

Titles get it from swedish_typography(); Markdown bodies from SwedishTypography, a
Markdown extension (pelicanconf.py's MARKDOWN) that applies the same rules to the
text of the parsed document. It replaces Python-Markdown's smarty extension, which
did the same with a dozen inline patterns and doubled the cost of every conversion
(bench/README.md). Code spans and blocks are left alone (Markdown marks their text
as AtomicString), so are attributes, raw HTML and backslash-escaped characters.
"""

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

_REPLACEMENTS = [
    (re.compile(r"---"), "—"),
    (re.compile(r"(?<=\s)--?(?=\s)"), "–"),  # a spaced hyphen is a tankstreck
    (re.compile(r"--"), "–"),
    (re.compile(r'"'), "”"),
    (re.compile(r"'"), "’"),
]


def swedish_typography(text: str) -> str:
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text


_ELLIPSIS = re.compile(r"\.\.\.")


def _body_typography(text: str) -> str:
    return _ELLIPSIS.sub("…", swedish_typography(text))


class _TypographyProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.text and not isinstance(element.text, AtomicString):
                element.text = _body_typography(element.text)
            if element.tail and not isinstance(element.tail, AtomicString):
                element.tail = _body_typography(element.tail)


class SwedishTypography(Extension):
    """Markdown extension: Swedish typography in the text of the document."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After "inline" (20), which turns emphasis, links and code into elements;
        # before "unescape" (0), so a backslash-escaped \" stays straight.
        md.treeprocessors.register(_TypographyProcessor(md), "swedish_typography", 15)
        # As smarty did: \" and \' are escapes, for a straight mark where one is meant.
        md.ESCAPED_CHARS.extend(char for char in "\"'" if char not in md.ESCAPED_CHARS)


def makeExtension(**kwargs: object) -> SwedishTypography:
    return SwedishTypography(**kwargs)
