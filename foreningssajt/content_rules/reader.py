"""The one Markdown reader: YAML header checked per content type, body checked, then HTML.

Every problem of a file is collected into the build session (so a volunteer sees them
all at once) and the file is refused with the first; Pelican then skips it and the
build stops after reading everything. Header values go through the content contract
(rules.py, in the validation vocabulary), bodies through body.py, and the HTML comes
from the build's one Markdown configuration (markdown_setup.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pelican.readers import BaseReader
from pelican.utils import pelican_open

from foreningssajt.siteconfig.errors import Invalid, SiteError, relative
from foreningssajt.siteconfig.session import SETTING, session_of
from foreningssajt.siteconfig.vocabulary import Where, check_fields

from .body import body_problems
from .goal_lists import goal_labels
from .header import load_header, split_header
from .markdown_setup import new_markdown
from .metadata import pelican_metadata
from .rules import ContentType, type_for
from .typography import swedish_typography

# site.yml's lists that header values may name, by the key the rules use.
REGISTRIES = {
    "people": "PEOPLE",
    "committees": "COMMITTEES",
    "venues": "VENUES",
    "event_categories": "EVENT_CATEGORIES",
    "meeting_kinds": "MEETING_KINDS",
}


@dataclass
class Outcome:
    """One file's reading: its HTML and metadata, or its problems (the first is the one raised)."""

    html: str
    metadata: dict[str, Any]
    problems: list[SiteError]


def _prepared(settings: dict[str, Any], source_path: str) -> Outcome | None:
    # Taken, not looked at: a file Pelican reads twice is read again the second time, as before.
    session = settings.get(SETTING)
    if session is None:  # a reader outside a build (tests, tools): nothing was prepared
        return None
    return session.prepared_reads.pop(os.path.abspath(source_path), None)


class StrictYAMLReader(BaseReader):
    """Markdown with a YAML header; a bad file stops the build with one line per mistake."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown", "mkd", "mdown"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        self._md = new_markdown(goal_labels(settings["DEFAULT_LANG"], settings["THEME"]))
        self._root = Path(settings["PATH"]).parent

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        # A cold build may have read the file already, in a worker process (preread.py).
        outcome = _prepared(self.settings, source_path) or self.outcome(source_path)
        if outcome.problems:
            session_of(self.settings).problems.extend(outcome.problems)
            raise outcome.problems[0]
        return outcome.html, outcome.metadata

    def outcome(self, source_path: str) -> Outcome:
        """The file read and checked, its problems kept here: read() tells them to the session."""
        shown = relative(source_path, self._root)
        found: list[SiteError] = []
        try:
            html, metadata = self._read_checked(source_path, shown, found)
        except SiteError as error:
            found.insert(0, error)
        if found:
            return Outcome("", {}, found)
        return Outcome(html, metadata, [])

    def _read_checked(self, source_path: str, shown: str, found: list[SiteError]) -> tuple[str, dict[str, Any]]:
        with pelican_open(source_path) as text:
            header, body, body_line = split_header(text, shown)
        raw = load_header(header, shown)
        content_type = type_for(relative(source_path, self.settings["PATH"]))
        if content_type:
            # No line index: a header's key names the place, and a second YAML parse per file would cost.
            where = Where(shown, raw=header.split("\n"), numbered=False)
            raw = self._check(raw, content_type, where, found)
            found += body_problems(body, body_line, shown, self._root)
        if isinstance(raw.get("title"), str):
            raw["title"] = swedish_typography(raw["title"])
        if content_type and content_type.name == "post":
            # Pelican's drafts need a category like published posts; there is one, the default.
            raw.setdefault("category", self.settings["DEFAULT_CATEGORY"])
        metadata = pelican_metadata(raw, self.settings, self._md)
        html = self._body_html(body, content_type)
        metadata["toc_tokens"] = getattr(self._md, "toc_tokens", [])
        metadata["goals"] = self._md.goals
        return html, metadata

    def _body_html(self, body: str, content_type: ContentType | None) -> str:
        # An activity plan shows each section's goal progress under its heading.
        self._md.reset()
        self._md.goal_progress = content_type is not None and content_type.name == "plan"
        try:
            return self._md.convert(body)
        finally:
            self._md.goal_progress = False

    def _check(
        self, raw: dict[str, Any], content_type: ContentType, where: Where, found: list[SiteError]
    ) -> dict[str, Any]:
        where.registries = {key: self.settings.get(setting, {}) for key, setting in REGISTRIES.items()}
        where.root = self._root
        cleaned = check_fields(raw, content_type.fields(), where)
        for key, needed in content_type.needs:
            told = any(problem.key == needed for problem in where.found)
            if key in cleaned and needed not in cleaned and not told:
                where.child(needed).add(
                    Invalid(
                        "saknas; {field} behöver en beskrivning för den som inte ser bilden, t.ex. {needed}: {example}",
                        field=key,
                        needed=needed,
                        example=content_type.known()[needed].example,
                    )
                )
        found += where.found
        return {key: cleaned[key] for key in raw if key in cleaned}


def add_reader(readers: Any) -> None:
    for extension in StrictYAMLReader.file_extensions:
        readers.reader_classes[extension] = StrictYAMLReader
