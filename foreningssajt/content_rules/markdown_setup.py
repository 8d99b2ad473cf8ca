"""The one Markdown configuration of the build: which extensions, with which settings.

The header reader converts every body with it; pelicanconf.py's MARKDOWN is made
from it (for anything of Pelican's that reads the setting), and other plugins that
need Markdown ask here instead of configuring their own.
"""

from __future__ import annotations

import copy
from typing import Any

from markdown import Markdown

from .goal_lists import GoalLists, Labels

# Order matters: extensions register their processors in this order.
EXTENSIONS: dict[str, dict[str, Any]] = {
    "markdown.extensions.extra": {},
    "markdown.extensions.sane_lists": {},
    # Headings in the body start at ## (the title is the page's #); the table of
    # contents lists ## and ###.
    "markdown.extensions.toc": {"toc_depth": "2-3"},
    # Swedish typography: ”citat” with the same mark on both sides, – for --. Our own
    # extension: smarty did the same at twice the cost of the whole conversion.
    "foreningssajt.content_rules.typography:SwedishTypography": {},
}
OUTPUT_FORMAT = "html5"


def pelican_markdown() -> dict[str, Any]:
    """The MARKDOWN setting for pelicanconf.py."""
    return {"extension_configs": copy.deepcopy(EXTENSIONS), "output_format": OUTPUT_FORMAT}


def new_markdown(goal_labels: Labels | None = None) -> Markdown:
    """A converter with the build's extensions; reuse it with .reset() between texts.

    Task lists (goal_lists.py) are part of the dialect; their words come in the
    site's language from the reader (Swedish without).
    """
    return Markdown(
        extensions=[*EXTENSIONS, GoalLists(goal_labels)],
        extension_configs=copy.deepcopy(EXTENSIONS),
        output_format=OUTPUT_FORMAT,
    )


def to_html(text: str, markdown: Markdown | None = None) -> str:
    """One Markdown text as HTML, with the build's configuration."""
    return (markdown or new_markdown()).reset().convert(text)
