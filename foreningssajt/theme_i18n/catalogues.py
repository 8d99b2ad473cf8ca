"""Gettext catalogues for the theme, read from .po files at build time.

The templates' message ids are Swedish (the site is Swedish first), so Swedish needs
no catalogue; other languages have one in foreningssajt/theme/translations/<lang>/LC_MESSAGES/.
Compiling in memory means no .mo files to forget to rebuild.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE_LANGUAGE = "sv"


@cache
def translations_for(language: str, translations_dir: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    po_path = Path(translations_dir) / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
