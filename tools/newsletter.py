"""The newsletter by email: make it, and optionally send it.

Usage: python tools/newsletter.py [N] [--send] [--root DIR] [--out DIR] [--debug]

N is a newsletter file or a date (2026-03 or 2026-03-05); without it, the newest.
Writes newsletter-out/<date>-medlemsbrev.eml and .html: never into output/, never
published. --send also sends it over SMTP, configured by environment variables (see
docs/guide/nyhetsbrev.md). Mistakes come out as one line each, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))

from newsletter_mail import send  # noqa: E402
from newsletter_mail.events import upcoming_events  # noqa: E402
from newsletter_mail.inline import inline_css  # noqa: E402
from newsletter_mail.links import InlineImage, LinkResolver, ResolveErrors  # noqa: E402
from newsletter_mail.message import build_message, sender_address  # noqa: E402
from newsletter_mail.plaintext import plain_text  # noqa: E402
from newsletter_mail.render import render_email  # noqa: E402
from newsletter_mail.source import Newsletter, choose, load_settings, make_readers  # noqa: E402
from newsletter_mail.urls import absolute  # noqa: E402
from siteconfig.errors import SiteError  # noqa: E402
from siteconfig.session import BuildSession, session_of  # noqa: E402

OUT_FOLDER = "newsletter-out"


@dataclass
class Made:
    newsletter: Newsletter
    message: EmailMessage
    eml: Path
    html: Path
    domain: str
    warnings: list[str]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Make (and send) the newsletter's email edition.")
    parser.add_argument("newsletter", nargs="?", help="a newsletter file or a date such as 2026-03 (default: newest)")
    parser.add_argument("--send", action="store_true", help="send it over SMTP (settings from the environment)")
    parser.add_argument("--root", type=Path, default=REPO, help="site folder with site.yml and content/")
    parser.add_argument("--out", type=Path, help=f"where to write the files (default: ROOT/{OUT_FOLDER})")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for developers)")
    return parser.parse_args(argv)


def make(root: Path, wanted: str | None, out: Path, sender: str | None) -> Made:
    settings = load_settings(BuildSession.start(root))
    _check_out(out, settings)
    readers = make_readers(settings)
    newsletter = choose(settings, readers, wanted)
    domain = urlsplit(settings["SITE"]["url"]).hostname or "localhost"
    resolved = LinkResolver(settings, readers, newsletter, domain).resolve()
    rendered = _render(settings, newsletter, resolved.html)
    html = inline_css(rendered)
    message = build_message(
        subject=newsletter.title,
        sender=sender_address(sender or settings["SITE"]["contact"]["email"], settings["SITENAME"]),
        html=html,
        text=plain_text(rendered),
        images=resolved.images,
        domain=domain,
    )
    eml, html_file = _write(out, f"{newsletter.date:%Y-%m-%d}-medlemsbrev", message, html, resolved.images)
    return Made(newsletter, message, eml, html_file, domain, resolved.warnings)


def _render(settings: dict, newsletter: Newsletter, body: str) -> str:
    events = upcoming_events(settings, newsletter.date)
    problems = session_of(settings).problems
    if problems:  # a mistake in an event file: the build would stop too, so say it now
        raise ResolveErrors(list(problems))
    web_url = absolute(settings["SITE"]["url"], newsletter.web_path)
    return render_email(settings, newsletter, body, web_url, events)


def _write(out: Path, stem: str, message: EmailMessage, html: str, images: list[InlineImage]) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    eml, html_file = out / f"{stem}.eml", out / f"{stem}.html"
    eml.write_bytes(message.as_bytes())
    # The HTML file is pasted into a mail tool: there, images come from their public copies.
    for image in images:
        html = html.replace(f"cid:{image.cid}", image.public_url)
    html_file.write_text(html, encoding="utf-8")
    return eml, html_file


def _check_out(out: Path, settings: dict) -> None:
    """The email holds protected text: never write it where the site is published or read from."""
    for setting, name in (("OUTPUT_PATH", "the site's output folder"), ("PATH", "content/")):
        if out.is_relative_to(Path(settings[setting]).resolve()):
            raise SiteError("--out", "", f"{out} is inside {name}; pick a folder outside it, e.g. {OUT_FOLDER}/")


def confirmed(title: str, count: int) -> bool:
    """At a terminal, ask once: a newsletter sent to every member cannot be taken back."""
    if not sys.stdin.isatty():
        return True
    answer = input(f"Skicka ”{title}” till {count} mottagare? Skriv ja för att skicka: ")
    return answer.strip().lower() in ("ja", "j", "yes", "y")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    smtp = recipients = recipients_file = None
    if args.send:  # check the sending setup before any work, so a typo costs nothing
        smtp = send.smtp_settings(os.environ)
        recipients_file = send.recipients_path(os.environ, [REPO, root])
        recipients = send.read_recipients(recipients_file)
    made = make(root, args.newsletter, (args.out or root / OUT_FOLDER).resolve(), smtp.sender if smtp else None)
    for warning in made.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Klart: {_shown(made.eml, root)} och {_shown(made.html, root)} (”{made.newsletter.title}”).")
    if not (smtp and recipients and recipients_file):
        return 0
    if not confirmed(made.newsletter.title, len(recipients)):
        print("Inget skickat.", file=sys.stderr)
        return 1
    print(f"Skickar till {len(recipients)} mottagare via {smtp.host}:{smtp.port} …")
    report = send.send_all(made.message, recipients, smtp, made.domain)
    print("\n".join(send.describe(report, len(recipients))), file=sys.stdout if report.ok else sys.stderr)
    unsent = send.write_unsent(recipients_file, report)
    if unsent:
        print(
            f"De som inte fick brevet står i {unsent}; skicka till dem med NEWSLETTER_RECIPIENTS={unsent}",
            file=sys.stderr,
        )
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except (SiteError, ResolveErrors) as error:
        lines = str(error).splitlines()
        print("\n".join(dict.fromkeys(lines)), file=sys.stderr)
        return 1
    except Exception as exc:  # a volunteer gets one line, a developer --debug
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 1


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    # Pelican's warnings (a missing link target, say) as plain lines; set here, not in
    # main(), so that tests calling main() keep their own logging.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    sys.exit(main())
