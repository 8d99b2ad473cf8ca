"""<picture> markup: modern formats first, the original's format as fallback.

The first image a visitor sees (the hero, an article's lead image) loads at once;
every other image loads lazily and decodes off the main thread. width and height
give the browser the shape before the file arrives, so the text does not jump.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from .publish import MIME, ImageSet, Pictures, Variant

# Article column: full width on a phone, at most about 42rem (672 px) on a computer.
CONTENT_SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\b(?P<name>src|alt|title)\s*=\s*(?P<q>["'])(?P<value>.*?)(?P=q)""", re.IGNORECASE | re.DOTALL)


def srcset(variants: list[Variant], siteurl: str) -> str:
    return ", ".join(f"{siteurl}/{v.url} {v.width}w" for v in variants)


def picture(
    images: ImageSet,
    alt: str,
    siteurl: str,
    *,
    sizes: str = CONTENT_SIZES,
    eager: bool = False,
    css_class: str = "",
    title: str = "",
) -> Markup:
    """The <picture> element for one image set."""
    sources = [
        f'<source type="{MIME[fmt]}" srcset="{srcset(images.of(fmt), siteurl)}" sizes="{sizes}">'
        for fmt in ("AVIF", "WEBP")
        if images.of(fmt)
    ]
    fallback = images.fallback
    default = next((v for v in fallback if v.width >= 800), images.largest)
    attributes = [
        f'src="{siteurl}/{default.url}"',
        f'srcset="{srcset(fallback, siteurl)}"',
        f'sizes="{sizes}"',
        f'width="{images.largest.width}" height="{images.largest.height}"',
        f'alt="{html.escape(alt)}"',
    ]
    if title:
        attributes.append(f'title="{html.escape(title)}"')
    if css_class:
        attributes.append(f'class="{css_class}"')
    attributes.append('decoding="async"' if eager else 'loading="lazy" decoding="async"')
    return Markup(f"<picture>{''.join(sources)}<img {' '.join(attributes)}></picture>")


def responsive_html(body: str, pictures: Pictures, siteurl: str, eager_first: bool = False) -> Markup:
    """Every public raster <img> in rendered Markdown becomes a <picture>; others stay as written."""
    first = [eager_first]

    def replace(match: re.Match) -> str:
        attrs = {m.group("name").lower(): html.unescape(m.group("value")) for m in _ATTR.finditer(match.group(0))}
        src = attrs.get("src", "")
        if siteurl and src.startswith(siteurl + "/"):
            src = src[len(siteurl) :]
        if "://" in src or src.startswith(("data:", "//")):
            return match.group(0)
        images = pictures.image_set(src)
        if images is None:
            return match.group(0)
        eager, first[0] = first[0], False
        return picture(images, attrs.get("alt", ""), siteurl, eager=eager, title=attrs.get("title", ""))

    return Markup(_IMG.sub(replace, str(body)))
