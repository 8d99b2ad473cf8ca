"""The theme's Jinja environment: gettext catalogues, Babel date filters, template names."""

from pathlib import Path
from typing import Any

import jinja2
from pelican import signals

from .catalogues import translations_for
from .dates import date_filters


def configure_environment(generator: Any) -> None:
    settings = generator.settings
    language = settings["DEFAULT_LANG"]
    translations_dir = str(Path(settings["THEME"]) / "translations")
    generator.env.install_gettext_translations(translations_for(language, translations_dir), newstyle=True)
    generator.env.filters.update(date_filters(language, settings["TIMEZONE"]))
    generator.env.globals["current_template"] = current_template


@jinja2.pass_context
def current_template(context: jinja2.runtime.Context) -> str:
    """The page's own template (not base.html): the tests check each template once."""
    return (context.name or "").removesuffix(".html")


def register() -> None:
    signals.generator_init.connect(configure_environment)
