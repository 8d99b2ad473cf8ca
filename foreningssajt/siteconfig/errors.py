"""One-line problems for the people who write the content.

Every mistake in site.yml, in a Markdown header or in data from another system becomes
a SiteError whose text is ``file:line: key: what is wrong, what to write``. Messages are
written in Swedish (the site's first language) with ``{name}`` placeholders, so that
the English catalogue in foreningssajt/siteconfig/translations/ can translate them before
the values are filled in. A build collects them in its session's Problems so that a
volunteer sees every mistake at once instead of fixing them one build at a time.
"""

from __future__ import annotations

import difflib
import functools
import gettext
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from foreningssajt.theme_i18n.catalogues import translations_for

TRANSLATIONS = str(Path(__file__).resolve().parent / "translations")


class SiteError(Exception):
    """A mistake in the site's own files (or in fetched data), told in one line.

    `message` is a Swedish message id; `params` fill its ``{placeholders}``.
    """

    def __init__(self, path: str | Path, key: str, message: str, line: int | None = None, **params: Any) -> None:
        self.path = str(path)
        self.key = key
        self.message = message
        self.line = line
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self) -> tuple:
        # Pelican's content cache pickles what the settings hold (the session's problems
        # among them); an exception pickles its args, which would lose key and params.
        return (_rebuilt, (type(self), (self.path, self.key, self.message, self.line), self.params))

    def render(self, translations: gettext.NullTranslations | None = None) -> str:
        """The one line, in the catalogue's language (Swedish without one)."""
        message = translations.gettext(self.message) if translations else self.message
        params = {k: _translated(v, translations) for k, v in self.params.items()}
        text = message.format(**{k: _shown_value(v) for k, v in params.items()}) if params else message
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {text}" if self.key else f"{where}: {text}"


class Invalid(ValueError):
    """A value that breaks a rule; the caller adds the file and the key (see SiteError)."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message.format(**{k: _shown_value(v) for k, v in params.items()}))

    def at(self, path: str | Path, key: str, line: int | None = None) -> SiteError:
        return SiteError(path, key, self.message, line, **self.params)

    def __reduce__(self) -> tuple:
        return (_rebuilt, (type(self), (self.message,), self.params))


def _rebuilt(cls: type, args: tuple, params: dict[str, Any]) -> Exception:
    return cls(*args, **params)


SHOWN_LENGTH = 80


def _shown_value(value: Any) -> str:
    # A value as the volunteer wrote it (Python's repr() is for programmers), on one
    # line and short: the message must stay one line whatever was typed.
    if isinstance(value, list | tuple | set):  # our own lists of choices: shown whole
        return " ".join(", ".join(str(v) for v in value).split())
    text = re.sub(r"\s+", " ", str(value))
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def _translated(value: Any, translations: gettext.NullTranslations | None) -> Any:
    # A word the message is built from ("mörkare") is translated like the message; a
    # volunteer's value has no entry in the catalogue and stays as written.
    return translations.gettext(value) if translations and isinstance(value, str) and value else value


def N_(message: str) -> str:
    """Mark a message kept in a constant, so that `make translations` finds it."""
    return message


class SiteErrors(SiteError):
    """Several problems found in one go (all of site.yml); Problems.add() takes each."""

    def __init__(self, errors: list[SiteError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.path, first.key, first.message, first.line, **first.params)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)

    def __reduce__(self) -> tuple:
        return (SiteErrors, (self.errors,))


class Problems:
    """Every problem of one build, in the order found, each once."""

    def __init__(self) -> None:
        self._found: dict[str, SiteError] = {}

    def add(self, error: SiteError) -> None:
        for each in getattr(error, "errors", [error]):
            self._found.setdefault(str(each), each)

    def extend(self, errors: Iterable[SiteError]) -> None:
        for error in errors:
            self.add(error)

    def __iter__(self) -> Iterator[SiteError]:
        return iter(list(self._found.values()))

    def __len__(self) -> int:
        return len(self._found)

    def __bool__(self) -> bool:
        return bool(self._found)

    def lines(self, language: str = "sv") -> list[str]:
        translations = message_catalogue(language)
        return [error.render(translations) for error in self]


def message_catalogue(language: str) -> gettext.NullTranslations:
    """The catalogue for build messages: Swedish is the source, English is translated."""
    return translations_for(language if language == "en" else "sv", TRANSLATIONS)


def did_you_mean(value: Any, choices: Iterable[str]) -> str:
    """' (menade du x?)' for a near miss among `choices`, or ''."""
    options = {str(c).casefold(): str(c) for c in choices}
    close = difflib.get_close_matches(str(value).casefold(), list(options), n=1, cutoff=0.6)
    return f" (menade du {options[close[0]]}?)" if close else ""


def relative(path: str | Path, root: str | Path) -> str:
    """Show paths relative to the site folder: that is what the writer sees."""
    try:
        return str(_resolved(str(path)).relative_to(_resolved(str(root))))
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=8192)
def _resolved(path: str) -> Path:
    # resolve() asks the file system for every part of the path; the reader asks for
    # each file several times and for the same root every time (bench/README.md).
    return Path(path).resolve()
