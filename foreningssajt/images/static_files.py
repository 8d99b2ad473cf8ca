"""The originals Pelican copies from content/images/: replaced by clean, web-sized copies.

Pelican publishes each static file as it is; for a phone photo that means 4032 px,
several megabytes and the GPS position in its EXIF. After the build has written them,
each raster image in output/ is replaced by the same picture without metadata, at
most 2400 px wide. Volunteers are warned about originals too big to be sensible.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from foreningssajt.siteconfig.errors import N_, SiteError, message_catalogue, relative
from foreningssajt.siteconfig.session import session_of

from .cleaning import is_clean, is_raster
from .publish import cache_folder
from .variants import FULL_WIDTH, HUGE_BYTES, HUGE_PIXELS, ImageCache, copy_to

HUGE = N_("bilden är {width}×{height} pixlar och {megabytes} MB; mindre räcker (till exempel 2400 pixlar bred)")


def public_images(settings: dict[str, Any]) -> list[tuple[Path, str]]:
    """(source, path under output/) of every raster image in the public static folders."""
    content = Path(settings["PATH"])
    found = []
    for folder in settings.get("STATIC_PATHS", []):
        base = content / folder
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        found += [(path, path.relative_to(content).as_posix()) for path in files if is_raster(path)]
    return found


def clean_published(settings: dict[str, Any]) -> None:
    """Replace each published original by its clean copy; broken ones become problems."""
    session = session_of(settings)
    output = Path(settings["OUTPUT_PATH"])
    cache = ImageCache(cache_folder(settings))
    for source, relpath in public_images(settings):
        target = output / relpath
        if not target.exists():
            continue  # not published (excluded): nothing to clean
        shown = relative(source, session.root)
        data = source.read_bytes()
        try:
            info = cache.info(data, shown)
            width = min(info.width, FULL_WIDTH)
            (cached,) = cache.variants(data, shown, info, [(width, info.fallback)])
        except SiteError as error:
            target.unlink()  # a file we cannot clean is never published as it is
            session.problems.add(error)
            continue
        # A small file with nothing to strip is published as it is: no second JPEG loss.
        copy_to(source if width == info.width and is_clean(data) else cached, target)
        if max(info.width, info.height) > HUGE_PIXELS or len(data) > HUGE_BYTES:
            warn(session.language, SiteError(shown, "image", HUGE, **_size(info, data)))


def _size(info: Any, data: bytes) -> dict[str, Any]:
    return {"width": info.width, "height": info.height, "megabytes": f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")}


def warn(language: str, warning: SiteError) -> None:
    # The session collects problems that stop a build; a warning lets it finish, so it is
    # said on stderr, in the same one-line form.
    prefix = "varning" if language != "en" else "warning"
    print(f"{prefix}: {warning.render(message_catalogue(language))}", file=sys.stderr)
