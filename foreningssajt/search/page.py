"""The search page, /sok/: a form that works without JavaScript and, with it, results."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

SEARCH_PAGE_URL = "sok/"


class SearchPageGenerator(Generator):
    """Writes /sok/ from the theme's search.html, also when indexing is skipped."""

    def generate_context(self) -> None:
        # Templates (the header's search form) link here.
        self.context["SEARCH_PAGE_URL"] = SEARCH_PAGE_URL
        self.context["SEARCH_INDEXED"] = bool(self.settings.get("SEARCH", True))

    def generate_output(self, writer: Any) -> None:
        writer.write_file(
            SEARCH_PAGE_URL + "index.html", self.get_template("search"), self.context, page_url=SEARCH_PAGE_URL
        )
