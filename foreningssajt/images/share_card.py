"""Share cards: the picture a link preview shows when a page has no photo of its own.

A 1200x630 PNG with the page's title in white on the brand colour and the site's name
below: what Facebook, Signal and Mastodon crop least. Made with Pillow and a font
found on the machine (DejaVu Sans in Debian); without one, Pillow's own font.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from foreningssajt.siteconfig.background import BackgroundWork

from .variants import copy_to, write_atomic

SIZE = (1200, 630)
MARGIN = 80
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)
# Part of the cache key: a new layout must not reuse old cards.
LAYOUT_VERSION = "2"
TEXT = 250  # grey level of the text; 255 is the accent stripe
OUTPUT_FOLDER = "images/delning"


def font_file() -> str | None:
    return next((f for f in FONT_CANDIDATES if Path(f).is_file()), None)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = font_file()
    return ImageFont.truetype(found, size) if found else ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _title_lines(draw: ImageDraw.ImageDraw, title: str) -> tuple[list[str], object, int]:
    """The biggest type (72 px down to 44) that fits the title in four lines."""
    for size in (72, 64, 56, 50, 44):
        font = _font(size)
        lines = _wrap(draw, title, font, SIZE[0] - 2 * MARGIN)
        if len(lines) <= 4:
            return lines, font, size
    return [*lines[:3], lines[3] + " …"], font, size


def render(title: str, site_name: str, background: str, accent: str) -> bytes:
    """The card as an 8-bit palette PNG: drawn in grey levels, coloured by the palette.

    Grey 0 is the background, 250 white text (anti-aliased edges in between), 255 the
    accent stripe: half the time and size of an RGB PNG, which matters with 1000 posts.
    """
    card = _base(site_name).copy()
    draw = ImageDraw.Draw(card)
    lines, font, size = _title_lines(draw, title)
    line_height = round(size * 1.2)
    top = (SIZE[1] - 24 - 90 - line_height * len(lines)) // 2 + 10
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=font, fill=TEXT)
    card.putpalette(_palette(background, accent))  # an "L" image becomes "P" in place: no copy
    out = io.BytesIO()
    card.save(out, "PNG", compress_level=1)  # flat colours compress well even so; 1000 posts, 1000 cards
    return out.getvalue()


@functools.lru_cache(maxsize=4)
def _base(site_name: str) -> Image.Image:
    """What every card of a site shares: the accent stripe and the site's name."""
    base = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(base)
    draw.rectangle((0, SIZE[1] - 24, SIZE[0], SIZE[1]), fill=255)
    draw.text((MARGIN, SIZE[1] - 24 - 80), site_name, font=_font(34), fill=TEXT)
    return base


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@functools.lru_cache(maxsize=4)
def _palette(background_colour: str, accent_colour: str) -> tuple[int, ...]:
    background, accent = _rgb(background_colour), _rgb(accent_colour)
    palette: list[int] = []
    for grey in range(256):
        if grey > TEXT:
            palette += accent
        else:
            palette += [round(c + (255 - c) * grey / TEXT) for c in background]
    return tuple(palette)


def share_card(title: str, site_name: str, colours: dict, cache: Path, output: Path, background: BackgroundWork) -> str:
    """The card for this title in output/, made once and then cached; return its path at once.

    A card not in the cache yet is drawn by `background` (the build waits for it before
    anything reads output/): its path comes from the digest of what is drawn, not from
    the drawing.
    """
    colour, accent = colours.get("primary", "#333333"), colours.get("accent", "#000000")
    key = "\n".join((LAYOUT_VERSION, title, site_name, colour, accent, font_file() or "default"))
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    cached = cache / f"share-{digest}.png"
    relpath = f"{OUTPUT_FOLDER}/{digest}.png"
    if cached.is_file():
        copy_to(cached, output / relpath)
    else:  # submitted once per build however many pages ask for it
        background.submit(draw_card, title, site_name, colour, accent, cached, output / relpath)
    return relpath


def draw_card(title: str, site_name: str, background: str, accent: str, cached: Path, target: Path) -> None:
    """Draw a card into the cache, then publish it: a background job (siteconfig/background.py)."""
    write_atomic(cached, render(title, site_name, background, accent))
    copy_to(cached, target)
