"""Web sizes of one public image, encoded once and kept in the build cache.

Each source image becomes a few widths in WebP (and AVIF where the installed Pillow
can write it) plus its own format as the fallback every browser and mail program
reads. Encoding is the slow part of a build with photos, so every file is cached by the
source's content hash, its width and its format: a rebuild copies, it does not encode.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import features

from .cleaning import EXTENSIONS, Decoded, decode, encode

WIDTHS = (480, 800, 1200, 1600)
# The copy published under the original's own address: big enough to zoom, not 4032 px.
FULL_WIDTH = 2400
EMAIL_WIDTH = 1200
SHARE_WIDTH = 1200
HUGE_PIXELS = 5000
HUGE_BYTES = 8 * 1024 * 1024


def modern_formats() -> tuple[str, ...]:
    """AVIF first (smaller) when this Pillow can encode it, then WebP."""
    return ("AVIF", "WEBP") if features.check("avif") else ("WEBP",)


@dataclass(frozen=True)
class SourceInfo:
    """What the cache remembers about a source image, so a rebuild need not decode it."""

    digest: str
    width: int
    height: int
    fallback: str  # JPEG or PNG

    def widths(self) -> list[int]:
        """The standard widths below the original, and the original if it is smaller than the largest."""
        smaller = [w for w in WIDTHS if w < self.width]
        return [*smaller, self.width] if self.width < WIDTHS[-1] else [*smaller, WIDTHS[-1]]

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))


class ImageCache:
    """Encoded variants under one folder, named <digest>-<width>.<ext>."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def info(self, data: bytes, shown: str) -> SourceInfo:
        digest = hashlib.sha256(data).hexdigest()[:24]
        meta = self.folder / f"{digest}.json"
        if meta.is_file():
            return SourceInfo(**json.loads(meta.read_text(encoding="utf-8")))
        decoded = decode(data, shown)  # raises SiteError for a broken file
        info = SourceInfo(digest, decoded.image.width, decoded.image.height, decoded.fallback_format)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(meta, json.dumps(info.__dict__).encode())
        return info

    def variants(self, data: bytes, shown: str, info: SourceInfo, wanted: list[tuple[int, str]]) -> list[Path]:
        """The cached files of these (width, format) pairs; missing ones are encoded now, from one decode."""
        paths = [self.folder / f"{info.digest}-{width}.{EXTENSIONS[fmt]}" for width, fmt in wanted]
        decoded: Decoded | None = None
        for path, (width, fmt) in zip(paths, wanted, strict=True):
            if not path.is_file():
                decoded = decoded or decode(data, shown)
                write_atomic(path, encode(_resized(decoded, width), fmt))
        return paths


def _resized(decoded: Decoded, width: int):
    image = decoded.image
    if width >= image.width:
        return image
    resized = image.resize((width, max(1, round(image.height * width / image.width))), resample=3)  # bicubic
    resized.info = dict(image.info)
    return resized


def write_atomic(path: Path, data: bytes) -> None:
    # Two builds may share a cache: a half-written file must never be read as an image.
    path.parent.mkdir(parents=True, exist_ok=True)
    # The process id too: a background worker (siteconfig/background.py) may write the same file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{id(data)}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def copy_to(cached: Path, target: Path) -> None:
    """Publish a cached file; replaced, never written through, since it may be a link to content/."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # a worker may publish it too
    shutil.copyfile(cached, temporary)
    temporary.replace(target)
