"""A typed model over a page Pelican read: our fields, Pelican's content and metadata.

Reports and plans are Pelican pages underneath (reading, caching, rendering) but carry
fields of their own; a model subclasses PageView instead of hanging attributes on
Pelican's object, and reaches the page's own values through these properties.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pelican.contents import Page


@dataclass(eq=False)
class PageView:
    """The Pelican page a model is made from; its values as read-only properties."""

    page: Page

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def date(self) -> dt.datetime:
        return self.page.date

    @property
    def modified(self) -> dt.datetime | None:
        return getattr(self.page, "modified", None)

    @property
    def content(self) -> str:
        return self.page.content

    @property
    def metadata(self) -> dict[str, Any]:
        return self.page.metadata

    @property
    def toc_tokens(self) -> list[dict[str, Any]]:
        return self.page.metadata.get("toc_tokens", [])

    @property
    def url(self) -> str:
        return self.page.url  # where content_rules.reading.place() put the page

    @property
    def save_as(self) -> str:
        return self.page.save_as

    @property
    def source_path(self) -> str:
        return self.page.source_path

    @property
    def source_relpath(self) -> str:
        return self.page.source_relpath

    def get_content(self, siteurl: str) -> str:
        return self.page.get_content(siteurl)
