"""The text inside a file, whatever its kind: what the audit reads on both sides.

HTML, XML, feeds, JSON, iCalendar, CSV, Markdown and plain text are read as text;
gzip (Pagefind's index), PDF (pypdf), Office and OpenDocument files (zip archives of
XML) and zip archives are opened and the text inside them read, names of the files
inside included. Images, fonts and media hold no text a reader sees and are skipped
(their names and bytes are still checked by the audit).

A file that claims a kind but cannot be opened (damaged gzip, a zip bomb) raises
Unreadable: the audit does not pass what it could not read.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from .normalise import bytes_without_ciphertext

log = logging.getLogger(__name__)

# Pixels, glyphs and sound: no text a reader sees.
MEDIA_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff", ".woff", ".woff2",
        ".ttf", ".otf", ".eot", ".wasm", ".mp3", ".mp4", ".m4a", ".webm", ".ogg", ".wav", ".mov",
    }
)  # fmt: skip
FOLDED_SUFFIXES = frozenset({".ics", ".ical", ".ifb", ".vcf"})
_FOLD = re.compile(r"\r?\n[ \t]")
MAX_DEPTH = 4  # files inside files (gzip, zip in zip); deeper nesting is not something a site ships
MAX_EXPANDED = 200 * 1024 * 1024  # bytes unpacked from one file: more is a zip bomb, not content


class Unreadable(ValueError):
    """A file the audit cannot read, so cannot pass."""


@dataclass(frozen=True)
class Text:
    """One readable part of a file: its text and whether it carries markup."""

    where: str  # the file, or file!member for a part of an archive
    text: str
    markup: bool
    ciphertext: bool = True  # False: its long hex runs are cut out already (normalise.bytes_without_ciphertext)


def document_texts(name: str, data: bytes, depth: int = 0, parts: list[bytes] | None = None) -> list[Text]:
    """Every readable text in the file `name` (a path, for its suffix) with these bytes.

    `parts`, if given, gets the bytes of every file found inside (unpacked, decompressed),
    so that a copy of a protected file is found by its bytes inside a zip or gzip too.
    """
    suffix = PurePosixPath(name).suffix.lower()
    if parts is not None and depth:
        parts.append(data)
    if data[:2] == b"\x1f\x8b":
        return document_texts(name.removesuffix(".gz"), _gunzip(data), depth + 1, parts)
    if suffix == ".br":
        return document_texts(name.removesuffix(".br"), _unbrotli(data), depth + 1, parts)
    if data[:5] == b"%PDF-" or suffix == ".pdf":
        return [Text(name, pdf_text(data), markup=False)]
    if data[:4] == b"PK\x03\x04" or suffix in (".zip", ".docx", ".odt", ".xlsx", ".ods", ".pptx", ".odp", ".epub"):
        return _archive_texts(name, data, depth, parts)
    if suffix in MEDIA_SUFFIXES:
        return []
    # Bytes that are no UTF-8 (the binary parts of Pagefind's index, of ciphertext files)
    # separate words as U+FFFD or as a space alike; as spaces the text often stays ASCII,
    # which normalise.py reads several times faster.
    if suffix in FOLDED_SUFFIXES:
        # iCalendar folds long lines mid-word (RFC 5545 3.1): unfold before reading words
        # (and before cutting out ciphertext: unfolding may join a run).
        text = _FOLD.sub("", _decoded(data))
        return [Text(name, text, markup="<" in text)]
    # Ciphertext (members' pages and files) is cut out before decoding: most of those bytes are never decoded.
    text = _decoded(bytes_without_ciphertext(data))
    return [Text(name, text, markup="<" in text, ciphertext=False)]


def _decoded(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\ufffd", " ")


def pdf_text(data: bytes) -> str:
    """The text a PDF reader shows (and its document information), or '' when there is none to read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        parts = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
        parts += [str(value) for value in info.values()]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AssertionError) as exc:
        # Not a PDF after all (a scan saved as .pdf by mistake, random test bytes): its
        # bytes are still compared, and a PDF no reader can open shows no text either.
        log.debug("no text read from a PDF: %s", exc)
        return ""
    return "\n".join(parts)


def _archive_texts(name: str, data: bytes, depth: int, parts: list[bytes] | None) -> list[Text]:
    if depth >= MAX_DEPTH:
        raise Unreadable(f"{name}: zip inside zip deeper than {MAX_DEPTH} levels")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unreadable(f"{name}: not a readable zip file ({exc})") from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > MAX_EXPANDED:
            raise Unreadable(f"{name}: unpacks to more than {MAX_EXPANDED // 2**20} MB")
        texts = [Text(name, "\n".join(info.filename for info in members), markup=False)]
        for info in members:
            try:
                inner = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, zlib.error) as exc:
                raise Unreadable(f"{name}: cannot unpack {info.filename} ({exc})") from None
            texts += document_texts(f"{name}!{info.filename}", inner, depth + 1, parts)
    return texts


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            expanded = stream.read(MAX_EXPANDED + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise Unreadable(f"damaged gzip data ({exc})") from None
    if len(expanded) > MAX_EXPANDED:
        raise Unreadable(f"unpacks to more than {MAX_EXPANDED // 2**20} MB")
    return expanded


def _unbrotli(data: bytes) -> bytes:
    brotli = None
    with contextlib.suppress(ImportError):
        import brotli  # type: ignore[import-not-found,no-redef]
    if brotli is None:
        raise Unreadable("Brotli-compressed, and the brotli package is not installed")
    return brotli.decompress(data)
