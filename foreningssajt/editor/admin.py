"""Write /admin/: the editor's page, its generated config.yml and Decap's own files.

A step of foreningssajt/cli/build.py, after Pelican and before the sitemap, search and audit, so
that all three see the folder: the sitemap and Pagefind leave it out by name, and the
audit reads it like every other output file. No public page links to it or loads its
script: the editor is for the communication group, who bookmark /admin/.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from foreningssajt.siteconfig.session import BuildSession

from .backend import read_backend
from .config import config_yaml

FOLDER = "admin"
DECAP = Path(__file__).resolve().parent / "decap"  # decap-cms 3.16.3's dist, vendored (decap/README.md)
NOT_COPIED = {"README.md"}

PAGE = """<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Webbredaktör – {site}</title>
</head>
<body>
<noscript><p>Webbredaktören behöver JavaScript. Slå på det i webbläsaren och ladda om sidan.</p></noscript>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def write_admin(session: BuildSession, settings: Mapping[str, Any]) -> Path | None:
    """output/admin/ for this build; None when a published site has no editor set up."""
    backend = read_backend(session.root)
    if session.publishing and not backend.published:
        return None  # nowhere to save to: editor.yml names no repository (publicera.md)
    folder = Path(settings["OUTPUT_PATH"]) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for source in DECAP.iterdir():
        if source.name not in NOT_COPIED:
            shutil.copyfile(source, folder / source.name)
    config = config_yaml(settings, backend, local=not session.publishing)
    (folder / "config.yml").write_text(config, encoding="utf-8")
    page = PAGE.format(site=html.escape(settings.get("SITENAME", "")))
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder
