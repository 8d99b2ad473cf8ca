"""Mistakes in a Markdown body that would otherwise pass silently.

- ``# Rubrik``: the page's title comes from the header and is the only level-1
  heading; a second one breaks the heading order screen readers navigate by.
- an image that is not in content/: the page would show a broken image;
- an image without a description (``![](bild.jpg)``): a screen reader says nothing.

Code blocks are skipped: a ``#`` there is a comment, not a heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from foreningssajt.siteconfig.errors import SiteError, relative
from foreningssajt.siteconfig.publication import is_protected_path

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LEVEL_ONE = re.compile(r"^\s{0,3}#(?!#)\s*\S")
_SETEXT_ONE = re.compile(r"^\s{0,3}=+\s*$")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc=[\"'](?P<src>[^\"']+)[\"'][^>]*>", re.IGNORECASE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
_LINK_PREFIXES = ("{static}", "{attach}", "{filename}", "|static|", "|attach|", "|filename|")


def text_lines(body: str, first_line: int) -> Iterator[tuple[int, str, str]]:
    """(line number in the file, line, previous line) for lines outside fenced code."""
    in_code = False
    previous = ""
    for number, line in enumerate(body.split("\n"), start=first_line):
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and not line.startswith(("    ", "\t")):
            yield number, line, previous
        previous = line if not in_code else ""


def body_problems(body: str, first_line: int, shown: str, site_root: Path) -> list[SiteError]:
    """Every heading, image and description problem in a body, each with its line."""
    found: list[SiteError] = []
    for number, line, previous in text_lines(body, first_line):
        if _LEVEL_ONE.match(line) or (_SETEXT_ONE.match(line) and previous.strip()):
            found.append(
                SiteError(
                    shown,
                    "",
                    "en rubrik med en # i texten blir en andra huvudrubrik; sidans rubrik kommer från "
                    "title i huvudet, så börja rubrikerna i texten med ## (och ### under dem)",
                    line=number,
                )
            )
        found += _image_problems(line, number, shown, site_root)
    return found


def _image_problems(line: str, number: int, shown: str, site_root: Path) -> list[SiteError]:
    found = []
    images = [(m.group("src"), m.group("alt")) for m in _IMAGE.finditer(line)]
    images += [(m.group("src"), None) for m in _HTML_IMAGE.finditer(line)]
    for src, alt in images:
        if alt is not None and not alt.strip():
            found.append(
                SiteError(
                    shown,
                    "",
                    "bilden {src} saknar beskrivning; skriv vad bilden visar inom hakparentesen: "
                    "![Tre personer vid ett tält på torget]({src})",
                    line=number,
                    src=src,
                )
            )
        missing = _missing_file(src, site_root)
        if missing:
            found.append(_missing_image(src, missing, number, shown, site_root))
    return found


def _missing_image(src: str, missing: str, number: int, shown: str, site_root: Path) -> SiteError:
    beside = (site_root / shown).parent / src
    if not beside.is_file():
        return SiteError(
            shown,
            "",
            "bilden content/{file} finns inte; lägg den där, eller rätta sökvägen (t.ex. /images/bild.jpg)",
            line=number,
            file=missing,
        )
    if is_protected_path(relative(beside, site_root / "content")):
        return SiteError(
            shown,
            "",
            "bilden {src} ligger bland medlemmarnas filer, som aldrig visas öppet eller i ett e-brev; "
            "använd en bild i content/images/ (skriv /images/bild.jpg) eller ta bort den",
            line=number,
            src=src,
        )
    # A path beside the text would be looked for beside the page's address, where it is not.
    return SiteError(
        shown,
        "",
        "bilden {src} ligger bredvid texten, men webbplatsen hittar bara bilder i content/images/; "
        "flytta den dit och skriv /images/{name}",
        line=number,
        src=src,
        name=beside.name,
    )


def _missing_file(src: str, site_root: Path) -> str | None:
    """The path under content/ of a local image that is not there; None when it is (or is external)."""
    if _EXTERNAL.match(src):
        return None
    path = src.split("#", 1)[0].split("?", 1)[0]
    for prefix in _LINK_PREFIXES:
        path = path.removeprefix(prefix)
    path = path.lstrip("/")
    return None if (site_root / "content" / path).is_file() else path
