"""Full-text search of the public site with Pagefind.

page.py writes the search page /sok/ (a generator); indexing.py runs Pagefind over the
public HTML as a step of foreningssajt/cli/build.py, after Pelican and before the leak audit.
"""

from pelican import signals

from .page import SearchPageGenerator


def get_generators(pelican: object) -> type:
    return SearchPageGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
