"""Pelican settings for one build: the static ones in pelicanconf.py plus the site's own.

The entry points (foreningssajt/cli/build.py, foreningssajt/cli/newsletter.py) call pelican_settings() with
their session; everything that depends on the site folder or on site.yml is worked
out here and passed to Pelican as overrides, so pelicanconf.py needs no environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .cache import reading_fingerprint, template_cache
from .loader import load_site, settings_from_site
from .session import SETTING, BuildSession

PACKAGE = Path(__file__).resolve().parents[1]


def pelican_settings(session: BuildSession, output: Path, search: bool = True) -> dict[str, Any]:
    """Read pelicanconf.py (publishconf.py when publishing) with the site's values on top."""
    from pelican.settings import read_settings

    site = settings_from_site(load_site(session.root))
    conf = PACKAGE / ("publishconf.py" if session.publishing else "pelicanconf.py")
    settings = read_settings(
        str(conf), override={**site, **_site_paths(session.root, site), "OUTPUT_PATH": str(output)}
    )
    settings["SEARCH"] = search
    # Pelican's cache trusts a file whose mtime is unchanged, but two saves within one
    # clock tick keep it; a hash of the bytes is cheap and never serves a stale reading.
    settings["CHECK_MODIFIED_METHOD"] = "md5"
    if session.publishing:  # absolute addresses in feeds and canonical links
        settings["SITEURL"] = settings["PUBLISH_SITEURL"]
    # Pelican gives each generator its own Jinja environment, and each compiled every
    # template again (about a second per build); compiled templates are kept here instead.
    settings["JINJA_ENVIRONMENT"]["bytecode_cache"] = template_cache(Path(settings["CACHE_PATH"]) / "templates")
    settings[SETTING] = session
    session.language = settings["DEFAULT_LANG"]
    return settings


def _site_paths(root: Path, site: dict[str, Any]) -> dict[str, Any]:
    # The content cache holds plaintext: it lives outside output/ and out of git.
    # Named by what reading depends on: a changed site.yml or reader re-reads everything.
    fingerprint = reading_fingerprint(
        [root / "site.yml", PACKAGE / "pelicanconf.py", *(PACKAGE / "content_rules").glob("*.py")]
    )
    cache = root / ".cache" / fingerprint
    return {
        "PATH": str(root / "content"),
        "CACHE_PATH": str(cache),
        "FEED_DOMAIN": site["PUBLISH_SITEURL"],
    }
