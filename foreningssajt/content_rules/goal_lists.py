"""Task lists in the Markdown tree: ``- [x] goal`` as a checklist, counted per section.

Python-Markdown has no task lists: ``- [x] goal`` would become ``<li>[x] goal</li>``.
This extension's tree processor runs after the table of contents has given every
``##`` heading its id, finds list items whose text starts with ``[ ]``, ``[x]`` or
``[X]``, and turns them into goals: a visible mark (hidden from screen readers) plus
words ("Genomfört:") for screen readers, never a form control. The counts are
``md.goals`` after each conversion; the reader hands them to the activity plans.
In a plan (``md.goal_progress`` true) each ``##`` section's progress goes after its
heading; other content gets the checklist only.

Counting: every goal counts once, nested ones too. Goals before the first ``##``
count only for the whole year (their section is listed last, as "Övrigt").
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import render_inner_html, strip_tags
from markdown.treeprocessors import Treeprocessor

from foreningssajt.theme_i18n.catalogues import translations_for

# "[ ]", "[x]" or "[X]" followed by white space or the end, at the start of an item's text.
TASK = re.compile(r"^(\s*)\[([ xX])\](?:\s+|$)")
# A goal indented by 1-3 spaces: GitHub nests it, Python-Markdown (4 spaces) does not.
SHALLOW_TASK = re.compile(r"^ {1,3}(?:[-*+]|\d+[.)]) \[[ xX]\]")
LISTS = ("ul", "ol")
# After the table of contents (priority 5), which gives headings their ids.
PRIORITY = 4


@dataclass
class Progress:
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, done: bool) -> None:
        self.total += 1
        self.done += int(done)


@dataclass
class Section:
    """A ``##`` area of the plan; id is the heading's anchor, None before the first heading."""

    id: str | None
    title: str
    progress: Progress = field(default_factory=Progress)


@dataclass
class Labels:
    """The words around goals, in the site's language (the plans generator translates them)."""

    done: str = "Genomfört:"
    open: str = "Ej genomfört:"
    other: str = "Övrigt"  # the name for goals before the first ## heading
    # Called with done and total, returns e.g. "7 av 12 mål genomförda".
    count: Callable[[int, int], str] = lambda done, total: f"{done} av {total} mål genomförda"


@dataclass
class Goals:
    sections: list[Section]
    year: Progress

    def section(self, anchor: str) -> Section | None:
        return next((s for s in self.sections if s.id == anchor), None)


def goal_labels(language: str, theme: str | Path) -> Labels:
    """The goal words in the site's language, from the theme's catalogues like the templates."""
    catalogue = translations_for(language, str(Path(theme) / "translations"))
    count = catalogue.gettext("%(done)s av %(total)s mål genomförda")
    return Labels(
        done=catalogue.gettext("Genomfört:"),
        open=catalogue.gettext("Ej genomfört:"),
        other=catalogue.gettext("Övrigt"),
        count=lambda done, total: count % {"done": done, "total": total},
    )


class GoalLists(Extension):
    """``- [x]`` list items as counted goals; the result is ``md.goals`` after each convert."""

    def __init__(self, labels: Labels | None = None) -> None:
        super().__init__()
        self.labels = labels or Labels()
        self.md: Markdown | None = None

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.treeprocessors.register(_GoalTree(md, self.labels), "goals", PRIORITY)
        self.md = md
        md.goal_progress = False
        self.reset()

    def reset(self) -> None:
        self.md.goals = Goals([], Progress())


class _GoalTree(Treeprocessor):
    def __init__(self, md: Markdown, labels: Labels) -> None:
        super().__init__(md)
        self.labels = labels

    def run(self, root: ET.Element) -> None:
        intro = Section(None, self.labels.other)
        sections, year, current = [], Progress(), intro
        for parent, element in list(_walk(root)):
            if element.tag == "h2":
                current = Section(element.get("id"), _title(element, self.md))
                sections.append((parent, element, current))
            elif element.tag == "li" and _make_goal(element, parent, self.labels):
                done = "goal-done" in element.get("class", "")
                current.progress.add(done)
                year.add(done)
        for parent, heading, section in sections if self.md.goal_progress else ():
            if section.progress.total:
                _insert_after(parent, heading, progress_element(section.progress, self.labels))
        found = [section for _, _, section in sections]
        self.md.goals = Goals(found + ([intro] if intro.progress.total else []), year)


def progress_element(progress: Progress, labels: Labels) -> ET.Element:
    """The number (the information) and a bar (a picture of the number, so hidden from AT).

    A native <progress> still shows in forced-colours mode and in print, where a
    coloured div would vanish.
    """
    paragraph = ET.Element("p", {"class": "goal-progress"})
    count = ET.SubElement(paragraph, "span", {"class": "goal-count"})
    count.text = labels.count(progress.done, progress.total)
    count.tail = " "
    bar = ET.SubElement(paragraph, "progress", {"max": str(progress.total), "value": str(progress.done)})
    bar.set("aria-hidden", "true")
    bar.text = f"{progress.percent} %"
    return paragraph


def progress_html(progress: Progress, labels: Labels) -> str:
    """The same progress as HTML, for the year's progress in the templates."""
    if not progress.total:
        return ""
    return ET.tostring(progress_element(progress, labels), encoding="unicode", method="html")


def shallow_goal_lines(markdown_source: str) -> list[int]:
    """Line numbers of goals meant as sub-goals but indented too little to nest."""
    return [n for n, line in enumerate(markdown_source.splitlines(), 1) if SHALLOW_TASK.match(line)]


def _walk(element: ET.Element) -> Iterator[tuple[ET.Element, ET.Element]]:
    """(parent, child) pairs in document order."""
    for child in element:
        yield element, child
        yield from _walk(child)


def _make_goal(item: ET.Element, parent: ET.Element, labels: Labels) -> bool:
    """Turn one list item into a goal if its text starts with a task mark."""
    holder = _first_text_holder(item)
    match = TASK.match(holder.text or "") if holder is not None else None
    if not match:
        return False
    done = match.group(2) != " "
    _add_class(item, "goal goal-done" if done else "goal goal-open")
    _add_class(parent, "goals")
    mark = ET.Element("span", {"class": "goal-mark", "aria-hidden": "true"})
    mark.text, mark.tail = ("✓" if done else "○"), " "
    words = ET.Element("span", {"class": "visually-hidden"})
    words.text = f"{labels.done if done else labels.open} "
    words.tail = match.group(1) + holder.text[match.end() :]
    holder.text = None
    holder.insert(0, words)
    holder.insert(0, mark)
    return True


def _first_text_holder(item: ET.Element) -> ET.Element | None:
    """The element whose text is the item's first text: the item, or its first <p> (loose lists)."""
    if item.text and item.text.strip():
        return item
    first = item[0] if len(item) else None
    if first is not None and first.tag == "p" and first.text and first.text.strip():
        return first
    return None


def _add_class(element: ET.Element, names: str) -> None:
    present = element.get("class", "").split()
    element.set("class", " ".join(present + [name for name in names.split() if name not in present]))


def _insert_after(parent: ET.Element, element: ET.Element, new: ET.Element) -> None:
    new.tail = element.tail
    element.tail = "\n"
    parent.insert(list(parent).index(element) + 1, new)


def _title(heading: ET.Element, md: Markdown) -> str:
    """A heading's text as a reader sees it: inline markup dropped, entities decoded."""
    return html.unescape(strip_tags(render_inner_html(heading, md))).strip()
