"""The newsletter by email: make it, and optionally send it.

Usage: python -m foreningssajt.cli.newsletter [N] [--send [--resend-uncertain]] [--root DIR] [--out DIR] [--debug]

N is a newsletter file or a date (2026-03 or 2026-03-05); without it, the newest.
Writes newsletter-out/<date>-medlemsbrev.eml and .html: never into output/, never
published. --send also sends it over SMTP, configured by environment variables (see
docs/guide/nyhetsbrev.md), recording each step in ROOT/newsletter-sent/ so that running
the same command again after Ctrl-C or kill -9 sends only to those who do not have it.
Mistakes come out as one line each, never a traceback.
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

from foreningssajt.members.inventory import inventory_for
from foreningssajt.newsletter_mail import send
from foreningssajt.newsletter_mail.events import upcoming_events
from foreningssajt.newsletter_mail.inline import inline_css
from foreningssajt.newsletter_mail.interrupt import StopRequest
from foreningssajt.newsletter_mail.journal import FOLDER as JOURNAL_FOLDER
from foreningssajt.newsletter_mail.journal import Journal, earlier_versions_sent, newsletter_id
from foreningssajt.newsletter_mail.links import InlineImage, LinkResolver, ResolveErrors
from foreningssajt.newsletter_mail.message import build_message, sender_address
from foreningssajt.newsletter_mail.plaintext import plain_text
from foreningssajt.newsletter_mail.render import render_email
from foreningssajt.newsletter_mail.source import Newsletter, choose, load_settings, make_readers
from foreningssajt.newsletter_mail.summary import INTERRUPTED, describe
from foreningssajt.newsletter_mail.urls import absolute
from foreningssajt.siteconfig.errors import SiteError, message_catalogue
from foreningssajt.siteconfig.session import BuildSession, session_of

OUT_FOLDER = "newsletter-out"


@dataclass
class Made:
    newsletter: Newsletter
    message: EmailMessage
    eml: Path
    html: Path
    domain: str
    warnings: list[str]
    newsletter_id: str  # the send journal's name: file name and a digest of the text
    language: str


@dataclass
class SendSetup:
    smtp: send.SmtpSettings
    recipients: list[send.Recipient]
    resend_uncertain: bool


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Make (and send) the newsletter's email edition.")
    parser.add_argument("newsletter", nargs="?", help="a newsletter file or a date such as 2026-03 (default: newest)")
    parser.add_argument("--send", action="store_true", help="send it over SMTP (settings from the environment)")
    parser.add_argument(
        "--resend-uncertain",
        action="store_true",
        help="also send to those an interrupted send may or may not have reached (see docs/guide/nyhetsbrev.md)",
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="site folder with site.yml and content/")
    parser.add_argument("--out", type=Path, help=f"where to write the files (default: ROOT/{OUT_FOLDER})")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for developers)")
    return parser.parse_args(argv)


def make(root: Path, wanted: str | None, out: Path, sender: str | None) -> Made:
    session = BuildSession.start(root)
    settings = load_settings(session)
    # The calendar asks the inventory which events are protected; a build makes it when
    # Pelican starts its plugins, and this tool starts no Pelican, so it makes it here.
    inventory_for(settings)
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
    source = (Path(settings["PATH"]) / newsletter.relpath).read_bytes()
    ident = newsletter_id(newsletter.relpath, source)
    return Made(newsletter, message, eml, html_file, domain, resolved.warnings, ident, session.language)


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
    for setting in ("OUTPUT_PATH", "PATH"):
        inside = Path(settings[setting]).resolve()
        if out.is_relative_to(inside):
            raise SiteError(
                "--out",
                "",
                "{out} ligger i {inside}, som publiceras eller läses av bygget; välj en mapp utanför, t.ex. {folder}/",
                out=out,
                inside=inside,
                folder=OUT_FOLDER,
            )


def confirmed(title: str, count: int) -> bool:
    """At a terminal, ask once: a newsletter sent to every member cannot be taken back."""
    if not sys.stdin.isatty():
        return True
    answer = input(f"Skicka ”{title}” till {count} mottagare? Skriv ja för att skicka: ")
    return answer.strip().lower() in ("ja", "j", "yes", "y")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    setup = _send_setup(root, args.resend_uncertain) if args.send else None
    made = make(root, args.newsletter, (args.out or root / OUT_FOLDER).resolve(), setup.smtp.sender if setup else None)
    for warning in made.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    done = _text(made.language, "Klart: {eml} och {html} (”{title}”).")
    print(done.format(eml=_shown(made.eml, root), html=_shown(made.html, root), title=made.newsletter.title))
    if setup is None:
        return 0
    with Journal.open(root / JOURNAL_FOLDER, made.newsletter_id, made.newsletter.relpath) as journal:
        return _send(made, setup, journal, root)


def _send_setup(root: Path, resend_uncertain: bool) -> SendSetup:
    """Check the sending setup before any work, so that a typo costs nothing."""
    smtp = send.smtp_settings(os.environ)
    recipients = send.read_recipients(send.recipients_path(os.environ, [Path.cwd(), root]))
    return SendSetup(smtp, recipients, resend_uncertain)


def _send(made: Made, setup: SendSetup, journal: Journal, root: Path) -> int:
    report, todo = send.plan(setup.recipients, journal, setup.resend_uncertain)
    command = _command(made.newsletter)
    _warn_earlier_version(made, root)
    if todo and not confirmed(made.newsletter.title, len(todo)):
        print(_text(made.language, "Inget skickat."), file=sys.stderr)
        return 1
    stop = StopRequest()
    if todo:
        sending = _text(made.language, "Skickar till {count} mottagare via {server} …")
        print(sending.format(count=len(todo), server=f"{setup.smtp.host}:{setup.smtp.port}"))
        with stop.catching():
            send.send_all(send.Sending(made.message, setup.smtp, made.domain, journal, stop), todo, report)
    print("\n".join(describe(report, command, made.language)), file=sys.stdout if report.ok else sys.stderr)
    return stop.exit_code if report.interrupted else 0 if report.ok else 1


def _warn_earlier_version(made: Made, root: Path) -> None:
    count = earlier_versions_sent(root / JOURNAL_FOLDER, made.newsletter.relpath, made.newsletter_id)
    if count:
        message = (
            "Obs: en tidigare version av {file} har redan skickats till {count} mottagare. "
            "Brevet har ändrats sedan dess och räknas som ett nytt: alla får den här versionen."
        )
        print(_text(made.language, message).format(file=made.newsletter.shown, count=count), file=sys.stderr)


def _command(newsletter: Newsletter | str | None) -> str:
    """The command that continues this send: the same newsletter, named by its file."""
    name = Path(newsletter.relpath).stem if isinstance(newsletter, Newsletter) else newsletter
    return f"make newsletter-send N={name}" if name else "make newsletter-send"


def _text(language: str, message: str) -> str:
    return message_catalogue(language).gettext(message)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except KeyboardInterrupt:  # before sending, or a second Ctrl-C during it: the journal is closed
        line = _text("sv", INTERRUPTED).format(command=_command(args.newsletter)) if args.send else "Avbrutet."
        print(line, file=sys.stderr)
        return 130
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
