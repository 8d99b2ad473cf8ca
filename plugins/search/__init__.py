"""Full-text search of the public site with Pagefind.

page.py writes the search page /sok/; indexing.py runs Pagefind over the public HTML
when the build is finished, before the leak audit (both on `finalized`; Pelican calls
receivers in plugin order, so "search" stands before "leak_audit" in PLUGINS).
"""

from pelican import signals

from .indexing import index_site
from .page import SearchPageGenerator


def get_generators(pelican: object) -> type:
    return SearchPageGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_site)
