"""A synthetic association site for the benchmark: Swedish-like Markdown, seeded.

Usage: python bench/generate.py OUT [--posts 1000] [--reports 200] [--events 100] [--series 10]
       [--plans 4] [--protected 200] [--attachments 20] [--attachment-kb 200] [--pages 5] [--seed 7]

OUT gets site.yml (the repository's, so ids stay valid), members-salt.txt and content/
in the layout of DESIGN.md. The same seed gives the same site, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from dateutil.rrule import rrulestr

REPO = Path(__file__).resolve().parents[1]


def _words(text: str) -> list[str]:
    return text.split()


# A small fixed vocabulary with å, ä and ö, so that text, slugs and stemming see Swedish.
WORDS = _words("""
arbete arbetare barn bostad budget byggnad dag demokrati distrikt ekonomi elev fackförening familj
framtid frihet fråga förening förskola förslag gata gemenskap grupp hamn hyra hälsa hemtjänst idé
jämlikhet jämställdhet kommun kostnad kultur kvinna kväll lag ledamot lokal lön lördag medlem möte
människa nämnd ordförande organisation park parti pension plan politik pris rättvisa samhälle skola
sjukvård solidaritet stad styrelse stöd studiecirkel torg trygghet tåg ungdom utbildning val valfrihet
vård välfärd väg år ålder äldreomsorg ärende öppenhet område åtgärd överenskommelse
bra stor liten ny gammal viktig gemensam lokal trygg öppen rättvis långsiktig ständig bättre
vill ska kan behöver kräver föreslår bygger stärker skyddar förbättrar ordnar möter samlar röstar
och men för med på i till från om under efter inför genom hos mellan utan vid över
""")
VERBS = _words("vill ska kan behöver kräver föreslår bygger stärker skyddar förbättrar ordnar samlar")
TAGS = _words("välfärd skola vård jämställdhet bostäder klimat kultur äldreomsorg förskola arbete trygghet val")
MONTHS = _words("januari februari mars april maj juni juli augusti september oktober november december")


@dataclass
class Sizes:
    posts: int = 1000
    reports: int = 200
    events: int = 100
    series: int = 10
    plans: int = 4
    protected: int = 200
    attachments: int = 20
    attachment_kb: int = 200
    pages: int = 5


class Text:
    """Seeded Swedish-like sentences and paragraphs."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def words(self, low: int, high: int) -> list[str]:
        return self.random.choices(WORDS, k=self.random.randint(low, high))

    def title(self) -> str:
        words = self.words(3, 6)
        words.insert(1, self.random.choice(VERBS))
        return " ".join(words).capitalize()

    def sentence(self) -> str:
        return " ".join(self.words(6, 16)).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.random.randint(3, 6)))

    def body(self, paragraphs: tuple[int, int] = (4, 8)) -> str:
        parts = [self.paragraph() for _ in range(self.random.randint(*paragraphs))]
        # A heading and a list, as real posts have.
        parts.insert(len(parts) // 2, "## " + self.title())
        parts.append("\n".join("- " + self.sentence() for _ in range(self.random.randint(2, 4))))
        return "\n\n".join(parts) + "\n"


def header(fields: dict[str, object]) -> str:
    lines = []
    for key, value in fields.items():
        if isinstance(value, list):
            value = "[" + ", ".join(str(item) for item in value) + "]"
        lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def write(path: Path, fields: dict[str, object], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header(fields) + body, encoding="utf-8")


def unique_titles(text: Text) -> callable:
    seen: set[str] = set()

    def title() -> str:
        candidate = text.title()
        while candidate in seen:
            candidate = text.title()
        seen.add(candidate)
        return candidate

    return title


def when(base: datetime, days: int, hour: int = 10) -> str:
    return (base + timedelta(days=days)).replace(hour=hour).strftime("%Y-%m-%d %H:%M")


def posts(content: Path, text: Text, title: callable, n: int) -> None:
    start = datetime(2019, 1, 1)
    for i in range(n):
        fields = {"title": title(), "date": when(start, i * 2 + text.random.randint(0, 1), 9 + i % 9)}
        fields["summary"] = text.sentence()
        fields["tags"] = sorted(set(text.random.sample(TAGS, text.random.randint(1, 3))))
        write(content / "posts" / f"inlagg-{i + 1:04d}.md", fields, text.body())


def pages(content: Path, text: Text, n: int) -> None:
    for i in range(n):
        write(content / "pages" / f"sida-{i + 1}.md", {"title": f"Sida {i + 1} om {WORDS[i]}"}, text.body((3, 6)))


def plans(content: Path, text: Text, n: int) -> None:
    for i in range(n):
        year = 2027 - n + i
        parts = [text.paragraph()]
        for _ in range(6):
            goals = [f"- [{text.random.choice('x ')}] " + text.title() for _ in range(text.random.randint(3, 5))]
            parts += ["## " + text.title(), text.paragraph(), "\n".join(goals)]
        write(
            content / "plans" / f"verksamhetsplan-{year}.md",
            {"title": f"Verksamhetsplan {year}", "year": year},
            "\n\n".join(parts) + "\n",
        )


def reports(content: Path, text: Text, title: callable, n: int, site: dict) -> None:
    committees = [c["id"] for c in site["committees"]]
    people = [p["id"] for p in site["people"]]
    start = datetime(2020, 1, 8)
    for i in range(n):
        meeting_number, phase = divmod(i, 2)
        committee = committees[meeting_number % len(committees)]
        meeting = start + timedelta(days=7 * meeting_number)
        fields = {
            "title": title(),
            "date": when(meeting, -3 if phase == 0 else 0, 9 if phase == 0 else 21),
            "author": people[meeting_number % len(people)],
            "committee": committee,
            "meeting": meeting.date().isoformat(),
            "phase": "before" if phase == 0 else "after",
            "summary": text.sentence(),
        }
        write(content / "reports" / f"{committee}-{meeting.date()}-{fields['phase']}.md", fields, text.body((2, 5)))


def events(content: Path, text: Text, title: callable, n: int, series: int, site: dict) -> None:
    venues = [v["id"] for v in site["venues"]]
    categories = [c["id"] for c in site["event_categories"]]
    start = datetime(2026, 1, 10)
    rules = ["FREQ=MONTHLY;BYDAY=1TH;COUNT=12", "FREQ=WEEKLY;COUNT=10", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=8"]
    for i in range(n):
        begins = (start + timedelta(days=3 * i)).replace(hour=18)
        rule = rules[i % len(rules)] if i < series else None
        if rule:  # a series starts on its own first date
            begins = rrulestr(rule, dtstart=begins)[0]
        fields: dict[str, object] = {
            "title": title(),
            "start": when(begins, 0, 18),
            "end": when(begins, 0, 20),
            "location": venues[i % len(venues)],
            "category": categories[i % len(categories)],
        }
        if rule:
            fields["recurrence"] = rule
        if i % 20 == 19:
            fields["members_only"] = "true"
        write(content / "events" / f"evenemang-{i + 1:03d}.md", fields, text.body((1, 3)))


def protected(content: Path, text: Text, sizes: Sizes, site: dict) -> None:
    newsletters = sizes.protected // 2
    kinds = [k["id"] for k in site["meeting_kinds"]]
    for i in range(newsletters):
        year, month = 2026 - (i // 12), 12 - i % 12
        fields = {"title": f"Medlemsbrev {MONTHS[month - 1]} {year}", "date": f"{year}-{month:02d}-01 18:00"}
        write(content / "members" / "newsletters" / f"medlemsbrev-{year}-{month:02d}.md", fields, text.body())
    start = date(2020, 1, 7)
    for i in range(sizes.protected - newsletters):
        day = start + timedelta(days=5 * i)
        kind = kinds[i % len(kinds)]
        name = f"protokoll-{day}-{kind}"
        fields: dict[str, object] = {
            "title": f"Protokoll {day.day} {MONTHS[day.month - 1]} {day.year}",
            "date": f"{day} 18:00",
            "meeting": kind,
        }
        if i < sizes.attachments:
            attachment = f"{name}-signerat.pdf"
            fields["attachments"] = [attachment]
            _fake_pdf(content / "members" / "minutes" / attachment, sizes.attachment_kb, text.random)
        sections = "\n\n".join(f"## § {n} {text.title()}\n\n{text.paragraph()}" for n in range(1, 9))
        write(content / "members" / "minutes" / f"{name}.md", fields, sections + "\n")


def _fake_pdf(path: Path, kilobytes: int, rng: random.Random) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n" + rng.randbytes(kilobytes * 1024) + b"\n%%EOF\n")


def generate(out: Path, sizes: Sizes, seed: int = 7) -> None:
    """Write a fresh synthetic site into `out` (removed first if it exists)."""
    shutil.rmtree(out, ignore_errors=True)
    content = out / "content"
    content.mkdir(parents=True)
    shutil.copy(REPO / "site.yml", out / "site.yml")
    shutil.copy(REPO / "members-salt.txt", out / "members-salt.txt")
    shutil.copytree(REPO / "content" / "images", content / "images")  # site.yml's logo
    site = yaml.safe_load((REPO / "site.yml").read_text(encoding="utf-8"))
    text = Text(seed)
    title = unique_titles(text)
    posts(content, text, title, sizes.posts)
    pages(content, text, sizes.pages)
    plans(content, text, sizes.plans)
    reports(content, text, title, sizes.reports, site)
    events(content, text, title, sizes.events, sizes.series, site)
    protected(content, text, sizes, site)


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    for name, default in vars(Sizes()).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default, metavar="N")
    parser.add_argument("--seed", type=int, default=7)


def sizes_from(args: argparse.Namespace) -> Sizes:
    return Sizes(**{name: getattr(args, name) for name in vars(Sizes())})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    add_size_arguments(parser)
    args = parser.parse_args(argv)
    generate(args.out, sizes_from(args), args.seed)
    print(f"generated {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
