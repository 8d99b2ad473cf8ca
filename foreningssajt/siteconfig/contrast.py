"""Colour contrast of site.yml's colours, checked before a page is built.

The theme puts white text on the primary and accent colours and accent-coloured links
on the background; WCAG 2.1 AA asks for 4.5:1 for normal text. Catching it here
names the key to change instead of leaving an axe report to decode.
"""

from __future__ import annotations

from .errors import N_, SiteError
from .vocabulary import Invalid, Where

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"

# (foreground key or white, background key, what the pair is used for, in Swedish)
PAIRS = [
    ("text", "background", N_("brödtexten")),
    ("accent", "background", N_("länkarna")),
    (WHITE, "primary", N_("sidhuvudets vita text")),
    (WHITE, "accent", N_("knapparnas vita text")),
]


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_problems(colours: dict[str, str], where: Where) -> list[SiteError]:
    """One problem for each colour pair that is too hard to read (WCAG AA)."""
    found: list[SiteError] = []
    for foreground, background, use in PAIRS:
        fg = colours.get(foreground, foreground)
        ratio = contrast(fg, colours[background])
        if ratio < AA_NORMAL_TEXT:
            key, other = (background, fg) if foreground == WHITE else (foreground, colours[background])
            darker = luminance(colours[key]) < luminance(other)
            place = where.child(key)
            found.append(
                Invalid(
                    "{use} får kontrasten {ratio}:1 ({fg} på {bg}); WCAG AA kräver {need}:1, välj en {direction} färg",
                    use=use,
                    ratio=f"{ratio:.1f}",
                    fg=fg,
                    bg=colours[background],
                    need=AA_NORMAL_TEXT,
                    direction=N_("mörkare") if darker else N_("ljusare"),
                ).at(place.file, place.key, place.line)
            )
    return found
