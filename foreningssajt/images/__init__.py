"""Images for the web: sizes, modern formats, no metadata, share cards.

Templates get `picture()`, `share_image()` and the `responsive` filter (share cards
are drawn in a second process, waited for when Pelican is done); after the
build the published originals are replaced by clean copies. The members' generator
calls cleaning.clean_image_bytes() itself, before it encrypts an image.
"""

from pelican import signals

from foreningssajt.siteconfig.session import session_of

from .cleaning import clean_image_bytes
from .static_files import clean_published
from .template_api import install

__all__ = ["clean_image_bytes"]


def _generator_init(generator: object) -> None:
    install(generator)


def _finalized(pelican: object) -> None:
    session = session_of(pelican.settings)
    # The share cards drawn in the background are in output/ before any later step
    # (sitemap, search, leak audit) reads it; a failed card fails the build here.
    with session.stats.stage("share_cards_wait"):
        session.stats.count("share_cards_drawn", session.background.wait())
    clean_published(pelican.settings)


def register() -> None:
    signals.generator_init.connect(_generator_init)
    signals.finalized.connect(_finalized)
