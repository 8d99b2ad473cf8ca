"""Where the members' area puts things: URLs from type and date only, never the title.

A title can itself be confidential ("Uteslutning av ...") and URLs end up in server
logs, browser history and the sitemap-less crawl of anyone who guesses; a date and a
meeting kind say little.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable

from foreningssajt.siteconfig.publication import MEMBERS_URL

NEWSLETTERS_URL = MEMBERS_URL + "medlemsbrev/"
MINUTES_URL = MEMBERS_URL + "protokoll/"
FILES_URL = MEMBERS_URL + "filer/"


def newsletter_slug(date: dt.date) -> str:
    """Newsletters are monthly: 2026-11."""
    return f"{date:%Y-%m}"


def minutes_slug(date: dt.date, meeting: str) -> str:
    """Minutes by meeting date and kind id: 2026-03-04-styrelse."""
    return f"{date:%Y-%m-%d}-{meeting}"


def unique_slugs(slugs: Iterable[str]) -> list[str]:
    """The slugs in order, a clash getting -2, -3, ... (two newsletters in one month)."""
    taken: set[str] = set()
    result = []
    for slug in slugs:
        candidate, number = slug, 1
        while candidate in taken:
            number += 1
            candidate = f"{slug}-{number}"
        taken.add(candidate)
        result.append(candidate)
    return result


def attachment_name(key: bytes, data: bytes) -> str:
    """The file name of an encrypted attachment: keyed hash of its bytes.

    Not the original name (it may say what the file is about) and not a plain hash
    (anyone holding a copy of the file could confirm it is on the site). Stable
    between builds with the same password, so links and caches stay valid.
    """
    return hmac.new(key, b"members-attachment\0" + data, hashlib.sha256).hexdigest()[:32] + ".bin"
