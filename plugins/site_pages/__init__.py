"""Files about the site as a whole: sitemap.xml and robots.txt."""

from pathlib import Path
from typing import Any

from pelican import signals

from .sitemap import write_site_files


def on_finalized(pelican: Any) -> None:
    write_site_files(Path(pelican.output_path), pelican.settings["PUBLISH_SITEURL"])


def register() -> None:
    signals.finalized.connect(on_finalized)
