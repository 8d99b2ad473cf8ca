"""Pagefind over the public pages only, started before the leak audit, which reads its
folder last (start_index(), then RunningIndex.finish() from the audit).

Defence in depth against indexing protected text: Pagefind is given a glob that names
the public top-level folders and files one by one, so the members' area is never
read; only regions marked data-pagefind-body in the public templates are indexed;
and anything marked as members' content is excluded by selector as well.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from foreningssajt.siteconfig.errors import SiteError
from foreningssajt.siteconfig.publication import MEMBERS_URL

# Top-level output entries never indexed: the members' area (encrypted anyway), Pagefind's
# own files and the web editor (foreningssajt/editor).
EXCLUDED_TOP = frozenset({MEMBERS_URL.strip("/"), "pagefind", "admin"})
# Elements a template may mark as protected; Pagefind skips them even on a public page.
EXCLUDE_SELECTORS = ("[data-members]", ".members-only")
BUNDLE = "pagefind"
# Pagefind's ready-made interfaces; the search page uses its own script on pagefind.js.
UNUSED_FILES = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
# Characters with a meaning in Pagefind's (wax) globs.
_GLOB_SPECIAL = re.compile(r"([\\{}\[\]()*?,!<>:$])")


def public_glob(output: Path) -> str | None:
    """A glob naming every public top-level entry of `output` (None if there is none).

    Listing what to include, rather than what to leave out, means a members' folder
    can only be indexed if someone names it here.
    """
    parts = []
    for entry in sorted(output.iterdir()):
        if entry.name in EXCLUDED_TOP or entry.name.startswith("."):
            continue
        name = _GLOB_SPECIAL.sub(r"\\\1", entry.name)
        if entry.is_dir():
            parts.append(f"{name}/**/*.html")
        elif entry.suffix == ".html":
            parts.append(name)
    return "{" + ",".join(parts) + "}" if parts else None


class RunningIndex:
    """Pagefind at work in its own process: the build can do other work until finish()."""

    def __init__(self, output: Path, glob: str) -> None:
        self.output = output
        command = _command(output, glob)
        # A file, not a pipe: nothing reads Pagefind's messages until it is done, and a
        # full pipe would stop it. Closed by finish() or stop().
        self._messages = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(command, stdout=self._messages, stderr=subprocess.STDOUT, text=True)

    def finish(self) -> None:
        """Wait for Pagefind; drop the files nobody loads; a failure is one line."""
        try:
            code = self._process.wait()
            self._messages.seek(0)
            last = self._messages.read().strip().splitlines()[-1:] or ["no message"]
        finally:
            self._messages.close()
        if code != 0:
            raise SiteError(BUNDLE, "search", f"Pagefind failed ({last[0]}); build with --no-search to skip search")
        # Not published: 400 KB nobody loads, and less for the leak audit to read.
        for pattern in UNUSED_FILES:
            for unused in (self.output / BUNDLE).glob(pattern):
                unused.unlink()

    def stop(self) -> None:
        """The build failed meanwhile: end Pagefind before the staging folder goes."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._messages.close()


def start_index(output: Path) -> RunningIndex | None:
    """Start Pagefind over the public pages of `output` (None when there are none)."""
    glob = public_glob(output)
    return None if glob is None else RunningIndex(output, glob)


def _command(site: Path, glob: str) -> list[str]:
    try:
        from pagefind_bin import get_executable

        executable = get_executable()
    except (ImportError, FileNotFoundError):
        missing = "the Pagefind program is missing; run 'make html' to install it, or build with --no-search"
        raise SiteError(BUNDLE, "search", missing) from None
    return [
        str(executable),
        "--site",
        str(site),
        "--glob",
        glob,
        "--output-subdir",
        BUNDLE,
        "--exclude-selectors",
        ", ".join(EXCLUDE_SELECTORS),
        "--quiet",
    ]
