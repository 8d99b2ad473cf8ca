"""The publication map: for each kind of content, where it is written, where it goes, who may read it.

One table answers "where does a news post come from, which URL does it get, which
template shows it, is it public, is it in feeds and search?" Readers, generators, the
sitemap, search, the web editor's configuration and the leak audit read it here, so
the members' URL prefix and the protected folders are written down once.
What each kind's header must hold is content_rules/rules.py (the content contract).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTENT = "content"
MEMBERS_FOLDER = "members"
MEMBERS_URL = "medlem/"


@dataclass(frozen=True)
class Kind:
    """One kind of content and how it is published."""

    name: str  # the id used in code and in the web editor
    label: str  # what a volunteer calls it (Swedish)
    folder: str  # under content/
    url: str  # the item's URL pattern (Pelican's {slug}, {date:%Y}, ...)
    template: str  # the theme template that shows one item
    protected: bool = False  # published only encrypted, part of the protected inventory
    feeds: tuple[str, ...] = ()  # feeds that list the kind
    search: bool = True  # in the public search index

    @property
    def public(self) -> bool:
        return not self.protected


KINDS: tuple[Kind, ...] = (
    Kind("post", "Nyhet", "posts", "nyheter/{date:%Y}/{slug}/", "article", feeds=("nyheter.atom",)),
    Kind("page", "Sida", "pages", "{slug}/", "page"),
    Kind("plan", "Verksamhetsplan", "plans", "verksamhetsplan/{year}/", "plan"),
    Kind(
        "report",
        "Politisk rapport",
        "reports",
        "rapporter/{committee}/{meeting}-{phase}/",
        "report",
        feeds=("rapporter.atom", "rapporter/{committee}.atom"),
    ),
    Kind("event", "Evenemang", "events", "kalender/{slug}/", "event", feeds=("kalender.ics",)),
    Kind(
        "newsletter",
        "Medlemsbrev",
        f"{MEMBERS_FOLDER}/newsletters",
        MEMBERS_URL + "medlemsbrev/{date:%Y-%m}/",
        "members_item",
        protected=True,
        search=False,
    ),
    Kind(
        "minutes",
        "Protokoll",
        f"{MEMBERS_FOLDER}/minutes",
        MEMBERS_URL + "protokoll/{date:%Y-%m-%d}-{meeting}/",
        "members_item",
        protected=True,
        search=False,
    ),
)
BY_NAME = {kind.name: kind for kind in KINDS}
BY_FOLDER = {kind.folder: kind for kind in KINDS}


def kind_of(relative_path: str) -> Kind | None:
    """The kind of a file from the folder it sits in under content/ (deepest folder first)."""
    parts = relative_path.replace("\\", "/").split("/")
    for depth in (2, 1):
        folder = "/".join(parts[:depth])
        if len(parts) > depth and folder in BY_FOLDER:
            return BY_FOLDER[folder]
    return None


def is_protected_path(relative_path: str) -> bool:
    """Everything under content/members/ is protected, whatever its kind (DESIGN.md)."""
    first = relative_path.replace("\\", "/").split("/", 1)[0]
    return first == MEMBERS_FOLDER
