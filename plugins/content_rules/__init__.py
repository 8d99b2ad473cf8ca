"""Content validation: every Markdown header is checked against its type's rules."""

from pelican import signals

from .reader import add_reader


def register() -> None:
    signals.readers_init.connect(add_reader)
