"""The email itself: multipart/alternative (text, then HTML with its inline images)."""

from __future__ import annotations

import email.policy
import email.utils
from email import message_from_bytes
from email.headerregistry import Address
from email.message import EmailMessage

from .links import InlineImage

POLICY = email.policy.SMTP  # CRLF line ends, headers folded and encoded for the wire
# The .eml has no real recipient: the mail tool or `make newsletter-send` sets To.
NO_RECIPIENT = "undisclosed-recipients:;"


def build_message(
    *, subject: str, sender: str, html: str, text: str, images: list[InlineImage], domain: str
) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = NO_RECIPIENT
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain=domain)
    message["MIME-Version"] = "1.0"
    # Quoted-printable keeps both parts legible in the raw .eml (base64 would hide them).
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    html_part = message.get_payload()[1]
    for image in images:
        maintype, subtype = image.mime
        html_part.add_related(
            image.path.read_bytes(),
            maintype=maintype,
            subtype=subtype,
            cid=f"<{image.cid}>",
            disposition="inline",
            filename=image.path.name,
        )
    return message


def for_recipient(message: EmailMessage, recipient: str, domain: str, unsubscribe: str | None = None) -> EmailMessage:
    """A copy addressed to one person only, so no member sees another's address."""
    copy = message_from_bytes(message.as_bytes(), _class=EmailMessage, policy=POLICY)
    del copy["To"], copy["Date"], copy["Message-ID"], copy["List-Unsubscribe"]
    copy["To"] = recipient
    copy["Date"] = email.utils.formatdate(localtime=True)
    copy["Message-ID"] = email.utils.make_msgid(domain=domain)
    if unsubscribe:
        copy["List-Unsubscribe"] = unsubscribe
    return copy


def sender_address(raw: str, display_name: str) -> str:
    """'Name <a@b>' as given, or a bare address dressed in the association's name."""
    name, address = email.utils.parseaddr(raw)
    if not address:
        return raw
    local, _, domain = address.rpartition("@")
    return str(Address(display_name=name or display_name, username=local, domain=domain))
