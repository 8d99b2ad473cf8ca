"""Reading one content folder for a plugin's own generator.

Plans, reports, events and members' items are not Pelican articles or pages: each
plugin reads its own folder with Pelican's readers (so caching, the strict header
checks and Markdown settings all apply) and gives the items their own URLs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pelican.contents import Page
from pelican.readers import Readers

from foreningssajt.siteconfig.errors import SiteError

log = logging.getLogger(__name__)


def read_folder(generator: Any, folder: str, content_class: type = Page) -> list[Page]:
    """Every Markdown file under content/<folder>/, read and checked; bad files are skipped.

    Errors are already collected by the reader, so the build fails after reading
    everything and lists each mistake once.
    """
    items = []
    readers = _caching_readers(generator)
    for path in sorted(generator.get_files(folder)):
        try:
            item = readers.read_file(
                base_path=generator.path, path=path, content_class=content_class, context=generator.context
            )
        except SiteError:
            continue
        item.source_relpath = path
        items.append(item)
    readers.save_cache()
    return items


def _caching_readers(generator: Any) -> Readers:
    """The generator's readers, with Pelican's content cache switched on.

    Pelican gives a reader cache only to its own article and page generators; a plugin
    generator's folder would otherwise be read again in full on every warm build.
    """
    readers = getattr(generator, "_caching_readers", None)
    if readers is None:
        readers = Readers(generator.settings, f"{type(generator).__name__}-Readers")
        generator._caching_readers = readers
    return readers


def place(item: Page, url: str) -> None:
    """Give an item its URL; the file is url/index.html, so links stay short."""
    item.override_url = url
    item.override_save_as = url + "index.html"


def unique_urls(items: list[Page], report: Callable[[SiteError], None]) -> None:
    """Two files that would be written to one place are a mistake, not a silent overwrite."""
    seen: dict[str, Page] = {}
    for item in items:
        other = seen.setdefault(item.save_as, item)
        if other is not item:
            report(
                SiteError(
                    item.source_relpath, "", f"would be written over {other.source_relpath}; change its date or slug"
                )
            )
