"""Build the site safely: into a temporary folder, swapped in only on success.

Usage: python tools/build.py [--root DIR] [--output DIR] [--publish] [--no-search] [--debug]

A volunteer sees one line per mistake (file: key: what to write) and never a
traceback; the published output/ stays as it was until a build succeeds.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))

from siteconfig import stats  # noqa: E402
from siteconfig.errors import SiteError, collected  # noqa: E402

FAILED = "Bygget avbröts (build stopped); {output} is unchanged."


class OneLineHandler(logging.Handler):
    """Pelican's warnings and errors as single lines; errors make the build fail."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Pelican logs a failed file from inside its except block, without the
        # exception; the exception is still the one being handled.
        handling = sys.exc_info()[1]
        if isinstance(handling, SiteError):
            return  # already collected; printed once, in the writer's words
        line = " ".join(record.getMessage().split())
        if handling is not None:
            line += f": {type(handling).__name__}: {handling}"
        if record.levelno >= logging.ERROR:
            self.errors.append(line)
        print(f"{record.levelname.lower()}: {line}", file=sys.stderr)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Build the association's site.")
    parser.add_argument("--root", type=Path, default=REPO, help="site folder with site.yml and content/")
    parser.add_argument("--output", type=Path, help="output folder (default: ROOT/output)")
    parser.add_argument("--publish", action="store_true", help="use publishconf.py")
    parser.add_argument("--no-search", action="store_true", help="skip search indexing (faster while writing)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for developers)")
    args = parser.parse_args(argv)
    if args.publish and args.no_search:  # a published site always has its search index
        parser.error("--no-search is for development builds; a published site always has search")
    return args


def run_pelican(args: argparse.Namespace, building: Path) -> list[str]:
    """Run one Pelican build into `building`; return the error lines (empty on success)."""
    os.environ["SITE_ROOT"] = str(args.root.resolve())
    handler = OneLineHandler()
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    from pelican import Pelican
    from pelican.settings import read_settings

    conf = REPO / ("publishconf.py" if args.publish else "pelicanconf.py")
    try:
        settings = read_settings(str(conf), override={"OUTPUT_PATH": str(building), "SEARCH": not args.no_search})
        stats.time_pelican_stages()  # before Pelican(): its timers run ahead of plugins' finalized steps
        pelican = Pelican(settings)
        stats.start_run()
        pelican.run()
    except SiteError as error:
        return [str(e) for e in collected()] or [str(error)]
    return [str(e) for e in collected()] + handler.errors


def swap_in(building: Path, output: Path) -> None:
    """Replace output/ with the new build in two renames, so no reader sees half a site."""
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        output.rename(retired)
    building.rename(output)
    shutil.rmtree(retired, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    output = (args.output or args.root / "output").resolve()
    building = output.with_name(f".{output.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    started = time.perf_counter()
    try:
        problems = run_pelican(args, building)
    except Exception as exc:  # a volunteer gets one line, a developer --debug
        if args.debug:
            raise
        problems = [f"internal error: {type(exc).__name__}: {exc} (run 'make html DEBUG=1' for details)"]
    if os.environ.get("BUILD_STATS"):  # the benchmark's figures, written outside output/
        stats.write(os.environ["BUILD_STATS"], total=time.perf_counter() - started, ok=not problems)
    if problems:
        shutil.rmtree(building, ignore_errors=True)
        print("\n".join(problems), file=sys.stderr)
        print(FAILED.format(output=_shown(output, args.root)), file=sys.stderr)
        return 1
    swap_in(building, output)
    print(f"Klart: {_shown(output, args.root)} byggd på {time.perf_counter() - started:.1f} s.")
    return 0


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.resolve())) + "/"
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
