"""Goals in an activity plan: Markdown task list items, counted and shown as a checklist.

Python-Markdown has no task lists: ``- [x] goal`` becomes ``<li>[x] goal</li>``. This
module rewrites that HTML rather than adding a Markdown extension, so that only plans
change and the one shared reader stays as it is. The result is not a form: a goal is
a list item whose state is a visible mark (hidden from screen readers) plus words
("Genomfört:") that screen readers read and sighted readers do not need.

Counting: every task item counts once, nested ones too. Goals under a ``##`` heading
belong to that section; goals before the first ``##`` count only for the whole year.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# "[ ]", "[x]" or "[X]" followed by a space, at the start of a list item's text.
TASK = re.compile(r"^(\s*)\[([ xX])\](?:\s+|$)")
# A task item indented by 1-3 spaces: GitHub nests it, Python-Markdown (4 spaces) does not.
SHALLOW_TASK = re.compile(r"^ {1,3}(?:[-*+]|\d+[.)]) \[[ xX]\]")
LISTS = ("ul", "ol")


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
    """The words around goals, in the site's language (the generator translates them)."""

    done: str = "Genomfört:"
    open: str = "Ej genomfört:"
    other: str = "Övrigt"  # the name for goals before the first ## heading
    # Called with done and total, returns e.g. "7 av 12 mål genomförda".
    count: Callable[[int, int], str] = lambda done, total: f"{done} av {total} mål genomförda"


@dataclass
class Goals:
    html: str
    sections: list[Section]
    year: Progress

    def section(self, anchor: str) -> Section | None:
        return next((s for s in self.sections if s.id == anchor), None)


def progress_html(progress: Progress, labels: Labels) -> str:
    """The number (the information) and a bar (a picture of the number, so hidden from AT).

    A native <progress> still shows in forced-colours mode and in print, where a
    coloured div would vanish.
    """
    if not progress.total:
        return ""
    text = html.escape(labels.count(progress.done, progress.total))
    return (
        f'<p class="goal-progress"><span class="goal-count">{text}</span> '
        f'<progress max="{progress.total}" value="{progress.done}" aria-hidden="true">'
        f"{progress.percent} %</progress></p>"
    )


def shallow_goal_lines(markdown_source: str) -> list[int]:
    """Line numbers of goals meant as sub-goals but indented too little to nest."""
    return [n for n, line in enumerate(markdown_source.splitlines(), 1) if SHALLOW_TASK.match(line)]


def mark_goals(source: str, labels: Labels | None = None) -> Goals:
    """Turn task list items in a plan's HTML into goals; count them per section and year."""
    parser = _GoalParser(labels or Labels())
    parser.feed(source)
    parser.close()
    return parser.result()


@dataclass
class _OpenItem:
    index: int  # position of the <li> start tag in the output
    depth: int  # how many lists enclose it
    waiting: bool = True  # its first text is still to come
    saw_paragraph: bool = False  # loose lists wrap the text in <p>


@dataclass
class _OpenList:
    index: int
    has_goal: bool = False


class _GoalParser(HTMLParser):
    """Copies the HTML token by token, rewriting goal items and their lists on the way."""

    def __init__(self, labels: Labels) -> None:
        super().__init__(convert_charrefs=False)
        self.labels = labels
        self.out: list[str] = []
        self.lists: list[_OpenList] = []
        self.items: list[_OpenItem] = []
        self.intro = Section(None, "")
        self.sections: list[Section] = [self.intro]
        self.year = Progress()
        self.title_parts: list[str] | None = None  # collecting an <h2>'s text
        self.progress_slots: dict[int, Section] = {}

    # -- tokens -----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._first_content_is_tag(tag)
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag in LISTS:
            self.lists.append(_OpenList(len(self.out) - 1))
        elif tag == "li":
            self.items.append(_OpenItem(len(self.out) - 1, len(self.lists)))
        elif tag == "h2":
            self.sections.append(Section(dict(attrs).get("id"), ""))
            self.title_parts = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._first_content_is_tag(tag)
        self.out.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag == "li" and self.items:
            self.items.pop()
        elif tag in LISTS and self.lists:
            self._close_list()
        elif tag == "h2" and self.title_parts is not None:
            self.sections[-1].title = html.unescape("".join(self.title_parts)).strip()
            self.title_parts = None
            self.out.append("")  # the section's progress goes here once it is counted
            self.progress_slots[len(self.out) - 1] = self.sections[-1]

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)
        item = self.items[-1] if self.items else None
        if item and item.waiting and data.strip():
            item.waiting = False
            match = TASK.match(data)
            if match:
                data = self._goal(item, match.group(2) != " ") + match.group(1) + data[match.end() :]
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    # -- goals ------------------------------------------------------------------------

    def _text(self, raw: str) -> None:
        # An entity as the first thing in an item means the item is not a goal.
        if self.items and self.items[-1].waiting:
            self.items[-1].waiting = False
        if self.title_parts is not None:
            self.title_parts.append(raw)
        self.out.append(raw)

    def _first_content_is_tag(self, tag: str) -> None:
        item = self.items[-1] if self.items else None
        if item and item.waiting:
            if tag == "p" and not item.saw_paragraph:
                item.saw_paragraph = True
            else:
                item.waiting = False

    def _goal(self, item: _OpenItem, done: bool) -> str:
        self.sections[-1].progress.add(done)
        self.year.add(done)
        self.out[item.index] = _add_class(self.out[item.index], "goal goal-done" if done else "goal goal-open")
        # The item belongs to the innermost list open when it started.
        self.lists[item.depth - 1].has_goal = True
        mark, words = ("✓", self.labels.done) if done else ("○", self.labels.open)
        return (
            f'<span class="goal-mark" aria-hidden="true">{mark}</span> '
            f'<span class="visually-hidden">{html.escape(words)} </span>'
        )

    def _close_list(self) -> None:
        closed = self.lists.pop()
        # Items left open by sloppy HTML must not outlive their list.
        while self.items and self.items[-1].depth > len(self.lists):
            self.items.pop()
        if closed.has_goal:
            self.out[closed.index] = _add_class(self.out[closed.index], "goals")

    def result(self) -> Goals:
        for slot, section in self.progress_slots.items():
            self.out[slot] = "\n" + progress_html(section.progress, self.labels) if section.progress.total else ""
        sections = [s for s in self.sections if s is not self.intro]
        if self.intro.progress.total:
            self.intro.title = self.labels.other
            sections.append(self.intro)  # listed last: it has no heading of its own
        return Goals("".join(self.out), sections, self.year)


def _add_class(start_tag: str, names: str) -> str:
    """Add class names to a start tag such as '<li>' or '<ul class="x">'."""
    match = re.search(r'\sclass="([^"]*)"', start_tag)
    if match:
        return start_tag[: match.start(1)] + f"{match.group(1)} {names}".strip() + start_tag[match.end(1) :]
    name_end = re.match(r"<\w+", start_tag).end()
    return f'{start_tag[:name_end]} class="{names}"{start_tag[name_end:]}'
