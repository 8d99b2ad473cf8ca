"""Build the site safely: into a staging folder, swapped in only on success.

Usage: python tools/build.py [--root DIR] [--output DIR] [--publish] [--no-search]
                             [--now ISO] [--stats FILE] [--debug]

The whole build, top to bottom (each step a function of the session and settings):

    settings   site.yml checked and turned into Pelican settings
    generate   Pelican's readers and generators: news, pages, plans, reports, calendar
               pages and feeds, and the members' area (encrypted)
    editor     /admin/: the web editor and its config.yml made from the content contract
    sitemap    sitemap.xml and robots.txt from what was written
    search     the Pagefind index of the public pages
    audit      the leak audit: no protected text in plaintext anywhere in the output
    swap       the staging folder replaces output/ in two renames

A volunteer sees one line per mistake (file: key: what to write) and never a
traceback; the published output/ stays as it was until a build succeeds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "plugins"):  # until the package is installed (pyproject.toml)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from siteconfig.errors import SiteError  # noqa: E402
from siteconfig.session import BuildSession  # noqa: E402
from tools import staging  # noqa: E402
from tools.quiet_pelican import PelicanLog, quiet_console, timed_reading_and_rendering  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Bygg föreningens webbplats.")
    parser.add_argument("--root", type=Path, default=REPO, help="site folder with site.yml and content/")
    parser.add_argument("--output", type=Path, help="output folder (default: ROOT/output)")
    parser.add_argument("--publish", action="store_true", help="use publishconf.py")
    parser.add_argument("--no-search", action="store_true", help="skip search indexing (faster while writing)")
    parser.add_argument("--now", type=dt.datetime.fromisoformat, help="build as if it were this moment (tests)")
    parser.add_argument("--stats", type=Path, help="write the build's timings as JSON to this file")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for developers)")
    args = parser.parse_args(argv)
    if args.publish and args.no_search:  # a published site always has its search index
        parser.error("--no-search is for development builds; a published site always has search")
    return args


def load_settings(session: BuildSession, building: Path, search: bool) -> dict[str, Any]:
    from siteconfig.settings import pelican_settings

    return pelican_settings(session, building, search=search)


def generate(session: BuildSession, settings: dict[str, Any]) -> None:
    """Pelican's part: every reader and generator, members' area included."""
    from pelican import Pelican

    with quiet_console(), timed_reading_and_rendering(session.stats):
        Pelican(settings).run()


def write_editor(session: BuildSession, settings: dict[str, Any]) -> None:
    from editor.admin import write_admin

    with session.stats.stage("editor"):
        write_admin(session, settings)


def write_site_files(session: BuildSession, settings: dict[str, Any]) -> None:
    from site_pages.sitemap import write_site_files as write

    with session.stats.stage("sitemap"):
        write(Path(settings["OUTPUT_PATH"]), settings["PUBLISH_SITEURL"])


def index_search(session: BuildSession, settings: dict[str, Any]) -> None:
    from search.indexing import build_index

    if settings["SEARCH"]:
        with session.stats.stage("search"):
            build_index(Path(settings["OUTPUT_PATH"]))


def audit(session: BuildSession, settings: dict[str, Any]) -> None:
    from leak_audit.audit import audit_build

    with session.stats.stage("leak_audit"):
        found = audit_build(settings, Path(settings["OUTPUT_PATH"]))
    session.problems.extend(found.leaks)


STEPS = (generate, write_editor, write_site_files, index_search, audit)


def build(session: BuildSession, args: argparse.Namespace, building: Path) -> None:
    """Every step in order; the first step that finds problems ends the build."""
    PelicanLog.install(session)
    settings = load_settings(session, building, search=not args.no_search)
    for step in STEPS:
        if session.problems:
            return
        step(session, settings)


def run(session: BuildSession, args: argparse.Namespace, building: Path) -> None:
    """build(), with every failure turned into problems a volunteer can read."""
    try:
        build(session, args, building)
    except SiteError as error:
        session.problems.add(error)
    except Exception as exc:  # a volunteer gets one line, a developer --debug
        if args.debug:
            raise
        session.problems.add(internal_error(exc))


def internal_error(exc: BaseException) -> SiteError:
    where = getattr(exc, "source_path", None) or "bygget"
    return SiteError(
        where,
        "",
        "internt fel ({kind}: {detail}); kör 'make html DEBUG=1' och skicka utskriften till den som sköter sajten",
        kind=type(exc).__name__,
        detail=str(exc)[:200],
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    root = args.root.resolve()
    output = (args.output or root / "output").resolve()
    session = BuildSession.start(root, now=args.now, publishing=args.publish)
    started = time.perf_counter()
    with staging.folder(output) as building:
        run(session, args, building)
        if args.stats:  # the benchmark's figures, written outside output/
            session.stats.write(args.stats, total=time.perf_counter() - started, ok=not session.problems)
        if session.problems:
            print("\n".join(session.problems.lines(session.language)), file=sys.stderr)
            print(staging.unchanged_line(output, root, session.language), file=sys.stderr)
            return 1
        staging.swap_in(building, output)
    print(staging.done_line(output, root, time.perf_counter() - started, session.language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
