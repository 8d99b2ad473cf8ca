"""The members' generator: the only code that reads content/members/.

It reads newsletters and minutes with Pelican's readers, renders each item's content
region with the theme, encrypts it with one key derived once per build, and writes
pages that hold only ciphertext inside the public shell. Attachments are encrypted
with the same key. Which files are protected is the inventory's answer (inventory.py);
the generator hands the bodies it rendered back to it, so the audit need not convert
them again.
"""

from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path
from typing import Any

from pelican.contents import Page
from pelican.generators import Generator

from foreningssajt.content_rules.reading import place, read_folder
from foreningssajt.images.cleaning import clean_image_bytes, is_raster
from foreningssajt.siteconfig.errors import SiteError, relative
from foreningssajt.siteconfig.publication import BY_NAME, MEMBERS_FOLDER
from foreningssajt.siteconfig.session import session_of

from . import area_search, crossings, layout
from .attachments import Attachment, find_attachments
from .inventory import Inventory, inventory_for
from .keyring import Keyring
from .levelled import LevelledArea
from .levels import Level, level_passwords, levels_from_site
from .password import DEMO_PASSWORD, association_name, members_password
from .staticrypt import load_or_create_salt

SALT_FILE = "members-salt.txt"
# Pelican's intrasite link syntax in rendered HTML: href="{attach}x.pdf", src="|static|y".
_INTRASITE = re.compile(r"""=\s*["'][{|](?P<what>attach|static|filename)[|}](?P<path>[^"']*)""")


class MembersGenerator(Generator):
    """Writes /medlem/ (encrypted index), its items and /medlem/filer/*.bin."""

    def generate_context(self) -> None:
        self.inventory: Inventory = inventory_for(self.settings)
        self.members_root = Path(self.path) / MEMBERS_FOLDER
        self.context["MEMBERS_URL"] = layout.MEMBERS_URL
        self.context["MEMBERS_DEMO_PASSWORD"] = DEMO_PASSWORD
        self.newsletters = self._read("newsletter")
        self.minutes = self._read("minutes")
        self._place()
        self.attachments = {item.source_relpath: self._attachments(item) for item in self.minutes}
        for item in self.newsletters + self.minutes:
            self.inventory.hand_over_html(self._shown(item), item._content)
        # Last, so that content mistakes are all listed even when the password is refused.
        password, self.demo = self._password()
        salt = load_or_create_salt(Path(self.path).parent / SALT_FILE)
        self.salt = salt
        self.area = self._levelled_area((password, self.demo), salt)
        self.level = {item.source_relpath: self._level(item) for item in self.newsletters + self.minutes}

    def _levelled_area(self, members: tuple[str, bool], salt: str) -> LevelledArea:
        session = session_of(self.settings)
        try:
            levels = levels_from_site(self.settings.get("SITE", {}))
            publishing, name = bool(self.settings.get("PUBLISHING")), association_name(self.settings)
            passwords = level_passwords(levels, members, publishing, name=name)
        except SiteError as error:
            session.problems.add(error)
            raise
        # One derivation per level (~0.1 s each), when the first page or file is encrypted.
        keyring = Keyring.derive(levels, passwords, salt, lambda: session.stats.count("key_derivations"))
        return LevelledArea(keyring, salt, self._remember_days())

    def _level(self, item: Page) -> Level:
        try:
            return self.area.level_of(item.metadata, self._shown(item))
        except SiteError as error:
            session_of(self.settings).problems.add(error)
            return self.area.higher_levels()[-1] if self.area.higher_levels() else self.area.keyring.levels()[0]

    def _read(self, kind: str) -> list[Page]:
        listed = {item.source for item in self.inventory.of_kind(kind)}
        items = [
            item
            for item in read_folder(self, BY_NAME[kind].folder)
            if getattr(item, "status", "published") != "draft" and self._shown(item) in listed
        ]
        # An item with a refused link is never rendered: Pelican would copy an {attach}
        # file in plaintext into the staging folder while the build is still running.
        items = [item for item in items if not self._refuse_site_links(item)]
        # Oldest first, so that a clash gives the later item the -2.
        return sorted(items, key=lambda item: (item.date, item.source_relpath))

    def _refuse_site_links(self, item: Page) -> bool:
        # {attach} would make Pelican's static generator copy a file in plaintext; a
        # {static}/{filename} link into content/members/ points at a file that is
        # never published in plaintext. Both are mistakes with a clear fix.
        refused = False
        for match in _INTRASITE.finditer(item._content):
            if match["what"] == "attach" or self._points_into_members(item, match["path"]):
                refused = True
                session_of(self.settings).problems.add(
                    SiteError(
                        self._shown(item),
                        "",
                        "länken '{link}' går inte i medlemssidor; lista filer under attachments: i protokollet, "
                        "eller länka öppna sidor med deras adress",
                        link="{" + match["what"] + "}" + match["path"],
                    )
                )
        return refused

    def _points_into_members(self, item: Page, path: str) -> bool:
        base = Path(self.path) if path.startswith("/") else Path(item.source_path).parent
        target = (base / path.lstrip("/")).resolve()
        return target.is_relative_to(self.members_root.resolve())

    def _place(self) -> None:
        slugs = layout.unique_slugs(layout.newsletter_slug(item.date) for item in self.newsletters)
        for item, slug in zip(self.newsletters, slugs, strict=True):
            place(item, f"{layout.NEWSLETTERS_URL}{slug}/")
        slugs = layout.unique_slugs(layout.minutes_slug(item.date, item.meeting) for item in self.minutes)
        for item, slug in zip(self.minutes, slugs, strict=True):
            place(item, f"{layout.MINUTES_URL}{slug}/")

    def _attachments(self, item: Page) -> list[Attachment]:
        names = item.metadata.get("attachments") or []
        try:
            found = find_attachments(Path(item.source_path), list(names), self.members_root, self._shown(item))
        except SiteError as error:
            session_of(self.settings).problems.add(error)
            return []
        return found

    def _password(self) -> tuple[str, bool]:
        try:
            return members_password(self.settings)
        except SiteError as error:
            session_of(self.settings).problems.add(
                error
            )  # foreningssajt/cli/build.py prints collected errors: this one must be among them
            raise

    def _shown(self, item: Page) -> str:
        return relative(item.source_path, Path(self.path).parent)

    # ---- output ------------------------------------------------------------------

    def generate_output(self, writer: Any) -> None:
        members_events = list(self.context.get("members_events") or [])
        for item in self.newsletters:
            self._write_item(writer, item, self._render("members_item", item=item, kind="newsletter"))
        for item in self.minutes:
            # The template gets each attachment with the URL of its encrypted copy.
            level = self.level[item.source_relpath]
            files = self.attachments[item.source_relpath]
            attachments = [{"file": a, "url": self._write_attachment(a, level)} for a in files]
            region = self._render("members_item", item=item, kind="minutes", attachments=attachments)
            self._write_item(writer, item, region)
        self._write_index(writer, members_events)
        self.area.write_search(Path(self.output_path))
        session_of(self.settings).problems.extend(self.area.crossings(self._level_texts()))

    def _write_index(self, writer: Any, events: list[Any]) -> None:
        # Each level's part of the lists is its own payload: board items appear only
        # to whoever holds the board's key.
        parts = []
        for level in self.area.keyring.levels():
            parts.append((level, self._render(
                "members_index" if level.rank == 0 else "members_level_items",
                level=level,
                newsletters=_by_year(self._of_level(self.newsletters, level)),
                minutes=_by_year(self._of_level(self.minutes, level)),
                members_events=[e for e in events if self._event_level(e) == level],
                members_search=self.area.search_urls(self.settings["SITEURL"]),
            )))  # fmt: skip
        self._write_page(writer, layout.MEMBERS_URL, parts[0][1], parts[0][0], parts[1:])

    def _write_item(self, writer: Any, item: Page, region: str) -> None:
        level = self.level[item.source_relpath]
        kind = "Medlemsbrev" if item in self.newsletters else "Protokoll"
        text = area_search.page_text(item.title, item.metadata.get("summary", ""), item._content)
        date = self._render_date(item)
        url = f"{self.settings['SITEURL']}/{item.url}"
        page = area_search.SearchPage(url, item.title, date, kind, text, item.date.isoformat())
        self.area.add_to_search(level, page)
        self._write_page(writer, item.url, region, level)

    def _render_date(self, item: Page) -> str:
        return str(self.env.filters["format_date"](item.date))

    def _of_level(self, items: list[Page], level: Level) -> list[Page]:
        return [item for item in items if self.level[item.source_relpath] == level]

    def _event_level(self, event: Any) -> Level:
        # The inventory read the event's header (access:); a Zetkin event has no file: all members.
        found = self.inventory.item(str(getattr(getattr(event, "event", event), "source", "") or ""))
        try:
            return self.area.level_of({"access": found.access} if found else {}, found.source if found else "")
        except SiteError as error:
            session_of(self.settings).problems.add(error)
            return self.area.keyring.levels()[-1]

    def _level_texts(self) -> list[crossings.LevelText]:
        texts = []
        for item in self.newsletters + self.minutes:
            level = self.level[item.source_relpath]
            summary = str(item.metadata.get("summary", ""))
            texts += crossings.item_texts(self._shown(item), level.id, level.rank, item.title, summary, item._content)
        return texts

    def _render(self, template: str, **values: Any) -> str:
        context = {**self.context, "SITEURL": self.settings["SITEURL"], **values}
        return self.get_template(template).render(context)

    def _write_page(
        self, writer: Any, url: str, region: str, level: Level | None = None, extras: list | None = None
    ) -> None:
        level = level or self.area.keyring.levels()[0]
        with session_of(self.settings).stats.stage("encryption"):
            payload = self.area.payload(url, region, level, extras or ())
        writer.write_file(
            url + "index.html",
            self.get_template("members_page"),
            self.context,
            page_url=url,
            members_payload=payload,
            members_level=level,
            members_salt=self.salt,
            members_remember_days=self._remember_days(),
            members_demo=self.area.keyring.demo(level.id),
        )

    def _remember_days(self) -> int:
        return int(self.settings.get("SITE", {}).get("members", {}).get("remember_days", 30))

    def _write_attachment(self, attachment: Attachment, level: Level) -> str:
        data = attachment.source.read_bytes()
        if is_raster(attachment.source):  # a member's download carries no camera or GPS data either
            data = clean_image_bytes(data, relative(attachment.source, Path(self.path).parent))
        url = layout.FILES_URL + layout.attachment_name(self.area.name_key(level), data)
        target = Path(self.output_path) / url
        target.parent.mkdir(parents=True, exist_ok=True)
        with session_of(self.settings).stats.stage("encryption"):
            ciphertext = self.area.keyring.cipher(level.id).encrypt(data)
        target.write_text(ciphertext, encoding="ascii")
        return url


def _by_year(items: list[Page]) -> list[tuple[int, list[Page]]]:
    """Items grouped by year, newest year and newest item first."""
    newest_first = sorted(items, key=lambda item: item.date, reverse=True)
    return [(year, list(group)) for year, group in groupby(newest_first, key=lambda item: item.date.year)]
