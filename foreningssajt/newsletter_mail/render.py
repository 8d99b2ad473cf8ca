"""The email's HTML, from the theme's email template (foreningssajt/theme/templates/email/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from foreningssajt.theme_i18n.catalogues import translations_for
from foreningssajt.theme_i18n.dates import date_filters

from .events import UpcomingEvent
from .source import Newsletter

TEMPLATE = "email/newsletter.html"


def environment(settings: dict[str, Any]) -> Environment:
    """Jinja as the build sets it up: autoescape, the theme's translations and date filters."""
    env = Environment(
        loader=FileSystemLoader(str(Path(settings["THEME"]) / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    language = settings["DEFAULT_LANG"]
    env.install_gettext_translations(
        translations_for(language, str(Path(settings["THEME"]) / "translations")), newstyle=True
    )
    env.filters.update(date_filters(language, settings["TIMEZONE"]))
    return env


def render_email(
    settings: dict[str, Any], newsletter: Newsletter, body: str, web_url: str, events: list[UpcomingEvent]
) -> str:
    site = settings["SITE"]
    return (
        environment(settings)
        .get_template(TEMPLATE)
        .render(
            SITE=site,
            SITENAME=settings["SITENAME"],
            DEFAULT_LANG=settings["DEFAULT_LANG"],
            site_url=site["url"].rstrip("/"),
            newsletter=newsletter,
            body=body,
            web_url=web_url,
            events=events,
            calendar_url=site["url"].rstrip("/") + "/kalender/",
        )
    )
