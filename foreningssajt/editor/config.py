"""Decap CMS's config.yml, made from the content contract, the publication map and site.yml.

Nothing here lists a header key: the fields come from content_rules.rules (the keys a
build accepts, which are required, and their types and allowed values), the folders
and names from siteconfig.publication, and the choices of venues, committees, people,
categories and meeting kinds from site.yml. So the editor cannot offer what the build
would refuse, and a new key or venue reaches the editor with the next build.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from foreningssajt.content_rules import rules
from foreningssajt.siteconfig.publication import CONTENT, KINDS, Kind

from .backend import EditorBackend
from .fields import Field, describe, widget_for
from .labels import MEMBERS_NOTE, OPTION_LABELS, label

IMAGES = "images"  # content/images: public images (pelicanconf STATIC_PATHS)

PLURAL = {
    "post": "Nyheter",
    "page": "Sidor",
    "plan": "Verksamhetsplaner",
    "report": "Politiska rapporter",
    "event": "Kalender",
    "newsletter": "Medlemsbrev",
    "minutes": "Protokoll",
}

# File names: also the address of posts, pages and events (SLUGIFY_SOURCE = basename).
FILE_NAMES = {
    "plan": "verksamhetsplan-{{fields.year}}",
    "report": "{{fields.committee}}-{{fields.meeting}}-{{fields.phase}}",
    "newsletter": "medlemsbrev-{{year}}-{{month}}",
    "minutes": "protokoll-{{year}}-{{month}}-{{day}}-{{fields.meeting}}",
}

# Keys whose choices are site.yml's lists, for a contract whose checks do not name them.
SITE_CHOICES = {
    ("report", "author"): "people",
    ("report", "committee"): "committees",
    ("event", "location"): "venues",
    ("event", "category"): "event_categories",
    ("minutes", "meeting"): "meeting_kinds",
}

# Keys of Pelican's own that the editor offers, per kind; slug and modified stay in the file.
PELICAN_KEYS_SHOWN = {"event": ("status",)}


def decap_config(settings: Mapping[str, Any], backend: EditorBackend, local: bool) -> dict[str, Any]:
    """The whole configuration; `local` adds the local backend (never on a published site)."""
    config: dict[str, Any] = {"locale": "sv", "backend": backend.decap()}
    if local:
        config["local_backend"] = backend.local()
    return {
        **config,
        "site_url": settings.get("PUBLISH_SITEURL", ""),
        "media_folder": f"{CONTENT}/{IMAGES}",
        # {static} is Pelican's: it makes the address right wherever the site is served from.
        "public_folder": "{static}/" + IMAGES,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, settings) for kind in KINDS if rules.TYPES.get(kind.folder)],
    }


def config_yaml(settings: Mapping[str, Any], backend: EditorBackend, local: bool) -> str:
    head = "# Gjord av bygget från innehållsreglerna och site.yml; ändringar här skrivs över.\n"
    return head + yaml.safe_dump(decap_config(settings, backend, local), allow_unicode=True, sort_keys=False)


def collection(kind: Kind, settings: Mapping[str, Any]) -> dict[str, Any]:
    """One folder collection: a kind's folder, its name in Swedish, its header as fields."""
    found = {
        "name": kind.name,
        "label": PLURAL.get(kind.name, kind.label),
        "label_singular": kind.label,
        "folder": f"{CONTENT}/{kind.folder}",
        "create": True,
        "extension": "md",
        "format": "yaml-frontmatter",
        "slug": FILE_NAMES.get(kind.name, "{{slug}}"),
        "identifier_field": "title",
        "fields": fields(kind, settings),
    }
    if kind.protected:
        # Said on the collection's page and again above the form; uploads stay beside the
        # item, under content/members/, never among the public images.
        found["fields"][0] = {**found["fields"][0], "hint": MEMBERS_NOTE}
        return {**found, "description": MEMBERS_NOTE, "media_folder": "", "public_folder": ""}
    return found


def fields(kind: Kind, settings: Mapping[str, Any]) -> list[Field]:
    content_type = rules.TYPES[kind.folder]
    known = content_type.known() if hasattr(content_type, "known") else {}
    shown = {key: known.get(key, rules.PELICAN_KEYS.get(key)) for key in PELICAN_KEYS_SHOWN.get(kind.name, ())}
    keys: list[tuple[str, Any, bool]] = [
        *((key, check, True) for key, check in content_type.required.items()),
        *((key, check, False) for key, check in {**content_type.optional, **shown}.items() if check is not None),
    ]
    site = settings.get("SITE") or {}
    body = {"name": "body", "label": label(kind.name, "body")[0], "widget": "markdown", "required": False}
    return [field(kind, key, describe(check), required, site) for key, check, required in keys] + [body]


def field(kind: Kind, key: str, description: dict[str, Any], required: bool, site: Mapping[str, Any]) -> Field:
    if description.get("type") in ("text", "id") and (kind.name, key) in SITE_CHOICES:
        description = {**description, "type": "registry", "registry": SITE_CHOICES[kind.name, key]}
    found = special(kind, key) or widget_for(description, site)
    title, hint = label(kind.name, key)
    found = {"name": key, "label": title, **found, "required": required}
    example = description.get("example")
    hint = hint or description.get("help") or (f"Till exempel: {example}" if example else "")
    if hint:
        found["hint"] = hint
    if found.get("widget") == "select":
        found["options"] = [labelled(option) for option in found["options"]]
    return {name: value for name, value in found.items() if value is not None}


def special(kind: Kind, key: str) -> Field | None:
    """Keys whose value is a file: the widget that uploads it to where the build looks."""
    if key == "image" and kind.public:
        # Header images are written as images/<name> (relative to the site), as the theme reads them.
        return {"widget": "image", "media_folder": f"/{CONTENT}/{IMAGES}", "public_folder": IMAGES, "choose_url": False}
    if key == "attachments":
        # Minutes name attachments that lie next to them (members/attachments.py).
        upload = {"name": "fil", "label": "Fil", "widget": "file", "media_folder": "", "public_folder": ""}
        return {"widget": "list", "field": {**upload, "choose_url": False}}
    if key == "summary":
        return {"widget": "text"}
    return None


def labelled(option: Any) -> Any:
    if isinstance(option, str) and option in OPTION_LABELS:
        return {"label": OPTION_LABELS[option], "value": option}
    return option
