"""Political reports: what representatives write before and after committee meetings."""

from pelican import signals

from .generator import ReportsGenerator


def get_generators(pelican: object) -> type:
    return ReportsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
