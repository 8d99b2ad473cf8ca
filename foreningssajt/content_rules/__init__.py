"""Content validation: every Markdown header is checked against its type's rules.

Also, before Pelican reads anything: files in a Markdown folder that are not
Markdown are reported (folders.py), and pages with ``menu:`` join the site's menu
(menu.py).
"""

from pathlib import Path
from typing import Any

from pelican import signals

from foreningssajt.siteconfig.session import session_of

from .folders import stray_files
from .menu import menu_with_pages
from .reader import add_reader


def before_reading(pelican: Any) -> None:
    settings = pelican.settings
    content = Path(settings["PATH"])
    session_of(settings).problems.extend(stray_files(content, settings.get("IGNORE_FILES", [])))
    settings["MENU"] = menu_with_pages(settings.get("MENU", []), content / "pages", settings)


def register() -> None:
    signals.initialized.connect(before_reading)
    signals.readers_init.connect(add_reader)
