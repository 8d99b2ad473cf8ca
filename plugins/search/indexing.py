"""Pagefind over the public pages only, as the build's last step before the leak audit.

Defence in depth against indexing protected text: Pagefind runs on a staging folder
that holds hard links to the public HTML pages only (the members' area is never
shown to it), only regions marked data-pagefind-body in the public templates are
indexed, and anything marked as members' content is excluded by selector as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from siteconfig.errors import SiteError
from siteconfig.stats import stage

# URL prefixes never indexed: the members' area (encrypted anyway) and Pagefind's own files.
EXCLUDED_PREFIXES = ("medlem/", "pagefind/")
# Elements a template may mark as protected; Pagefind skips them even on a public page.
EXCLUDE_SELECTORS = ("[data-members]", "[data-pagefind-ignore]", ".members-only")
BUNDLE = "pagefind"


def index_site(pelican: Any) -> None:
    """finalized receiver: index OUTPUT_PATH unless the build was asked to skip search."""
    settings = pelican.settings
    if not settings.get("SEARCH", True):
        return
    with stage("search"):
        build_index(Path(settings["OUTPUT_PATH"]))


def public_pages(output: Path) -> Iterator[Path]:
    """HTML files under `output`, relative, outside the excluded prefixes."""
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output)
        if not relative.as_posix().startswith(EXCLUDED_PREFIXES):
            yield relative


def build_index(output: Path) -> None:
    """Write Pagefind's bundle to output/pagefind/ from the public pages of `output`."""
    # The staging folder sits beside the output so hard links work (same file system).
    with tempfile.TemporaryDirectory(prefix=".search-", dir=output.parent) as staging:
        for relative in public_pages(output):
            _link(output / relative, Path(staging) / relative)
        _run_pagefind(Path(staging), output / BUNDLE)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system or no hard links: a copy does as well
        shutil.copyfile(source, target)


def _run_pagefind(site: Path, bundle: Path) -> None:
    from pagefind_bin import get_executable

    command = [
        str(get_executable()),
        "--site",
        str(site),
        "--output-path",
        str(bundle),
        "--exclude-selectors",
        ", ".join(EXCLUDE_SELECTORS),
        "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
        raise SiteError(BUNDLE, "search", f"Pagefind failed ({last[0]}); build with --no-search to skip search")
