"""Helpers for the members' area tests: reading protected sources and built output.

Deliberately simple and independent of foreningssajt/leak_audit: if the audit had a blind
spot, these plain substring checks should not share it.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import yaml

_TAG = re.compile(r"<[^>]+>")
_MARKDOWN = re.compile(r"[*_#>`]|^\s*[-+]\s|^\s*\d+\.\s", re.M)
PAYLOAD = re.compile(r'<script type="application/json" id="members-payload"[^>]*>(.*?)</script>', re.S)


def flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_output(output: Path) -> dict[str, str]:
    """Every file's text (gzip decompressed, entities undone), with and without tags."""
    texts = {}
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        text = html.unescape(html.unescape(data.decode("utf-8", errors="replace")))
        texts[path.relative_to(output).as_posix()] = flat(text) + "\n" + flat(_TAG.sub(" ", text))
    return texts


def split_source(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, header, body = text.split("---", 2)
    return yaml.safe_load(header), body


def protected_sources(content: Path) -> list[Path]:
    """Markdown under content/members/, and calendar events marked members_only."""
    events = [p for p in sorted((content / "events").rglob("*.md")) if split_source(p)[0].get("members_only")]
    return sorted((content / "members").rglob("*.md")) + events


def protected_phrases(content: Path, public_text: str) -> list[tuple[str, str]]:
    """(source, phrase) for titles and body sentences of 4+ words not also in public sources."""
    phrases = []
    for path in protected_sources(content):
        header, body = split_source(path)
        candidates = [str(header["title"]), *re.split(r"(?<=[.!?])\s+|\n", _MARKDOWN.sub("", body))]
        for phrase in candidates:
            phrase = flat(phrase)
            if len(phrase.split()) >= 4 and phrase not in public_text:
                phrases.append((path.name, phrase))
    return phrases


def public_source_text(content: Path) -> str:
    protected = set(protected_sources(content))
    texts = [p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.md")) if p not in protected]
    return flat(_MARKDOWN.sub("", "\n".join(texts)))


def protected_pages(output: Path) -> list[Path]:
    return sorted((output / "medlem").rglob("index.html"))


# ---- protected documents and in-process builds (tests/test_leak_audit*.py) ----------------


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` in Helvetica (WinAnsi, so Swedish letters work)."""
    body = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")
    stream = b"BT /F1 12 Tf 40 800 Td (" + body + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def office_file(paragraphs: list[str], kind: str = "docx") -> bytes:
    """A minimal .docx (or .odt) whose text is the paragraphs: a zip of XML, as Word writes it."""
    import io
    import zipfile

    escaped = [html.escape(p) for p in paragraphs]
    if kind == "docx":
        name = "word/document.xml"
        xml = (
            "<w:document><w:body>"
            + "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in escaped)
            + "</w:body></w:document>"
        )
    else:
        name = "content.xml"
        xml = (
            "<office:document-content><office:body><office:text>"
            + "".join(f"<text:p>{p}</text:p>" for p in escaped)
            + "</office:text></office:body></office:document-content>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml" if kind == "docx" else "mimetype", "x")
        archive.writestr(name, xml)
    return buffer.getvalue()


def build_in_process(root: Path, output: Path, *extra: str) -> tuple[int, list[str]]:
    """foreningssajt/cli/build.py's main() in this process (no search): (exit code, lines on stderr)."""
    from sitebuild import run_build  # puts back what the build changed in the process

    done = run_build(["--root", str(root), "--output", str(output), "--no-search", *extra])
    return done.returncode, done.stderr.splitlines()
