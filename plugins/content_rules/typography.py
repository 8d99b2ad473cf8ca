"""Swedish typography for plain-text fields such as titles.

Markdown bodies get the same treatment from Python-Markdown's smarty extension
(configured in pelicanconf.py); titles are not Markdown, so they get it here.
Swedish uses the same mark, ”, to open and close a quotation.
"""

import re

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
