"""Fetch the association's public events from Zetkin into data/zetkin-events.json.

Usage: python tools/zetkin.py [--root DIR] [--base-url URL] [--timeout SECONDS]   (make zetkin)

The build never goes online: it reads the data file this command wrote, which is
committed so that the site builds offline and each change is a reviewable diff.
A failed fetch changes nothing and says why in one line. See docs/zetkin.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))

from calendar_events.zetkin_fetch import API_BASE, TIMEOUT, FetchError, update  # noqa: E402
from siteconfig import SiteError, load_site  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Fetch public events from Zetkin into data/zetkin-events.json.")
    parser.add_argument("--root", type=Path, default=REPO, help="site folder with site.yml")
    parser.add_argument("--base-url", default=os.environ.get("ZETKIN_API", API_BASE), help="Zetkin API address")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds to wait for Zetkin")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        organisation = (load_site(args.root).get("zetkin") or {}).get("organisation")
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    if organisation is None:
        print("site.yml: zetkin: organisation: not set; write your Zetkin organisation's number", file=sys.stderr)
        return 1
    try:
        print(update(args.root, organisation, args.base_url, dt.datetime.now(dt.UTC), args.timeout))
    except FetchError as error:
        print(f"Zetkin: {error}; data/zetkin-events.json is unchanged.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
