"""Images without their metadata: what a phone writes into a photo stays at home.

A phone photo carries EXIF (camera, time, often the GPS position of where it was
taken: an activist's home), XMP and IPTC. Every image we publish is decoded and
encoded again from its pixels alone, so nothing but the picture (and its colour
profile, which only says how to show the colours) reaches a reader.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from foreningssajt.siteconfig.errors import N_, SiteError

# Formats we publish as fallback, by what Pillow reads; anything else becomes PNG or JPEG.
FALLBACK = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "PNG", "AVIF": "PNG", "BMP": "PNG", "TIFF": "JPEG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
SAME_FORMAT = {"JPEG", "PNG", "WEBP", "AVIF", "GIF", "BMP", "TIFF"}
RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff"}
# Pillow refuses bigger images as possible decompression bombs; a 200-megapixel photo is
# not something a volunteer uploads on purpose either.
Image.MAX_IMAGE_PIXELS = 200_000_000

# What Pillow reports for a JPEG or PNG that says nothing about who, where or with what:
# encoding details and the colour profile. Anything else (EXIF, XMP, text chunks,
# comments, Photoshop blocks) means the file is encoded again from its pixels.
HARMLESS_INFO = {
    "dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive", "progression",
    "adobe", "adobe_transform", "icc_profile", "gamma", "srgb", "chromaticity", "transparency",
    "aspect", "interlace",
}  # fmt: skip

BAD_IMAGE = N_("filen går inte att läsa som bild (trasig eller inte en bild); spara den igen som JPEG eller PNG")


@dataclass
class Decoded:
    """An image's pixels, upright, with nothing but its colour profile kept."""

    image: Image.Image
    source_format: str

    @property
    def fallback_format(self) -> str:
        return FALLBACK.get(self.source_format, "PNG")


def is_raster(path: str | Path) -> bool:
    return Path(path).suffix.lower() in RASTER_SUFFIXES


def decode(data: bytes, shown: str) -> Decoded:
    """Decode fully (a truncated file fails here, not halfway through a build) and drop metadata."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            source_format = opened.format or "PNG"
            opened.load()
            upright = ImageOps.exif_transpose(opened)  # the rotation EXIF asked for, before EXIF goes
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise SiteError(shown, "image", BAD_IMAGE) from exc
    icc = upright.info.get("icc_profile")
    # Resized copies inherit .info; emptying it here means no variant can carry EXIF/XMP.
    upright.info = {"icc_profile": icc} if icc else {}
    return Decoded(upright, source_format)


def is_clean(data: bytes) -> bool:
    """True for a JPEG or PNG that carries no metadata: it can be published byte for byte."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            return opened.format in ("JPEG", "PNG") and not opened.getexif() and set(opened.info) <= HARMLESS_INFO
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def encode(image: Image.Image, fmt: str) -> bytes:
    """One encoded image with no metadata but the colour profile."""
    image = _mode_for(image, fmt)
    options: dict = {"icc_profile": image.info.get("icc_profile")} if image.info.get("icc_profile") else {}
    if fmt == "JPEG":
        options.update(quality=82, optimize=True, progressive=True)
    elif fmt == "WEBP":
        options.update(quality=78, method=4)
    elif fmt == "AVIF":
        options.update(quality=55, speed=8)
    elif fmt == "PNG":
        options.update(optimize=True)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _mode_for(image: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        if image.mode in ("RGBA", "LA", "P", "PA"):
            # JPEG has no transparency: a white page background is the honest guess.
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            flat.info = dict(image.info)
            return flat
        return image if image.mode in ("RGB", "L") else _keep_info(image, image.convert("RGB"))
    if fmt in ("WEBP", "AVIF") and image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or (image.mode == "P" and "transparency" in image.info)
        return _keep_info(image, image.convert("RGBA" if has_alpha else "RGB"))
    return image


def _keep_info(original: Image.Image, converted: Image.Image) -> Image.Image:
    icc = original.info.get("icc_profile")
    converted.info = {"icc_profile": icc} if icc else {}
    return converted


def clean_image_bytes(data: bytes, shown: str = "bild") -> bytes:
    """The same picture without EXIF, GPS, XMP or IPTC, in its own format where we can write it.

    For the members' area: call this on an image's bytes before encrypting them, so that a
    member who downloads a photo does not get its GPS position either. Raises SiteError
    (naming `shown`) for a file that is not a readable image. Nothing is cached: protected
    bytes never touch the disk here.
    """
    decoded = decode(data, shown)
    # The same format, so that the file's name and type still fit (a GIF keeps one frame).
    fmt = decoded.source_format if decoded.source_format in SAME_FORMAT else decoded.fallback_format
    return encode(decoded.image, fmt)
