"""Sending over SMTP: one message per recipient, and an exact account of what happened.

Members' addresses are personal data: the list lives outside the repository, is never
printed in full (a***@example.org), and a failed send says exactly which lines of the
list got the newsletter and which did not, so nobody gets it twice or not at all.
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

from siteconfig.errors import SiteError

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
    sent: list[Recipient] = field(default_factory=list)
    failed: list[tuple[Recipient, str]] = field(default_factory=list)
    not_tried: list[Recipient] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_tried


def mask(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


def smtp_settings(env: Mapping[str, str]) -> SmtpSettings:
    missing = [name for name in ("SMTP_HOST", "SMTP_FROM") if not env.get(name, "").strip()]
    if missing:
        raise SiteError(", ".join(missing), "", "not set; set SMTP_HOST and SMTP_FROM (see docs/guide/nyhetsbrev.md)")
    starttls = env.get("SMTP_STARTTLS", "1").strip()
    if starttls not in ("0", "1"):
        raise SiteError("SMTP_STARTTLS", "", f"{starttls!r} is not 1 or 0; write SMTP_STARTTLS=1 (or 0 without TLS)")
    port_text = env.get("SMTP_PORT", "").strip() or ("587" if starttls == "1" else "25")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SiteError("SMTP_PORT", "", f"{port_text!r} is not a port number; write e.g. SMTP_PORT=587")
    user, password = env.get("SMTP_USER") or None, env.get("SMTP_PASSWORD") or None
    if bool(user) != bool(password):
        raise SiteError("SMTP_USER, SMTP_PASSWORD", "", "set both (to log in) or neither")
    sender = env["SMTP_FROM"].strip()
    if not _ADDRESS.match(parseaddr(sender)[1]):
        raise SiteError("SMTP_FROM", "", "is not an email address; write e.g. SMTP_FROM=kontakt@example.org")
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
            raise SiteError("LIST_UNSUBSCRIBE", "", f"{item!r}: write mailto:address or an https:// address")
    return ", ".join(f"<{item}>" for item in items) or None


def recipients_path(env: Mapping[str, str], forbidden_roots: list[Path]) -> Path:
    raw = env.get("NEWSLETTER_RECIPIENTS", "").strip()
    if not raw:
        raise SiteError(
            "NEWSLETTER_RECIPIENTS", "", "not set; write the path of the recipients file, kept outside the repository"
        )
    path = Path(raw).expanduser().resolve()
    for root in forbidden_roots:
        if path.is_relative_to(root.resolve()):
            raise SiteError(
                "NEWSLETTER_RECIPIENTS",
                "",
                "points inside the repository; members' addresses must never be committed, keep the file elsewhere",
            )
    if not path.is_file():
        raise SiteError("NEWSLETTER_RECIPIENTS", "", f"no file at {path}")
    return path


def read_recipients(path: Path) -> list[Recipient]:
    """One address per line; blank lines and lines starting with # are skipped; repeats are sent once."""
    recipients: dict[str, Recipient] = {}
    bad: list[int] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
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
            f"line {lines}",
            "not an email address; write one address per line, e.g. namn@example.org. Nothing was sent",
        )
    if not recipients:
        raise SiteError(path.name, "", "holds no addresses; write one per line. Nothing was sent")
    return list(recipients.values())


def send_all(message: EmailMessage, recipients: list[Recipient], smtp: SmtpSettings, domain: str) -> Report:
    """Send one copy per recipient over one connection; stop at the first connection failure."""
    report = Report()
    try:
        server = _connect(smtp)
    except (OSError, smtplib.SMTPException) as exc:
        raise SiteError(
            f"SMTP {smtp.host}:{smtp.port}", "", f"cannot connect or log in ({_reason(exc)}). Nothing was sent"
        ) from None
    try:
        for index, recipient in enumerate(recipients):
            copy = for_recipient(message, recipient.address, domain, smtp.unsubscribe)
            try:
                server.send_message(copy, from_addr=smtp.envelope_from, to_addrs=[recipient.address])
            except smtplib.SMTPServerDisconnected as exc:
                _connection_lost(report, recipients, index, exc)
                break
            except smtplib.SMTPException as exc:  # refused recipient or message: the next may still go
                report.failed.append((recipient, _reason(exc)))
                if server.sock is None:  # ... unless the server hung up with it (421)
                    report.not_tried.extend(recipients[index + 1 :])
                    break
            except OSError as exc:  # after SMTPException, which is an OSError too
                _connection_lost(report, recipients, index, exc)
                break
            else:
                report.sent.append(recipient)
    finally:
        _quit(server)
    return report


def _connection_lost(report: Report, recipients: list[Recipient], index: int, exc: BaseException) -> None:
    # Whether this one arrived is unknown, so it is not reported as sent; the rest were never tried.
    report.failed.append((recipients[index], _reason(exc)))
    report.not_tried.extend(recipients[index + 1 :])


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


def write_unsent(path: Path, report: Report) -> Path | None:
    """The addresses that did not get it, beside the recipients file, ready for a second send."""
    unsent = [r for r, _ in report.failed] + report.not_tried
    target = path.with_name(path.name + ".ej-skickade")
    if not unsent:
        target.unlink(missing_ok=True)  # left from an earlier send to this list: no longer true
        return None
    target.write_text("".join(f"{r.address}\n" for r in unsent), encoding="utf-8")
    return target


def describe(report: Report, total: int) -> list[str]:
    """What happened, for the terminal: counts, and masked lines only when something failed."""
    if report.ok:
        return [f"Skickat till alla {total} mottagare."]
    lines = [f"Skickat till {len(report.sent)} av {total} mottagare; {total - len(report.sent)} fick det INTE."]
    lines += [f"  skickat: {r.masked}" for r in report.sent]
    lines += [f"  INTE skickat: {r.masked} ({reason})" for r, reason in report.failed]
    lines += [f"  INTE skickat (avbrutet): {r.masked}" for r in report.not_tried]
    return lines
