"""Where a newsletter's web edition lives: the members' area URL rule.

The members' plugin (plugins/members) writes newsletters to this URL; the email links
to it. tests/test_newsletter.py checks that the built site has the page, so the two
cannot drift apart silently.
"""

from __future__ import annotations

import datetime as dt

NEWSLETTER_URL = "medlem/medlemsbrev/{date:%Y-%m}/"


def web_edition_path(date: dt.date) -> str:
    """The site-relative URL of a newsletter's page, from its date only (never its title)."""
    return NEWSLETTER_URL.format(date=date)


def absolute(site_url: str, path: str) -> str:
    """A site-relative path as a full address, for an email read far from the site."""
    return site_url.rstrip("/") + "/" + path.lstrip("/")
