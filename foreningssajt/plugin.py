"""The Pelican plugin: every part of the build registered in one fixed order.

Readers first (the content contract), then the template helpers, then the generators
in the order their pages depend on each other; the members' area last among them.
The sitemap, search index and leak audit are not plugins: they are steps of
foreningssajt/cli/build.py and run after Pelican.
"""

from . import (
    calendar_events,
    content_rules,
    images,
    members,
    plans,
    reports,
    search,
    theme_helpers,
    theme_i18n,
)

PARTS = (content_rules, theme_i18n, theme_helpers, images, plans, reports, calendar_events, members, search)


def register() -> None:
    for part in PARTS:
        part.register()
