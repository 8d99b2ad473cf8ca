"""Build the site safely: into a staging folder, swapped in only on success.

Usage: python -m foreningssajt.cli.build [--root DIR] [--output DIR] [--publish] [--no-search]
                             [--full] [--now ISO] [--stats FILE] [--debug]

The whole build, top to bottom (each step a function of the session and settings):

    settings   site.yml checked and turned into Pelican settings
    plan       compare with the last build (foreningssajt/cli/incremental.py): nothing changed means
               nothing to do; only posts' or pages' bodies changed means only their pages
               are written and the rest is reused; anything else is a full build
    audit      (start) in a full build, a process of its own begins the leak audit: it
               reads every file as soon as it is written (leak_audit/alongside.py)
    generate   Pelican's readers and generators: news, pages, plans, reports, calendar
               pages and feeds, and the members' area (encrypted)
    editor     /admin/: the web editor and its config.yml made from the content contract
    reuse      after a selective build: the previous build's other files, hard-linked
    sitemap    sitemap.xml and robots.txt from what was written
    search     the Pagefind index of the public pages
    audit      the leak audit: no protected text in plaintext anywhere in the output
               (a full build's: that process's verdict over the whole folder)
    swap       the staging folder replaces output/ in two renames

A volunteer sees one line per mistake (file: key: what to write) and never a
traceback; the published output/ stays as it was until a build succeeds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from foreningssajt.cli import staging
from foreningssajt.cli.quiet_pelican import PelicanLog, quiet_console, timed_reading_and_rendering
from foreningssajt.siteconfig.errors import SiteError, message_catalogue
from foreningssajt.siteconfig.session import BuildSession


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Bygg föreningens webbplats.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="site folder with site.yml and content/")
    parser.add_argument("--output", type=Path, help="output folder (default: ROOT/output)")
    parser.add_argument("--publish", action="store_true", help="use publishconf.py")
    parser.add_argument("--no-search", action="store_true", help="skip search indexing (faster while writing)")
    parser.add_argument("--full", action="store_true", help="build everything, ignoring the last build")
    parser.add_argument("--now", type=dt.datetime.fromisoformat, help="build as if it were this moment (tests)")
    parser.add_argument("--stats", type=Path, help="write the build's timings as JSON to this file")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for developers)")
    args = parser.parse_args(argv)
    if args.publish and args.no_search:  # a published site always has its search index
        parser.error("--no-search is for development builds; a published site always has search")
    return args


def load_settings(session: BuildSession, building: Path, search: bool) -> dict[str, Any]:
    from foreningssajt.siteconfig.settings import pelican_settings

    return pelican_settings(session, building, search=search)


def generate(session: BuildSession, settings: dict[str, Any]) -> None:
    """Pelican's part: every reader and generator, members' area included."""
    from foreningssajt.cli.selective import run_pelican
    from foreningssajt.content_rules.preread import preread

    with quiet_console(), timed_reading_and_rendering(session.stats):
        with session.stats.stage("preread"):  # a cold build's Markdown, read on every core
            session.stats.count("files_preread", preread(settings))
        if session.audit_alongside is not None:  # its patterns need the protected files' HTML, just read
            session.audit_alongside.hand_over(prepared_html(session))
        run_pelican(settings, settings.get(PLAN))


def prepared_html(session: BuildSession) -> dict[str, str]:
    """{path: HTML} of every Markdown file the pre-read read without problems."""
    return {path: outcome.html for path, outcome in session.prepared_reads.items() if not outcome.problems}


def overlaid(plan: Any, search: bool) -> bool:
    """A selective build without search (the dev server's) keeps only its new files in the
    staging folder: the audit reads the rest from output/, and they are moved over it.

    With search, Pagefind needs the whole tree in one folder, so the rest is linked.
    """
    return plan is not None and plan.mode == "selective" and not search


def reuse_unchanged(session: BuildSession, settings: dict[str, Any]) -> None:
    """After a selective build, the files it did not write, linked from the previous output."""
    from foreningssajt.cli.incremental import count_kept, link_unchanged

    plan = settings.get(PLAN)
    if plan is None or plan.mode != "selective":
        return
    building = Path(settings["OUTPUT_PATH"])
    with session.stats.stage("reuse"):
        if overlaid(plan, settings["SEARCH"]):
            session.stats.count("files_reused", count_kept(plan.output, building))
        else:
            session.stats.count("files_reused", link_unchanged(plan.output, building))


def write_editor(session: BuildSession, settings: dict[str, Any]) -> None:
    from foreningssajt.editor.admin import write_admin

    plan = settings.get(PLAN)
    if plan is not None and plan.mode == "selective":
        return  # /admin/ depends on code, settings and editor.yml only: the last build's is reused
    with session.stats.stage("editor"):
        write_admin(session, settings)


def write_site_files(session: BuildSession, settings: dict[str, Any]) -> None:
    from foreningssajt.site_pages.sitemap import write_site_files as write

    if overlaid(settings.get(PLAN), settings["SEARCH"]):
        return  # the same pages as last time, so output/ already has these files as they would be
    with session.stats.stage("sitemap"):
        write(Path(settings["OUTPUT_PATH"]), settings["PUBLISH_SITEURL"])


def index_search(session: BuildSession, settings: dict[str, Any]) -> None:
    """Start Pagefind over the public pages; the audit reads everything else meanwhile.

    Pagefind is a program of its own and writes only into output/pagefind/, so the
    audit step reads the rest of the tree while it runs, and that folder once it is done.
    """
    from foreningssajt.search.indexing import start_index

    if settings["SEARCH"]:
        with session.stats.stage("search"):
            session.search = start_index(Path(settings["OUTPUT_PATH"]))


def start_audit(session: BuildSession, settings: dict[str, Any]) -> None:
    """A full build's leak audit starts at once, in a process that reads files as they are written.

    Not for the dev server, which keeps the audit's patterns from build to build in its
    own process, nor for a selective build, which writes few files.
    """
    from foreningssajt.leak_audit.audit import start_alongside
    from foreningssajt.search.indexing import BUNDLE

    plan = settings.get(PLAN)
    if not session.keep_audit and (plan is None or plan.mode == "full"):
        session.audit_alongside = start_alongside(settings, f"{BUNDLE}/")


def audit(session: BuildSession, settings: dict[str, Any]) -> None:
    from foreningssajt.leak_audit.audit import audit_alongside, audit_build, prepare_audit
    from foreningssajt.search.indexing import BUNDLE

    wait_for_search = (lambda: finish_search(session)) if session.search is not None else None
    with session.stats.stage("leak_audit"):
        if session.audit_alongside is not None:
            process, session.audit_alongside = session.audit_alongside, None
            found = audit_alongside(process, settings, wait_for_search)
            session.stats.count("audit_alongside", 1)
        else:
            # Carried over by the dev server: reused if still right.
            session.audit = prepare_audit(settings, automata=True, reuse=session.audit)
            plan = settings.get(PLAN)
            underlay = plan.output if overlaid(plan, settings["SEARCH"]) else None
            later = (f"{BUNDLE}/", wait_for_search) if wait_for_search is not None else None
            found = audit_build(settings, Path(settings["OUTPUT_PATH"]), session.audit, underlay, later)
    session.problems.extend(found.leaks)
    # For the benchmark: how much of the output the audit's cache and its early reading let it skip.
    session.stats.count("audit_files", found.files)
    session.stats.count("audit_cached", found.cached)
    session.stats.count("audit_read_early", found.read_early)
    session.stats.add_seconds("audit_cpu", found.cpu_seconds)


def finish_search(session: BuildSession) -> None:
    """Wait for Pagefind (started by index_search); its failure is one line."""
    running, session.search = session.search, None
    with session.stats.stage("search_wait"):
        running.finish()


# reuse_unchanged links the previous build's files after every step that writes new
# ones and before those that read the whole tree; later steps write only files that
# foreningssajt/cli/incremental.py never links (REWRITTEN_LATER), so no linked file is written to.
STEPS = (start_audit, generate, write_editor, reuse_unchanged, write_site_files, index_search, audit)
PLAN = "BUILD_PLAN"  # the settings key of this build's incremental plan (None: a full build)


def build(session: BuildSession, args: argparse.Namespace, building: Path, plan: Any = None) -> None:
    """Every step in order; the first step that finds problems ends the build."""
    PelicanLog.install(session)
    settings = load_settings(session, building, search=not args.no_search)
    settings[PLAN] = plan
    for step in STEPS:
        if session.problems:
            return
        step(session, settings)


def run(session: BuildSession, args: argparse.Namespace, building: Path, plan: Any = None) -> None:
    """build(), with every failure turned into problems a volunteer can read."""
    try:
        build(session, args, building, plan)
    except SiteError as error:
        session.problems.add(error)
    except Exception as exc:  # a volunteer gets one line, a developer --debug
        if args.debug:
            raise
        session.problems.add(internal_error(exc))
    finally:  # success, failure, Ctrl-C: no worker outlives the build or writes into its staging folder
        session.background.close()
        if session.audit_alongside is not None:  # the build ended before its audit step
            session.audit_alongside.stop()
            session.audit_alongside = None
        if session.search is not None:  # the audit did not get to wait for Pagefind
            session.search.stop()
            session.search = None


def internal_error(exc: BaseException) -> SiteError:
    where = getattr(exc, "source_path", None) or "bygget"
    return SiteError(
        where,
        "",
        "internt fel ({kind}: {detail}); kör 'make html DEBUG=1' och skicka utskriften till den som sköter sajten",
        kind=type(exc).__name__,
        detail=str(exc)[:200],
    )


def main(
    argv: list[str] | None = None,
    published: Callable[[BuildSession], None] | None = None,
    carried_audit: Any = None,
    keep_audit: bool = False,
) -> int:
    """The command. For the dev server: `published(session)` is called once output/ holds
    the new build, before clean-up (the browser reloads then); `carried_audit` is the last
    build's leak_audit.PreparedAudit, reused if the protected inventory is the same, and
    with `keep_audit` the session's audit is this build's, to be carried to the next."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    root = args.root.resolve()
    output = (args.output or root / "output").resolve()
    session = BuildSession.start(root, now=args.now, publishing=args.publish)
    session.audit, session.keep_audit = carried_audit, keep_audit
    started = time.perf_counter()
    plan = None if args.full else start_plan(root, output, args, session)
    if plan is not None and plan.nothing_changed:
        if args.stats:
            session.stats.write(args.stats, total=time.perf_counter() - started, ok=True, mode="unchanged")
        print(up_to_date_line(output, root, time.perf_counter() - started, session.language))
        return 0
    with staging.folder(output) as building:
        run(session, args, building, plan)
        if args.stats:  # the benchmark's figures, written outside output/
            mode, why = (plan.mode, plan.reason) if plan is not None else ("full", "--full")
            total = time.perf_counter() - started
            session.stats.write(args.stats, total=total, ok=not session.problems, mode=mode, why=why)
        if session.problems:
            print("\n".join(session.problems.lines(session.language)), file=sys.stderr)
            print(staging.unchanged_line(output, root, session.language), file=sys.stderr)
            return 1
        if overlaid(plan, not args.no_search):
            retired = None
            staging.overlay_in(building, output)
        else:
            retired = staging.swap_in(building, output)
    print(staging.done_line(output, root, time.perf_counter() - started, session.language), flush=True)
    if published is not None:
        published(session)
    staging.remove_retired(retired)
    if plan is not None:
        plan.remember()
    return 0


def start_plan(root: Path, output: Path, args: argparse.Namespace, session: BuildSession) -> Any:
    """What the last successful build lets this one skip (foreningssajt/cli/incremental.py)."""
    from foreningssajt.cli.incremental import Plan

    flags = {"publishing": args.publish, "search": not args.no_search}
    return Plan.start(root, output, flags, session.now)


def up_to_date_line(output: Path, root: Path, seconds: float, language: str) -> str:
    text = message_catalogue(language).gettext("Klart: {output} är redan aktuell; inget har ändrats ({seconds} s).")
    return text.format(output=staging.shown(output, root), seconds=f"{seconds:.1f}")


if __name__ == "__main__":
    sys.exit(main())
