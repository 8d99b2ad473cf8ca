"""What a send tells the terminal: four counts, and what to run next.

Swedish by default, English when the site's language is English (the build's message
catalogue). Recipients appear only masked (rad 3: a***@example.org), and only those
whom something went wrong for: a list of everyone would print the member register.
"""

from __future__ import annotations

from foreningssajt.siteconfig.errors import message_catalogue

from .send import Report

COUNTS = "Skickat nu: {now}. Redan skickat tidigare: {earlier}. Osäkra: {uncertain}. Misslyckade: {failed}."
NOT_TRIED = "Inte försökta ännu: {count}."
FAILED = "  INTE skickat: {recipient} ({reason})"
UNCERTAIN = (
    "{count} mottagare är osäkra: utskicket avbröts medan deras brev var på väg, så de kan redan ha fått det. "
    "De får det inte igen automatiskt; skicka till dem med {command} RESEND_UNCERTAIN=1"
)
INTERRUPTED = "Avbrutet. Kör {command} igen för att fortsätta; den som redan fått brevet får det inte igen."
RETRY = "Kör {command} igen för att skicka till dem som inte fick brevet; den som redan fått det får det inte igen."


def describe(report: Report, command: str, language: str = "sv") -> list[str]:
    """The summary lines for one run; `command` is the one that continues the send."""
    text = message_catalogue(language).gettext
    counts = {"now": len(report.sent), "earlier": len(report.earlier), "uncertain": len(report.uncertain)}
    lines = [text(COUNTS).format(**counts, failed=len(report.failed))]
    if report.not_tried:
        lines.append(text(NOT_TRIED).format(count=len(report.not_tried)))
    lines += [text(FAILED).format(recipient=r.masked, reason=reason) for r, reason in report.failed]
    if report.uncertain:
        lines.append(text(UNCERTAIN).format(count=len(report.uncertain), command=command))
    if report.interrupted:
        lines.append(text(INTERRUPTED).format(command=command))
    elif report.failed or report.not_tried:
        lines.append(text(RETRY).format(command=command))
    return lines
