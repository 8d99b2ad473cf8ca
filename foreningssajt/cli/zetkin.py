"""Fetch the association's public events from Zetkin into data/zetkin-events.json.

Usage: python -m foreningssajt.cli.zetkin [--root DIR] [--base-url URL] [--timeout SECONDS]   (make zetkin)

The build never goes online: it reads the data file this command wrote, which is
committed so that the site builds offline and each change is a reviewable diff.
Zetkin's answer is untrusted: --timeout is the whole fetch's deadline, the answer's
size and depth are limited, and an event we cannot use is left out with one line.
A failed fetch changes nothing and says why in one line. See docs/zetkin.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from foreningssajt.calendar_events.zetkin_data import DATA_FILE
from foreningssajt.calendar_events.zetkin_fetch import API_BASE, TIMEOUT, FetchError, Outcome, update
from foreningssajt.siteconfig import SiteError, load_site
from foreningssajt.siteconfig.errors import message_catalogue

SUMMARY = (
    "Zetkin: {events} aktiviteter, varav {cancelled} inställda "
    "(utelämnade: {unpublished} opublicerade, {skipped} oläsbara)"
)
WRITTEN = "{summary}; sparade i {file}; granska med 'git diff' och checka in."
SAME = "{summary}; {file} är redan aktuell."
UNCHANGED = "Zetkin: {problem}; {file} är oförändrad."
NO_ORGANISATION = "inte angivet; skriv föreningens organisationsnummer i Zetkin, t.ex. organisation: 1234"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Hämta publika aktiviteter från Zetkin till data/zetkin-events.json.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="sajtens mapp (med site.yml)")
    parser.add_argument("--base-url", default=os.environ.get("ZETKIN_API", API_BASE), help="Zetkins API-adress")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="sekunder hela hämtningen får ta")
    parser.add_argument(
        "--now", type=dt.datetime.fromisoformat, help="räkna som om klockan vore denna (ISO, för tester)"
    )
    return parser.parse_args(argv)


def summary(outcome: Outcome, say: object) -> str:
    fetched = outcome.fetched
    counts = {
        "events": len(fetched.events),
        "cancelled": sum(event["cancelled"] for event in fetched.events),
        "unpublished": fetched.unpublished,
        "skipped": len(fetched.skipped),
    }
    line = say.gettext(SUMMARY).format(**counts)
    return say.gettext(WRITTEN if outcome.written else SAME).format(summary=line, file=DATA_FILE)


def _now(given: dt.datetime | None) -> dt.datetime:
    if given is None:
        return dt.datetime.now(dt.UTC)
    return (given if given.tzinfo else given.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        site = load_site(args.root)
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    say = message_catalogue(str(site.get("language") or "sv"))
    organisation = (site.get("zetkin") or {}).get("organisation")
    if organisation is None:
        print(SiteError("site.yml", "zetkin: organisation", NO_ORGANISATION).render(say), file=sys.stderr)
        return 1
    try:
        outcome = update(args.root, organisation, args.base_url, _now(args.now), args.timeout)
    except FetchError as error:
        print(say.gettext(UNCHANGED).format(problem=error.render(say), file=DATA_FILE), file=sys.stderr)
        return 1
    for skipped in outcome.fetched.skipped:
        print(skipped.render(say), file=sys.stderr)
    print(summary(outcome, say))
    return 0


if __name__ == "__main__":
    sys.exit(main())
