"""Goals in activity plans (foreningssajt/content_rules/goal_lists.py), counted in the Markdown tree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from foreningssajt.content_rules.goal_lists import Goals, Labels, progress_html, shallow_goal_lines
from foreningssajt.content_rules.markdown_setup import new_markdown


@dataclass
class Converted:
    html: str
    goals: Goals

    @property
    def sections(self):
        return self.goals.sections

    @property
    def year(self):
        return self.goals.year


def goals_of(text: str, labels: Labels | None = None, plan: bool = True) -> Converted:
    """The text converted as the reader converts an activity plan (or other content)."""
    md = new_markdown(labels)
    md.goal_progress = plan
    html = md.convert(text)
    return Converted(html, md.goals)


def counts(goals) -> dict:
    return {section.title: (section.progress.done, section.progress.total) for section in goals.sections}


def test_counts_per_section_and_year() -> None:
    goals = goals_of("## Organisering\n\n- [x] a\n- [ ] b\n- [x] c\n\n## Studier\n\n- [ ] d\n")
    assert counts(goals) == {"Organisering": (2, 3), "Studier": (0, 1)}
    assert (goals.year.done, goals.year.total) == (2, 4)


def test_nested_task_items_count_each() -> None:
    text = "## Org\n\n- [ ] parent\n    - [x] child one\n    - [ ] child two\n        - [X] grandchild\n- [x] sibling\n"
    goals = goals_of(text)
    assert counts(goals) == {"Org": (3, 5)}
    # Every list holding goals is a checklist, the nested ones too.
    assert goals.html.count('<ul class="goals">') == 3


def test_goals_before_the_first_heading_count_for_the_year_only() -> None:
    goals = goals_of("Intro.\n\n- [x] overall\n- [ ] another\n\n## Area\n\n- [x] a\n")
    assert counts(goals)["Area"] == (1, 1)
    assert (goals.year.done, goals.year.total) == (2, 3)
    assert goals.sections[-1].id is None and goals.sections[-1].title == "Övrigt"


def test_a_plan_without_goals_has_no_progress() -> None:
    text = "Text.\n\n## Area\n\n- a plain item\n- [link](https://example.org) item\n"
    goals = goals_of(text)
    assert goals.year.total == 0
    assert "goal" not in goals.html
    assert progress_html(goals.year, Labels()) == ""
    assert goals.html == new_markdown().convert(text)


def test_uppercase_x_is_done_and_brackets_elsewhere_are_not_goals() -> None:
    goals = goals_of("## A\n\n- [X] upper\n- [x] lower\n- text with [x] inside\n- [x]no space\n- **[x] bold**\n")
    assert counts(goals) == {"A": (2, 2)}


def test_loose_lists_and_ordered_lists() -> None:
    goals = goals_of("## A\n\n- [ ] one\n\n- [x] two\n\n## B\n\n1. [x] first\n2. [ ] second\n")
    assert counts(goals) == {"A": (1, 2), "B": (1, 2)}
    assert '<ol class="goals">' in goals.html


def test_goal_markup_is_accessible_text_not_a_form() -> None:
    html = goals_of("## A\n\n- [x] Hold a pub night & more\n- [ ] Newsletter\n").html
    assert "<input" not in html and "[x]" not in html and "[ ]" not in html
    done = re.search(r'<li class="goal goal-done">(.*?)</li>', html).group(1)
    assert '<span aria-hidden="true" class="goal-mark">✓</span>' in done
    assert '<span class="visually-hidden">Genomfört: </span>Hold a pub night &amp; more' in done
    assert '<span class="visually-hidden">Ej genomfört: </span>Newsletter' in html


def test_section_progress_follows_its_heading_and_keeps_other_html() -> None:
    html = goals_of('Before &amp; "after".\n\n## Area *one*\n\nText.\n\n- [x] a\n- [ ] b\n- [ ] c\n').html
    assert re.search(r'<h2 id="area-one">Area <em>one</em></h2>\n<p class="goal-progress">', html)
    assert '<span class="goal-count">1 av 3 mål genomförda</span>' in html
    assert '<progress aria-hidden="true" max="3" value="1">' in html
    assert "<p>Before &amp; ”after”.</p>" in html


def test_other_content_gets_the_checklist_but_no_section_progress() -> None:
    converted = goals_of("## Beslut\n\n- [x] Lokalen bokad\n- [ ] Affischer\n", plan=False)
    assert converted.html.count('class="goal goal-') == 2
    assert "goal-progress" not in converted.html
    assert (converted.year.done, converted.year.total) == (1, 2)


def test_labels_come_from_the_caller() -> None:
    labels = Labels(done="Done:", open="Not done:", other="Other", count=lambda d, t: f"{d} of {t} goals done")
    goals = goals_of("- [x] a\n- [ ] b\n", labels)
    assert "Done: " in goals.html and "Not done: " in goals.html
    assert goals.sections[-1].title == "Other"
    assert "1 of 2 goals done" in progress_html(goals.year, labels)


@settings(deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.lists(st.lists(st.booleans(), max_size=6), min_size=1, max_size=5))
def test_counts_match_any_plan(sections: list[list[bool]]) -> None:
    text = "".join(
        f"## Area {n}\n\n"
        + "".join(f"- [{'x' if done else ' '}] goal {n}.{i}\n" for i, done in enumerate(states))
        + "\n"
        for n, states in enumerate(sections)
    )
    goals = goals_of(text)
    assert [(s.progress.done, s.progress.total) for s in goals.sections] == [(sum(s), len(s)) for s in sections]
    assert goals.year.total == sum(map(len, sections))
    assert goals.html.count('class="goal goal-done"') == sum(map(sum, sections))


def test_sub_goals_indented_two_spaces_are_found() -> None:
    source = "## A\n\n- [ ] parent\n  - [x] two spaces\n    - [x] four spaces\n   1. [ ] three\n- [x] top\n"
    assert shallow_goal_lines(source) == [4, 6]
