"""What the theme's templates call: picture(), share_image() and the responsive filter."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from foreningssajt.siteconfig.session import session_of

from .markup import CONTENT_SIZES, picture, responsive_html
from .publish import Pictures, cache_folder
from .share_card import share_card


class TemplateImages:
    """Bound to one generator's settings; each generator has its own Jinja environment."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.siteurl = settings.get("SITEURL", "")
        self.pictures = Pictures(settings)

    def picture(
        self, relpath: str, alt: str = "", sizes: str = CONTENT_SIZES, eager: bool = False, css_class: str = ""
    ) -> Markup:
        images = self.pictures.image_set(relpath)
        if images is None:  # SVG or a file we do not handle: as written
            cls = f' class="{escape(css_class)}"' if css_class else ""
            lazy = "" if eager else ' loading="lazy"'
            return Markup(
                f'<img src="{escape(self.siteurl)}/{escape(relpath.lstrip("/"))}" alt="{escape(alt)}"{cls}{lazy}>'
            )
        return picture(images, alt, self.siteurl, sizes=sizes, eager=eager, css_class=css_class)

    def responsive(self, body: str, eager_first: bool = False) -> Markup:
        return responsive_html(body, self.pictures, self.siteurl, eager_first)

    def share_image(self, relpath: str | None, title: str) -> dict[str, Any]:
        """og:image for a page: its own photo at up to 1200 px, or a card with its title."""
        images = self.pictures.image_set(relpath) if relpath else None
        if images is not None:
            chosen = images.share()
            return {"url": chosen.url, "width": chosen.width, "height": chosen.height, "card": False}
        site = self.settings["SITE"]
        url = share_card(
            title,
            self.settings["SITENAME"],
            site.get("colours") or {},
            cache_folder(self.settings),
            self.pictures.output,
            session_of(self.settings).background,
        )
        return {"url": url, "width": 1200, "height": 630, "card": True}


def install(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    images = TemplateImages(generator.settings)
    env.globals.update(picture=images.picture, share_image=images.share_image)
    env.filters["responsive"] = images.responsive
