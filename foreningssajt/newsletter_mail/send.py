"""Sending over SMTP: one message per recipient, and an exact account of what happened.

Members' addresses are personal data: the list lives outside the repository and is
never printed in full (a***@example.org). Each step is written to the send journal
(journal.py) before it is taken, so a rerun after any stop sends only to those who do
not have the newsletter yet: nobody gets it twice, nobody is left out unnoticed.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from foreningssajt.siteconfig.errors import SiteError

from .interrupt import StopRequest
from .journal import SENDING, SENT, Journal
from .message import for_recipient

TIMEOUT_SECONDS = 30
# Deliberately plain: one address, no display name, no spaces or quotes to mistype.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_ANY_ADDRESS = re.compile(r"[^\s<>@\"']+@[^\s<>@\"']+")
_UNSUBSCRIBE_ITEM = re.compile(r"^(mailto:|https://)\S+$")


@dataclass
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    sender: str  # the From header as given: "Name <a@b>" or a@b
    unsubscribe: str | None

    @property
    def envelope_from(self) -> str:
        return parseaddr(self.sender)[1]


@dataclass
class Recipient:
    line: int  # in the recipients file: the exact, non-secret way to name someone
    address: str

    @property
    def masked(self) -> str:
        return f"rad {self.line}: {mask(self.address)}"


@dataclass
class Report:
    """Where each recipient stands after a run: the journal's past and this run's sending."""

    sent: list[Recipient] = field(default_factory=list)  # in this run
    earlier: list[Recipient] = field(default_factory=list)  # the journal says: in an earlier run
    uncertain: list[Recipient] = field(default_factory=list)  # cut off mid-transaction: maybe delivered
    failed: list[tuple[Recipient, str]] = field(default_factory=list)
    not_tried: list[Recipient] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_tried and not self.uncertain


class Uncertain(Exception):
    """The connection broke after the message was handed over: it may have been delivered."""


def mask(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


def smtp_settings(env: Mapping[str, str]) -> SmtpSettings:
    missing = [name for name in ("SMTP_HOST", "SMTP_FROM") if not env.get(name, "").strip()]
    if missing:
        raise SiteError(", ".join(missing), "", "saknas; ange SMTP_HOST och SMTP_FROM (se docs/guide/nyhetsbrev.md)")
    starttls = env.get("SMTP_STARTTLS", "1").strip()
    if starttls not in ("0", "1"):
        raise SiteError(
            "SMTP_STARTTLS",
            "",
            "”{value}” är varken 1 eller 0; skriv SMTP_STARTTLS=1 (eller 0 utan TLS)",
            value=starttls,
        )
    port_text = env.get("SMTP_PORT", "").strip() or ("587" if starttls == "1" else "25")
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        raise SiteError("SMTP_PORT", "", "”{value}” är inget portnummer; skriv t.ex. SMTP_PORT=587", value=port_text)
    user, password = env.get("SMTP_USER") or None, env.get("SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        raise SiteError("SMTP_USER, SMTP_PASSWORD", "", "ange båda (för att logga in) eller ingen av dem")
    sender = env["SMTP_FROM"].strip()
    if not _ADDRESS.match(parseaddr(sender)[1]):
        raise SiteError("SMTP_FROM", "", "är ingen e-postadress; skriv t.ex. SMTP_FROM=kontakt@example.org")
    return SmtpSettings(
        env["SMTP_HOST"].strip(),
        int(port_text),
        starttls == "1",
        user,
        password,
        sender,
        _unsubscribe(env.get("LIST_UNSUBSCRIBE", "")),
    )


def _unsubscribe(raw: str) -> str | None:
    """LIST_UNSUBSCRIBE=mailto:a@b or an https address (or both, comma separated) as RFC 2369 wants it."""
    items = [item.strip().strip("<>") for item in raw.split(",") if item.strip()]
    for item in items:
        if not _UNSUBSCRIBE_ITEM.match(item):
            raise SiteError(
                "LIST_UNSUBSCRIBE", "", "”{value}”: skriv mailto:adress eller en https://-adress", value=item
            )
    return ", ".join(f"<{item}>" for item in items) or None


def recipients_path(env: Mapping[str, str], forbidden_roots: list[Path]) -> Path:
    raw = env.get("NEWSLETTER_RECIPIENTS", "").strip()
    if not raw:
        raise SiteError(
            "NEWSLETTER_RECIPIENTS", "", "saknas; ange sökvägen till mottagarlistan, som ligger utanför projektmappen"
        )
    path = Path(raw).expanduser().resolve()
    for root in forbidden_roots:
        if path.is_relative_to(root.resolve()):
            raise SiteError(
                "NEWSLETTER_RECIPIENTS",
                "",
                "pekar in i projektmappen; medlemmarnas adresser får aldrig checkas in, lägg listan någon annanstans",
            )
    if not path.is_file():
        raise SiteError("NEWSLETTER_RECIPIENTS", "", "det finns ingen fil på {path}", path=path)
    return path


def read_recipients(path: Path) -> list[Recipient]:
    """One address per line; blank lines and lines starting with # are skipped; repeats are sent once."""
    recipients: dict[str, Recipient] = {}
    bad: list[int] = []
    for number, line in enumerate(_text_of(path).splitlines(), 1):
        address = line.strip()
        if not address or address.startswith("#"):
            continue
        if not _ADDRESS.match(address):
            bad.append(number)
            continue
        recipients.setdefault(address.lower(), Recipient(number, address))
    if bad:
        lines = ", ".join(str(n) for n in bad[:10]) + (" ..." if len(bad) > 10 else "")
        raise SiteError(
            path.name,
            "",
            "rad {lines}: är ingen e-postadress; skriv en adress per rad, t.ex. namn@example.org. Inget skickades",
            lines=lines,
        )
    if not recipients:
        raise SiteError(path.name, "", "innehåller inga adresser; skriv en adress per rad. Inget skickades")
    return list(recipients.values())


def _text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SiteError(path.name, "", "är inte sparad som UTF-8; spara listan som UTF-8. Inget skickades") from None


def plan(recipients: list[Recipient], journal: Journal, resend_uncertain: bool) -> tuple[Report, list[Recipient]]:
    """Who already has it, who may have it (not sent again unless asked), and who is to get it now."""
    report, todo = Report(), []
    for recipient in recipients:
        state = journal.state(recipient.address)
        if state == SENT:
            report.earlier.append(recipient)
        elif state == SENDING and not resend_uncertain:
            report.uncertain.append(recipient)
        else:
            todo.append(recipient)
    return report, todo


@dataclass
class Sending:
    """One run's sending: the message, the way out, the journal, and the stop button."""

    message: EmailMessage
    smtp: SmtpSettings
    domain: str
    journal: Journal
    stop: StopRequest


def send_all(job: Sending, recipients: list[Recipient], report: Report) -> Report:
    """One copy per recipient over one connection; each step written to the journal first."""
    try:
        server = _connect(job.smtp)
    except (OSError, smtplib.SMTPException) as exc:
        raise SiteError(
            f"SMTP {job.smtp.host}:{job.smtp.port}",
            "",
            "går inte att ansluta eller logga in ({reason}). Inget skickades",
            reason=_reason(exc),
        ) from None
    try:
        _send_each(server, job, recipients, report)
    finally:
        _quit(server)
    return report


def _send_each(server: smtplib.SMTP, job: Sending, recipients: list[Recipient], report: Report) -> None:
    for index, recipient in enumerate(recipients):
        if job.stop:  # Ctrl-C: the message before this one is finished and recorded
            report.interrupted = True
            report.not_tried.extend(recipients[index:])
            return
        if not _send_one(server, job, recipient, report):
            report.not_tried.extend(recipients[index + 1 :])
            return


def _send_one(server: smtplib.SMTP, job: Sending, recipient: Recipient, report: Report) -> bool:
    """Send to one recipient and record the outcome; False when the connection is gone."""
    copy = for_recipient(job.message, recipient.address, job.domain, job.smtp.unsubscribe)
    job.journal.sending(recipient.address)
    try:
        _transaction(server, job.smtp.envelope_from, recipient.address, copy.as_bytes())
    except Uncertain:  # stays "sending" in the journal: not sent again without being asked
        report.uncertain.append(recipient)
        return False
    except OSError as exc:  # refused, or the connection failed before the message went: retry next run
        job.journal.failed(recipient.address)
        report.failed.append((recipient, _reason(exc)))
        # A refused recipient or message: the next may still go, unless the server hung up (421).
        return isinstance(exc, smtplib.SMTPException) and server.sock is not None
    job.journal.sent(recipient.address)
    report.sent.append(recipient)
    return True


def _transaction(server: smtplib.SMTP, sender: str, address: str, raw: bytes) -> None:
    """MAIL, RCPT, DATA step by step, so that a failure says whether the message had left."""
    server.ehlo_or_helo_if_needed()
    code, reply = server.mail(sender)
    if code != 250:
        _refused(server, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = server.rcpt(address)
    if code not in (250, 251):
        _refused(server, code)
        raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
    try:
        code, reply = server.data(raw)
    except smtplib.SMTPDataError:  # refused before the text was sent (no 354)
        _refused(server, 0)
        raise
    except OSError as exc:
        raise Uncertain(_reason(exc)) from exc
    if code != 250:
        _refused(server, code)
        raise smtplib.SMTPDataError(code, reply)


def _refused(server: smtplib.SMTP, code: int) -> None:
    """After a refusal: a server that said 421 is leaving; any other is ready for the next."""
    if code == 421:
        server.close()
        return
    try:
        server.rset()
    except (smtplib.SMTPException, OSError):
        server.close()


def _quit(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.port == 465:  # implicit TLS ("SMTPS"), the other common setup besides STARTTLS
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
    try:
        if smtp.starttls and smtp.port != 465:
            server.starttls(context=ssl.create_default_context())
        if smtp.user:
            server.login(smtp.user, smtp.password or "")
    except BaseException:
        server.close()
        raise
    return server


def _reason(exc: BaseException) -> str:
    """The server's words, with any address in them masked (servers like to echo them)."""
    return _ANY_ADDRESS.sub(lambda m: mask(m.group(0)), _server_words(exc))


def _server_words(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"{exc.smtp_code} {message}"
    return str(exc) or type(exc).__name__
