"""Goal counting in activity plans (plugins/plans/goals.py), on real Markdown output."""

from __future__ import annotations

import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.goals import Labels, mark_goals, progress_html, shallow_goal_lines

# The extensions pelicanconf.py configures: they decide what the HTML looks like.
EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.sane_lists", "markdown.extensions.toc", "smarty"]


def goals_of(text: str):
    return mark_goals(markdown.Markdown(extensions=EXTENSIONS, output_format="html5").convert(text))


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
    assert goals.html == markdown.Markdown(extensions=EXTENSIONS, output_format="html5").convert(text)


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
    assert '<span class="goal-mark" aria-hidden="true">✓</span>' in done
    assert '<span class="visually-hidden">Genomfört: </span>Hold a pub night &amp; more' in done
    assert '<span class="visually-hidden">Ej genomfört: </span>Newsletter' in html


def test_section_progress_follows_its_heading_and_keeps_other_html() -> None:
    html = goals_of('Before &amp; "after".\n\n## Area *one*\n\nText.\n\n- [x] a\n- [ ] b\n- [ ] c\n').html
    assert re.search(r'<h2 id="area-one">Area <em>one</em></h2>\n<p class="goal-progress">', html)
    assert '<span class="goal-count">1 av 3 mål genomförda</span>' in html
    assert '<progress max="3" value="1" aria-hidden="true">' in html
    assert "Before &amp; &rdquo;after&rdquo;." in html or "Before &amp; &ldquo;after&rdquo;." in html


def test_labels_come_from_the_caller() -> None:
    labels = Labels(done="Done:", open="Not done:", other="Other", count=lambda d, t: f"{d} of {t} goals done")
    source = markdown.markdown("- [x] a\n- [ ] b\n")
    goals = mark_goals(source, labels)
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
