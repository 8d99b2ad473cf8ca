"""Theme language support: gettext catalogues and Babel date filters for Jinja."""

from pathlib import Path
from typing import Any

from pelican import signals

from .catalogues import translations_for
from .dates import date_filters


def configure_environment(generator: Any) -> None:
    settings = generator.settings
    language = settings["DEFAULT_LANG"]
    translations_dir = str(Path(settings["THEME"]) / "translations")
    generator.env.install_gettext_translations(translations_for(language, translations_dir), newstyle=True)
    generator.env.filters.update(date_filters(language, settings["TIMEZONE"]))


def register() -> None:
    signals.generator_init.connect(configure_environment)
