"""The theme's helpers: dark-mode colours from site.yml, the stylesheet minifier, descriptions."""

from __future__ import annotations

import pytest

from foreningssajt.siteconfig.contrast import contrast
from foreningssajt.theme_helpers.minify import minify_css
from foreningssajt.theme_helpers.palette import DARK_BACKGROUND, DARK_SURFACE, dark_palette
from foreningssajt.theme_helpers.text import first_paragraph


@pytest.mark.parametrize("accent", ["#1c4e80", "#000000", "#0000ff", "#a3001b", "#2f6b1f", "#5b2a86"])
def test_dark_mode_link_and_brand_text_reach_aa_on_every_dark_surface(accent: str) -> None:
    palette = dark_palette({"accent": accent, "primary": accent})
    for key in ("link", "primary-text", "text", "muted"):
        for background in (DARK_BACKGROUND, DARK_SURFACE):
            assert contrast(palette[key], background) >= 4.5, (key, accent, palette[key], background)


def test_a_light_accent_is_kept_as_it_is_in_dark_mode() -> None:
    assert dark_palette({"accent": "#ffd166"})["link"] == "#ffd166"


def test_minified_css_keeps_what_spaces_mean() -> None:
    css = '/* varför */\na :hover,\n.b > .c {\n  content: " (" attr(href) ")";\n  color: red;\n}\n'
    assert minify_css(css) == 'a :hover,.b>.c{content: " (" attr(href) ")";color: red}\n'


def test_description_is_the_first_paragraph_in_plain_text() -> None:
    html = "<h2>Rubrik</h2><p> </p><p>Vi <em>ses</em> på torget &amp; i parken.</p><p>Mer.</p>"
    assert first_paragraph(html) == "Vi ses på torget & i parken."
    assert first_paragraph("<p>" + "ord " * 200 + "</p>", limit=40).endswith("…")
    assert len(first_paragraph("<p>" + "ord " * 200 + "</p>", limit=40)) <= 40
    assert first_paragraph(None) == ""
