"""Colour contrast of site.yml's colours, checked before a page is built.

The theme puts white text on the primary and accent colours and accent-coloured links
on the background; WCAG 2.1 AA asks for 4.5:1 for normal text. Catching it here
names the key to change instead of leaving an axe report to decode.
"""

from __future__ import annotations

from .errors import SiteError

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"

# (foreground key or white, background key, what the pair is used for)
PAIRS = [
    ("text", "background", "body text"),
    ("accent", "background", "links"),
    (WHITE, "primary", "the header's white text"),
    (WHITE, "accent", "white text on buttons"),
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


def check_contrast(colours: dict[str, str]) -> None:
    """Raise SiteError for the first colour pair that is too hard to read."""
    for foreground, background, use in PAIRS:
        fg = colours.get(foreground, foreground)
        ratio = contrast(fg, colours[background])
        if ratio < AA_NORMAL_TEXT:
            key, other = (background, fg) if foreground == WHITE else (foreground, colours[background])
            direction = "darker" if luminance(colours[key]) < luminance(other) else "lighter"
            raise SiteError(
                "site.yml",
                f"colours.{key}",
                f"{use} would have contrast {ratio:.1f}:1 ({fg} on {colours[background]}); "
                f"WCAG AA needs {AA_NORMAL_TEXT}:1, choose a {direction} colour",
            )
