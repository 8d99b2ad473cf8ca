"""The activity calendar: event pages, lists, iCalendar feeds and Zetkin's events."""

from pelican import signals

from .generator import CalendarGenerator


def get_generators(pelican: object) -> type:
    return CalendarGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
