"""One build's public images: variants written to output/, <picture> markup for templates.

Only images under the public static folders (content/images/, ...) are handled here;
anything under the members' folder is refused, so no protected picture can be resized
into output/ in the clear. The members' generator cleans its images itself with
cleaning.clean_image_bytes() before it encrypts them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foreningssajt.siteconfig.errors import SiteError, relative
from foreningssajt.siteconfig.session import session_of

from .cleaning import EXTENSIONS, is_raster
from .variants import SHARE_WIDTH, ImageCache, SourceInfo, copy_to, modern_formats

MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif"}


def cache_folder(settings: dict[str, Any]) -> Path:
    # Beside the content cache, not in it: CACHE_PATH is named by site.yml and the readers,
    # and a changed tagline must not make every photo be encoded again.
    return Path(settings["CACHE_PATH"]).parent / "images"


@dataclass(frozen=True)
class Variant:
    url: str  # relative to the site root, without SITEURL
    width: int
    height: int
    fmt: str


@dataclass(frozen=True)
class ImageSet:
    """Every published variant of one source image."""

    relpath: str
    info: SourceInfo
    variants: tuple[Variant, ...]

    def of(self, fmt: str) -> list[Variant]:
        return [v for v in self.variants if v.fmt == fmt]

    @property
    def fallback(self) -> list[Variant]:
        return self.of(self.info.fallback)

    @property
    def largest(self) -> Variant:
        return self.fallback[-1]

    def share(self) -> Variant:
        """The fallback at up to 1200 px: what Facebook, Mastodon and Signal show."""
        fitting = [v for v in self.fallback if v.width <= SHARE_WIDTH]
        return fitting[-1] if fitting else self.fallback[0]


class Pictures:
    """Finds, encodes (through the cache) and publishes the variants of public images."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.session = session_of(settings)
        self.content = Path(settings["PATH"]).resolve()
        self.output = Path(settings["OUTPUT_PATH"])
        self.cache = ImageCache(cache_folder(settings))
        self.public = [self.content / p for p in settings.get("STATIC_PATHS", [])]
        self.protected = self.content / settings.get("MEMBERS_PATH", "members")
        self._sets: dict[str, ImageSet | None] = {}

    def source(self, relpath: str) -> Path | None:
        """The public raster image a content path names, or None (SVG, missing, protected)."""
        path = (self.content / relpath).resolve()
        if not is_raster(path) or not path.is_file() or path.is_relative_to(self.protected):
            return None
        return path if any(path.is_relative_to(root.resolve()) for root in self.public) else None

    def image_set(self, relpath: str) -> ImageSet | None:
        relpath = normalise(relpath)
        if relpath not in self._sets:
            self._sets[relpath] = self._publish(relpath)
        return self._sets[relpath]

    def _publish(self, relpath: str) -> ImageSet | None:
        path = self.source(relpath)
        if path is None:
            return None
        data = path.read_bytes()
        shown = relative(path, self.session.root)
        try:
            info = self.cache.info(data, shown)
            wanted = [(w, fmt) for fmt in (*modern_formats(), info.fallback) for w in info.widths()]
            cached = self.cache.variants(data, shown, info, wanted)
        except SiteError as error:
            self.session.problems.add(error)
            return None
        stem, _ = posixpath.splitext(relpath)
        variants = []
        for (width, fmt), file in zip(wanted, cached, strict=True):
            url = f"{stem}-{width}.{EXTENSIONS[fmt]}"
            copy_to(file, self.output / url)
            variants.append(Variant(url, width, info.height_at(width), fmt))
        return ImageSet(relpath, info, tuple(variants))


def normalise(value: str) -> str:
    """'{static}/images/a.jpg', '/images/a.jpg' and 'images/a.jpg' all name content/images/a.jpg."""
    for prefix in ("{static}", "|static|", "{attach}", "|attach|"):
        value = value.removeprefix(prefix)
    return posixpath.normpath(value.lstrip("/"))
