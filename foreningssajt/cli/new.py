"""`make new`: a new post, event, report or minute with a header the build accepts.

Two questions in Swedish (what, and its title); every other required key gets a value
that passes the content contract (now, the first venue, committee or meeting kind in
site.yml), marked with a comment saying what to change. The keys come from the
contract (content_rules/rules.py) and the folders from the publication map, so the
file is valid by construction; the test builds it.

Usage: python -m foreningssajt.cli.new [--root DIR] [nyhet|aktivitet|rapport|protokoll] ["Rubrik"]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from foreningssajt.content_rules import rules
from foreningssajt.editor.fields import describe
from foreningssajt.siteconfig.publication import BY_NAME, CONTENT

CHOICES = {"nyhet": "post", "aktivitet": "event", "rapport": "report", "protokoll": "minutes"}
PREFIX = {"minutes": "protokoll-{date}-", "report": "{date}-"}


def slug(title: str) -> str:
    """File name from a title: lowercase ASCII, hyphens (the guide's rule for file names)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "ny"


def value_for(key: str, check: Any, title: str, site: dict, now: dt.datetime) -> tuple[Any, str]:
    """A value the contract accepts, and a comment telling the writer what to change."""
    found = describe(check)
    kind = found.get("type")
    if key == "title":
        return title, ""
    if kind == "registry":
        entries = site.get(found.get("registry") or "") or [{}]
        return entries[0].get(found.get("gives") or "id"), f"ändra till något ur {found.get('registry')} i site.yml"
    if kind == "choice":
        return found["choices"][0], "eller " + ", ".join(found["choices"][1:])
    if kind == "date":
        return now.date(), "ändra till rätt datum"
    if kind == "number":
        return now.year, ""
    return now.strftime("%Y-%m-%d %H:%M"), "ändra till rätt datum och tid"


def header_lines(kind: str, title: str, site: dict, now: dt.datetime) -> list[str]:
    lines = []
    for key, check in rules.TYPES[BY_NAME[kind].folder].required.items():
        value, comment = value_for(key, check, title, site, now)
        # The title as YAML writes it (a colon or quote in it stays text); the rest are
        # dates, ids and fixed words, written plain as people write them.
        text = (
            yaml.safe_dump({key: value}, allow_unicode=True, width=1000).strip()
            if key == "title"
            else f"{key}: {value}"
        )
        lines.append(f"{text}  # {comment}" if comment else text)
    return lines


def write_new(root: Path, kind: str, title: str, now: dt.datetime | None = None) -> Path:
    """Write the file and return its path; an existing file is never overwritten."""
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    site = yaml.safe_load((root / "site.yml").read_text(encoding="utf-8")) or {}
    folder = root / CONTENT / BY_NAME[kind].folder
    name = PREFIX.get(kind, "").format(date=now.date().isoformat()) + slug(title)
    path = folder / f"{name}.md"
    number = 2
    while path.exists():
        path, number = folder / f"{name}-{number}.md", number + 1
    folder.mkdir(parents=True, exist_ok=True)
    body = f"Skriv texten till {BY_NAME[kind].label.lower()} här.\n"
    path.write_text("---\n" + "\n".join(header_lines(kind, title, site, now)) + "\n---\n\n" + body, encoding="utf-8")
    return path


def ask(question: str, answer: str | None) -> str:
    return answer if answer else input(question).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skriv en ny nyhet, aktivitet, rapport eller ett protokoll.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="site folder with site.yml and content/")
    parser.add_argument("what", nargs="?", help="nyhet, aktivitet, rapport eller protokoll")
    parser.add_argument("title", nargs="?", help="rubriken")
    args = parser.parse_args(argv)
    what = ask("Vad vill du skriva: nyhet, aktivitet, rapport eller protokoll? ", args.what).lower()
    if what not in CHOICES:
        print(f"{what!r} känns inte igen; skriv nyhet, aktivitet, rapport eller protokoll", file=sys.stderr)
        return 1
    title = ask("Rubrik: ", args.title)
    if not title:
        print("rubriken är tom; skriv en rubrik", file=sys.stderr)
        return 1
    path = write_new(args.root.resolve(), CHOICES[what], title)
    shown = path.relative_to(args.root.resolve())
    print(f"Skrev {shown}: öppna filen, ändra det som kommentarerna säger och skriv texten.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
