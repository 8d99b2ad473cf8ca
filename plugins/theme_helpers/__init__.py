"""Theme helpers: dark-mode colours derived from site.yml, and plain-text descriptions."""

from typing import Any

from pelican import signals

from .palette import dark_palette
from .text import first_paragraph


def _generator_init(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["dark_colours"] = dark_palette(generator.settings["SITE"].get("colours") or {})
        env.filters["first_paragraph"] = first_paragraph


def register() -> None:
    signals.generator_init.connect(_generator_init)
