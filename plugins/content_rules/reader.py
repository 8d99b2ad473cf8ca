"""The one Markdown reader: YAML header, checked per content type before Pelican sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader
from pelican.utils import pelican_open

from siteconfig.errors import SiteError, relative
from siteconfig.session import session_of

from .header import load_header, split_header
from .rules import ContentType, type_for
from .typography import swedish_typography

# Keys whose value must be an id from a site.yml registry (setting name, site.yml key).
REGISTRY_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("political report", "author"): ("PEOPLE", "people"),
    ("political report", "committee"): ("COMMITTEES", "committees"),
    ("minutes", "meeting"): ("MEETING_KINDS", "meeting_kinds"),
    ("event", "category"): ("EVENT_CATEGORIES", "event_categories"),
}


class StrictYAMLReader(YAMLMetadataReader):
    """pelican-yaml-metadata's reader, but a bad header stops the build with one line.

    The parent logs and carries on with empty metadata; a volunteer would then get a
    page without a title or a confusing error far away from the cause.
    """

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        shown = relative(source_path, Path(self.settings["PATH"]).parent)
        try:
            return self._read_checked(source_path, shown)
        except SiteError as error:
            session_of(self.settings).problems.add(error)
            raise

    def _read_checked(self, source_path: str, shown: str) -> tuple[str, dict[str, Any]]:
        with pelican_open(source_path) as text:
            header, body, _ = split_header(text, shown)
        raw = load_header(header, shown)
        content_type = type_for(relative(source_path, self.settings["PATH"]))
        if content_type:
            raw = self._check(raw, content_type, shown)
        if isinstance(raw.get("title"), str):
            raw["title"] = swedish_typography(raw["title"])
        metadata = self._parse_yaml_metadata(raw, source_path)
        html = self._md.reset().convert(body)
        metadata["toc_tokens"] = getattr(self._md, "toc_tokens", [])
        return html, metadata

    def _check(self, raw: dict[str, Any], content_type: ContentType, shown: str) -> dict[str, Any]:
        known = content_type.known()
        for key in raw:
            if key not in known:
                raise SiteError(shown, key, f"unknown key for a {content_type.name}; known keys: {', '.join(known)}")
        for key in content_type.required:
            if raw.get(key) is None:
                raise SiteError(shown, key, f"missing; a {content_type.name} needs {', '.join(content_type.required)}")
        cleaned = {}
        for key, value in raw.items():
            if value is None:
                continue
            try:
                cleaned[key] = known[key](value)
            except ValueError as exc:
                raise SiteError(shown, key, str(exc)) from None
            self._check_registry(content_type, key, cleaned[key], shown)
        return cleaned

    def _check_registry(self, content_type: ContentType, key: str, value: Any, shown: str) -> None:
        setting, site_key = REGISTRY_KEYS.get((content_type.name, key), (None, None))
        if setting and value not in self.settings.get(setting, {}):
            ids = ", ".join(self.settings.get(setting, {})) or "(none yet)"
            raise SiteError(shown, key, f"{value!r} is not in site.yml's {site_key}; write one of: {ids}")


def add_reader(readers: Any) -> None:
    for extension in StrictYAMLReader.file_extensions:
        readers.reader_classes[extension] = StrictYAMLReader
