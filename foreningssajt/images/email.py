"""Images for the newsletter's email edition: clean, and at most 1200 px wide.

An email carries its images inline; a 4 MB phone photo in each of hundreds of inboxes
is slow on a phone and may get the letter refused. Same cache as the site's images.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .cleaning import is_clean, is_raster
from .publish import cache_folder
from .variants import EMAIL_WIDTH, ImageCache


def email_image(path: Path, settings: dict[str, Any], shown: str) -> Path:
    """The file to attach for this public image: a cached clean copy for photos, SVG as it is."""
    if not is_raster(path):
        return path
    cache = ImageCache(cache_folder(settings))
    data = path.read_bytes()
    info = cache.info(data, shown)
    if info.width <= EMAIL_WIDTH and is_clean(data):
        return path  # nothing to strip, nothing to shrink: the public file itself
    (copy,) = cache.variants(data, shown, info, [(min(info.width, EMAIL_WIDTH), info.fallback)])
    return copy
