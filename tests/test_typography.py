"""Swedish typography in Markdown bodies: our tree processor, as pelicanconf configures it."""

from __future__ import annotations

import markdown

from foreningssajt.content_rules.typography import SwedishTypography


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["markdown.extensions.extra", SwedishTypography()], output_format="html5")


def test_quotes_dashes_and_ellipsis() -> None:
    html = render('Hon sa "hej" -- det är 10 - 12 grader... It\'s *"kursivt"* --- klart')
    assert html == "<p>Hon sa ”hej” – det är 10 – 12 grader… It’s <em>”kursivt”</em> — klart</p>"


def test_code_attributes_and_escapes_are_left_alone() -> None:
    html = render('Kod `"x" -- y` och [länk](/a "en -- titel") och \\"rak\\".\n\n    "block" -- z\n')
    assert '<code>"x" -- y</code>' in html
    assert 'title="en -- titel"' in html
    assert 'och "rak".' in html
    assert '<pre><code>"block" -- z' in html
