"""Theme helpers: dark-mode colours derived from site.yml, plain-text descriptions, a compact stylesheet."""

from pathlib import Path
from typing import Any

from pelican import signals

from .minify import minify_theme_css
from .palette import dark_palette
from .text import first_paragraph


def _generator_init(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["dark_colours"] = dark_palette(generator.settings["SITE"].get("colours") or {})
        env.filters["first_paragraph"] = first_paragraph


def _finalized(pelican: Any) -> None:
    minify_theme_css(Path(pelican.settings["OUTPUT_PATH"]))


def register() -> None:
    signals.generator_init.connect(_generator_init)
    signals.finalized.connect(_finalized)
