"""The dark-mode colours, worked out from site.yml's light ones.

site.yml names four colours and siteconfig/contrast.py checks them on a light page.
A visitor whose phone is in dark mode gets a dark page; the brand's accent, readable on
white, is usually too dark there. So each colour used as text on the dark page is mixed
with white, step by step, until it reaches 4.5:1 (WCAG AA) against every dark surface.
"""

from __future__ import annotations

from foreningssajt.siteconfig.contrast import contrast

AA = 4.5
DARK_BACKGROUND = "#121417"
DARK_SURFACE = "#1d2127"
DARK_TEXT = "#ebe9e6"
DARK_MUTED = "#b4b0aa"
DARK_BORDER = "#444a52"


def mix(colour: str, other: str, share: float) -> str:
    """`colour` moved `share` (0..1) of the way to `other`."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def readable_on(colour: str, backgrounds: tuple[str, ...], target: float = AA) -> str:
    """The least-lightened version of `colour` with at least `target`:1 on every background."""
    for step in range(0, 101, 5):
        candidate = mix(colour, "#ffffff", step / 100)
        if all(contrast(candidate, bg) >= target for bg in backgrounds):
            return candidate
    return "#ffffff"


def dark_palette(colours: dict[str, str]) -> dict[str, str]:
    """The custom properties the stylesheet switches to under prefers-color-scheme: dark."""
    surfaces = (DARK_BACKGROUND, DARK_SURFACE)
    return {
        "background": DARK_BACKGROUND,
        "surface": DARK_SURFACE,
        "text": DARK_TEXT,
        "muted": DARK_MUTED,
        "border": DARK_BORDER,
        "link": readable_on(colours.get("accent", "#1c4e80"), surfaces, 5.5),
        "primary-text": readable_on(colours.get("primary", "#a3001b"), surfaces),
    }
