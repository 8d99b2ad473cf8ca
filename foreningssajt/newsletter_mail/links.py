"""Links and images in the email: absolute addresses, and images carried inline.

An email is read far from the site, so every link becomes a full address. Images come
along as inline attachments (cid:), but only public ones from content/images/: an image
under content/members/ is protected, and an email is a copy we cannot take back.
"""

from __future__ import annotations

import html
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from pelican.contents import Article, Page

from foreningssajt.images.email import email_image
from foreningssajt.siteconfig.errors import SiteError

from .source import Newsletter, read
from .urls import absolute

# The same shape of match as Pelican's own intrasite-link regex: a tag, its attribute, a quoted value.
_ATTRIBUTE = re.compile(
    r"""(?P<markup><(?P<tag>a|img)\b[^>]*?\s(?P<attr>href|src)\s*=\s*)(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
    re.IGNORECASE | re.DOTALL,
)
_PLACEHOLDER = re.compile(r"^[{|](?P<what>static|attach|filename)[}|](?P<path>.*)$")
_KEEP_SCHEMES = ("http:", "https:", "mailto:", "tel:")
PUBLIC_IMAGES = "images"
PROTECTED = "members"
# Only these two readers' URLs are known outside a build; other types live in plugins.
_LINKABLE = {"posts": Article, "pages": Page}


@dataclass
class InlineImage:
    path: Path
    cid: str  # without the angle brackets: used as src="cid:..."
    public_url: str  # the published copy, for the HTML file pasted into a mail tool

    @property
    def mime(self) -> tuple[str, str]:
        kind = mimetypes.guess_type(self.path.name)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        return maintype, subtype


@dataclass
class Resolved:
    html: str
    images: list[InlineImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class LinkResolver:
    """Rewrites one newsletter's links; collects every mistake before giving up."""

    def __init__(self, settings: dict[str, Any], readers: Any, newsletter: Newsletter, domain: str) -> None:
        self.settings = settings
        self.readers = readers
        self.newsletter = newsletter
        self.domain = domain
        self.content = Path(settings["PATH"]).resolve()
        self.site_url = settings["SITE"]["url"]
        self.web_url = absolute(self.site_url, newsletter.web_path)
        self.images: dict[Path, InlineImage] = {}
        self.errors: list[SiteError] = []
        self.warnings: list[str] = []

    def resolve(self) -> Resolved:
        rewritten = _ATTRIBUTE.sub(self._replace, self.newsletter.body)
        if self.errors:
            raise ResolveErrors(self.errors)
        return Resolved(rewritten, list(self.images.values()), self.warnings)

    def _replace(self, match: re.Match) -> str:
        value = html.unescape(match.group("value")).strip()
        try:
            if match.group("attr").lower() == "src" and match.group("tag").lower() == "img":
                new = "cid:" + self._image(value).cid
            else:
                new = self._link(value)
        except SiteError as error:
            self.errors.append(error)
            return match.group(0)
        quote = match.group("quote")
        return f"{match.group('markup')}{quote}{html.escape(new, quote=True)}{quote}"

    # ---- links -------------------------------------------------------------------

    def _link(self, value: str) -> str:
        placeholder = _PLACEHOLDER.match(value)
        if placeholder:
            path, fragment = _split_fragment(placeholder.group("path"))
            return self._content_url(self._content_path(path), value) + fragment
        if value.lower().startswith(_KEEP_SCHEMES):
            return value
        # Relative links mean what they mean on the web edition's page.
        return urljoin(self.web_url, value)

    def _content_url(self, relpath: str, shown_value: str) -> str:
        top = relpath.split("/", 1)[0]
        if top == PROTECTED or shown_value.startswith(("{attach}", "|attach|")):
            # The members' area refuses these too (foreningssajt/members/generator.py): same words.
            raise self._error(
                "link",
                "länken '{link}' går inte i medlemssidor; lista filer under attachments: i protokollet, "
                "eller länka öppna sidor med deras adress",
                link=shown_value,
            )
        if top in self.settings["STATIC_PATHS"]:
            self._must_exist(relpath, shown_value, "link")
            return absolute(self.site_url, relpath)
        if top in _LINKABLE and relpath.endswith(".md"):
            self._must_exist(relpath, shown_value, "link")
            return absolute(self.site_url, read(self.readers, self.settings, relpath, _LINKABLE[top]).url)
        raise self._error("link", "'{link}': skriv sidans hela webbadress (https://...) i stället", link=shown_value)

    # ---- images ------------------------------------------------------------------

    def _image(self, value: str) -> InlineImage:
        relpath = self._image_path(value)
        self._must_exist(relpath, value, "image")
        lexical = self.content / relpath
        real = lexical.resolve()  # follows links: a link into content/members/ is still protected
        protected = self.content / PROTECTED
        if lexical.is_relative_to(protected) or real.is_relative_to(protected):
            raise self._error(
                "image",
                "'{image}' ligger bland medlemmarnas filer i content/{protected}/ och kan inte skickas säkert i "
                "ett e-brev; använd en öppen bild i content/{public}/ eller ta bort den",
                image=value,
                protected=PROTECTED,
                public=PUBLIC_IMAGES,
            )
        if not real.is_relative_to(self.content / PUBLIC_IMAGES):
            raise self._error(
                "image",
                "'{image}': lägg bilden i content/{public}/ och länka den därifrån",
                image=value,
                public=PUBLIC_IMAGES,
            )
        if real.suffix.lower() == ".svg":
            self.warnings.append(
                f"{self.newsletter.shown}: image: '{value}' är SVG, som Gmail och Outlook inte visar; "
                "PNG eller JPEG fungerar överallt"
            )
        return self.images.setdefault(real, self._new_image(real, relpath))

    def _image_path(self, value: str) -> str:
        placeholder = _PLACEHOLDER.match(value)
        if placeholder:
            return self._content_path(placeholder.group("path"))
        if value.lower().startswith(("http:", "https:")):
            if not value.startswith(self.site_url.rstrip("/") + "/"):
                raise self._error(
                    "image",
                    "'{image}' ligger på en annan webbplats, och e-brevet skulle hämta den därifrån; "
                    "kopiera den till content/{public}/ i stället",
                    image=value,
                    public=PUBLIC_IMAGES,
                )
            return self._content_path("/" + value[len(self.site_url.rstrip("/")) + 1 :])
        return self._content_path(value)

    def _new_image(self, real: Path, relpath: str) -> InlineImage:
        stem = re.sub(r"[^A-Za-z0-9-]", "-", real.stem)[:40] or "bild"
        # A clean copy at most 1200 px wide, not the 4 MB original with its GPS position.
        attached = email_image(real, self.settings, f"content/{relpath}")
        return InlineImage(attached, f"{stem}.{len(self.images) + 1}@{self.domain}", absolute(self.site_url, relpath))

    # ---- paths -------------------------------------------------------------------

    def _content_path(self, path: str) -> str:
        """A link target as a path under content/: '/x' from content/, 'x' from the newsletter's folder."""
        path = unquote(urlsplit(path).path)
        if path.startswith("/"):
            joined = path.lstrip("/")
        else:
            joined = posixpath.join(posixpath.dirname(self.newsletter.relpath), path)
        normal = posixpath.normpath(joined)
        if normal.startswith("../") or normal == "..":
            raise self._error("link", "'{link}' pekar utanför content/", link=path)
        return normal

    def _must_exist(self, relpath: str, shown_value: str, key: str) -> None:
        if not (self.content / relpath).is_file():
            if key == "image":
                raise self._error(
                    key,
                    "'{value}': det finns ingen fil content/{file}; skriv /{public}/<namn> för en öppen bild",
                    value=shown_value,
                    file=relpath,
                    public=PUBLIC_IMAGES,
                )
            raise self._error(
                key,
                "'{value}': det finns ingen fil content/{file}; kontrollera namnet",
                value=shown_value,
                file=relpath,
            )

    def _error(self, key: str, message: str, **params: str) -> SiteError:
        return SiteError(self.newsletter.shown, key, message, **params)


class ResolveErrors(Exception):
    def __init__(self, errors: list[SiteError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def _split_fragment(path: str) -> tuple[str, str]:
    base, hash_mark, fragment = path.partition("#")
    return base, hash_mark + fragment
