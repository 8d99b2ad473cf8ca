"""Where a newsletter's web edition lives, by the members' area's own URL rule.

foreningssajt/members/layout.py owns the rule (type and date only, a clash in one month
getting -2); the email links there, so it asks that module instead of copying it.
tests/test_newsletter.py checks that the built site has the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from foreningssajt.members.layout import NEWSLETTERS_URL, newsletter_slug, unique_slugs


def web_edition_paths(newsletters: Iterable[tuple[dt.date, str]]) -> dict[str, str]:
    """Site-relative URL of each published newsletter, keyed by its path under content/.

    `newsletters` holds (date, path) of every newsletter the members' area publishes:
    the URL of one depends on the others in its month.
    """
    ordered = sorted(newsletters)  # the members' generator's order: date, then source path
    slugs = unique_slugs(newsletter_slug(date) for date, _ in ordered)
    return {path: f"{NEWSLETTERS_URL}{slug}/" for (_, path), slug in zip(ordered, slugs, strict=True)}


def absolute(site_url: str, path: str) -> str:
    """A site-relative path as a full address, for an email read far from the site."""
    return site_url.rstrip("/") + "/" + path.lstrip("/")
