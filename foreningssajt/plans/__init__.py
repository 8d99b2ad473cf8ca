"""Activity plans (verksamhetsplaner): pages per year with their goals."""

from pelican import signals

from .generator import PlansGenerator


def get_generators(pelican: object) -> type:
    return PlansGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
