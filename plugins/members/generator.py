"""The members' generator: the only code that reads content/members/.

It reads newsletters and minutes with Pelican's readers, renders each item's content
region with the theme, encrypts it with one key derived once per build, and writes
pages that hold only ciphertext inside the public shell. Attachments are encrypted
with the same key. Everything protected is listed for the leak audit.
"""

from __future__ import annotations

import json
import re
from itertools import groupby
from pathlib import Path
from typing import Any

from pelican.contents import Page
from pelican.generators import Generator

from content_rules.reading import place, read_folder
from siteconfig.errors import SiteError, relative
from siteconfig.session import session_of

from . import layout, protected
from .attachments import Attachment, find_attachments
from .password import DEMO_PASSWORD, members_password
from .staticrypt import Cipher, derive_key, load_or_create_salt

SALT_FILE = "members-salt.txt"
# Pelican's intrasite link syntax in rendered HTML: href="{attach}x.pdf", src="|static|y".
_INTRASITE = re.compile(r"""=\s*["'][{|](?P<what>attach|static|filename)[|}](?P<path>[^"']*)""")


class MembersGenerator(Generator):
    """Writes /medlem/ (encrypted index), its items and /medlem/filer/*.bin."""

    def generate_context(self) -> None:
        folder = self.settings.get("MEMBERS_PATH", "members")
        self.members_root = Path(self.path) / folder
        self.context["MEMBERS_URL"] = layout.MEMBERS_URL
        self.context["MEMBERS_DEMO_PASSWORD"] = DEMO_PASSWORD
        self.newsletters = self._read(f"{folder}/newsletters")
        self.minutes = self._read(f"{folder}/minutes")
        self._place()
        self.attachments = {item.source_relpath: self._attachments(item) for item in self.minutes}
        self.settings[protected.SETTING] = self._protected_texts()
        # Last, so that content mistakes are all listed even when the password is refused.
        password, self.demo = self._password()
        salt = load_or_create_salt(Path(self.path).parent / SALT_FILE)
        self.salt = salt
        with session_of(self.settings).stats.stage("encryption"):
            hashed = derive_key(password, salt)  # the build's one derivation: ~0.1 s
        session_of(self.settings).stats.count("key_derivations")  # bench/ checks: one per build
        self.cipher = Cipher(hashed)
        self._name_key = bytes.fromhex(hashed)

    def _read(self, folder: str) -> list[Page]:
        items = [item for item in read_folder(self, folder) if getattr(item, "status", "published") != "draft"]
        for item in items:
            self._refuse_site_links(item)
        # Oldest first, so that a clash gives the later item the -2.
        return sorted(items, key=lambda item: (item.date, item.source_relpath))

    def _refuse_site_links(self, item: Page) -> None:
        # {attach} would make Pelican's static generator copy a file in plaintext; a
        # {static}/{filename} link into content/members/ points at a file that is
        # never published in plaintext. Both are mistakes with a clear fix.
        for match in _INTRASITE.finditer(item._content):
            if match["what"] == "attach" or self._points_into_members(item, match["path"]):
                session_of(self.settings).problems.add(
                    SiteError(
                        self._shown(item),
                        "",
                        f"link '{{{match['what']}}}{match['path']}' is not allowed in members' pages; "
                        "list files under 'attachments:' in minutes, or link public pages by their address",
                    )
                )

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

    def _protected_texts(self) -> list[protected.Protected]:
        texts = []
        for item in self.newsletters + self.minutes:
            texts += protected.item_texts(self._shown(item), item._content, item.metadata)
        return texts

    def _password(self) -> tuple[str, bool]:
        try:
            return members_password(self.settings)
        except SiteError as error:
            session_of(self.settings).problems.add(
                error
            )  # tools/build.py prints collected errors: this one must be among them
            raise

    def _shown(self, item: Page) -> str:
        return relative(item.source_path, Path(self.path).parent)

    # ---- output ------------------------------------------------------------------

    def generate_output(self, writer: Any) -> None:
        members_events = list(self.context.get("members_events") or [])
        self._add_event_texts(members_events)
        for item in self.newsletters:
            self._write_page(writer, item.url, self._render("members_item", item=item, kind="newsletter"))
        for item in self.minutes:
            # The template gets each attachment with the URL of its encrypted copy.
            attachments = [{"file": a, "url": self._write_attachment(a)} for a in self.attachments[item.source_relpath]]
            region = self._render("members_item", item=item, kind="minutes", attachments=attachments)
            self._write_page(writer, item.url, region)
        region = self._render(
            "members_index",
            newsletters=_by_year(self.newsletters),
            minutes=_by_year(self.minutes),
            members_events=members_events,
        )
        self._write_page(writer, layout.MEMBERS_URL, region)

    def _add_event_texts(self, events: list[Any]) -> None:
        texts = self.settings.setdefault(protected.SETTING, [])
        for event in events:
            texts += protected.event_texts(event)

    def _render(self, template: str, **values: Any) -> str:
        context = {**self.context, "SITEURL": self.settings["SITEURL"], **values}
        return self.get_template(template).render(context)

    def _write_page(self, writer: Any, url: str, region: str) -> None:
        writer.write_file(
            url + "index.html",
            self.get_template("members_page"),
            self.context,
            page_url=url,
            members_payload=self._payload(region),
            members_salt=self.salt,
            members_remember_days=self._remember_days(),
            members_demo=self.demo,
        )

    def _payload(self, region: str) -> str:
        # The official StatiCrypt CLI (--decrypt) finds the payload and salt by these
        # JSON keys anywhere in the file; members.js reads the same JSON.
        with session_of(self.settings).stats.stage("encryption"):
            ciphertext = self.cipher.encrypt(region)
        config = {
            "staticryptEncryptedMsgUniqueVariableName": ciphertext,
            "staticryptSaltUniqueVariableName": self.salt,
            "isRememberEnabled": self._remember_days() > 0,
            "rememberDurationInDays": self._remember_days(),
        }
        return json.dumps(config)

    def _remember_days(self) -> int:
        return int(self.settings.get("SITE", {}).get("members", {}).get("remember_days", 30))

    def _write_attachment(self, attachment: Attachment) -> str:
        data = attachment.source.read_bytes()
        url = layout.FILES_URL + layout.attachment_name(self._name_key, data)
        target = Path(self.output_path) / url
        target.parent.mkdir(parents=True, exist_ok=True)
        with session_of(self.settings).stats.stage("encryption"):
            ciphertext = self.cipher.encrypt(data)
        target.write_text(ciphertext, encoding="ascii")
        return url


def _by_year(items: list[Page]) -> list[tuple[int, list[Page]]]:
    """Items grouped by year, newest year and newest item first."""
    newest_first = sorted(items, key=lambda item: item.date, reverse=True)
    return [(year, list(group)) for year, group in groupby(newest_first, key=lambda item: item.date.year)]
