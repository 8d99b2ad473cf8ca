"""Sending the newsletter (issue 6) to a real SMTP server: aiosmtpd on 127.0.0.1.

Each test runs `tools/newsletter.py --send` in-process with its own environment and
checks what the server received, what the terminal was told, and that no member's
address leaks into another member's message or into the output.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tools import newsletter

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "newsletter"
TITLE = "Medlemsbrev för mars – vår, möten och årsmöte i Åkerö"
MEMBERS = ["anna.lind@example.org", "bo@example.net", "cecilia+brev@example.com"]
SENDER = "Föreningen Åkerö <utskick@akero.example.org>"
SMTP_NAMES = ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "LIST_UNSUBSCRIBE")


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every delivery and can refuse chosen recipients."""

    refuse: set[str] = field(default_factory=set)
    hang_up_at: str | None = None  # answer this recipient with 421: the server is going away
    deliveries: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address == self.hang_up_at:
            return "421 4.3.2 Service shutting down"
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.deliveries.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in self.deliveries]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield recorder, controller.port
    finally:
        controller.stop()


def check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"brev", b"hemligt")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture
def smtp_server_with_login() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    # AUTH without TLS only because this server is on 127.0.0.1 in a test.
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), authenticator=check_login, auth_require_tls=False
    )
    controller.start()
    try:
        yield recorder, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path_factory.mktemp("send") / "site"))


@pytest.fixture
def recipients(tmp_path: Path) -> Path:
    # Outside the repository, as the command demands: pytest's tmp_path is under /tmp.
    path = tmp_path / "medlemmar.txt"
    path.write_text("# medlemmar\n" + "\n".join(MEMBERS) + "\n\n", encoding="utf-8")
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def send(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, site: Path, tmp_path: Path):
    """send(recipients_path, **env) runs `newsletter.py --send` against the fixture site."""

    def run(recipients_path: Path | str | None, **env: str) -> Run:
        for name in (*SMTP_NAMES, "NEWSLETTER_RECIPIENTS"):
            monkeypatch.delenv(name, raising=False)
        if recipients_path is not None:
            monkeypatch.setenv("NEWSLETTER_RECIPIENTS", str(recipients_path))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        code = newsletter.main(["--send", "--root", str(site), "--out", str(tmp_path / "out")])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def local_smtp(port: int, **extra: str) -> dict[str, str]:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_STARTTLS": "0", "SMTP_FROM": SENDER, **extra}


def no_address_shown(run: Run) -> None:
    for address in MEMBERS:
        assert address not in run.out + run.err, "a member's address was printed in full"


# ---- delivery ------------------------------------------------------------------------


def test_every_member_gets_their_own_message(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    run = send(recipients, **local_smtp(port, LIST_UNSUBSCRIBE="mailto:avanmal@akero.example.org"))
    assert run.code == 0, run.err
    assert "Skickat till alla 3 mottagare." in run.out
    no_address_shown(run)
    assert [rcpts for _, rcpts, _ in recorder.deliveries] == [[address] for address in MEMBERS]
    assert {sender for sender, _, _ in recorder.deliveries} == {"utskick@akero.example.org"}
    message_ids = set()
    for (_, [rcpt], raw), message in zip(recorder.deliveries, recorder.messages(), strict=True):
        others = [a for a in MEMBERS if a != rcpt]
        assert not any(other.encode() in raw for other in others), "another member's address leaked"
        assert message["To"] == rcpt
        assert message["Cc"] is None and message["Bcc"] is None
        assert message["Subject"] == TITLE
        assert raw.split(b"\r\n\r\n", 1)[0].isascii(), "the subject travels RFC 2047 encoded"
        assert message["From"].addresses[0].display_name == "Föreningen Åkerö"
        assert message["From"].addresses[0].addr_spec == "utskick@akero.example.org"
        assert message["Date"].datetime is not None
        assert message["List-Unsubscribe"] == "<mailto:avanmal@akero.example.org>"
        message_ids.add(message["Message-ID"])
        assert message.get_content_type() == "multipart/alternative"
        assert TITLE in message.get_body(("plain",)).get_content()
        assert TITLE in message.get_body(("html",)).get_content()
    assert len(message_ids) == 3, "each copy has its own Message-ID"


def test_no_list_unsubscribe_unless_configured(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    assert send(recipients, **local_smtp(port)).code == 0
    assert all(message["List-Unsubscribe"] is None for message in recorder.messages())


def test_a_refused_recipient_is_reported_exactly_and_the_rest_still_get_it(smtp_server, send, recipients) -> None:
    recorder, port = smtp_server
    recorder.refuse = {"bo@example.net"}
    run = send(recipients, **local_smtp(port))
    assert run.code == 1
    no_address_shown(run)
    assert [rcpts for _, rcpts, _ in recorder.deliveries] == [["anna.lind@example.org"], ["cecilia+brev@example.com"]]
    assert "Skickat till 2 av 3 mottagare; 1 fick det INTE." in run.err
    assert "  skickat: rad 2: a***@example.org" in run.err
    assert "  skickat: rad 4: c***@example.com" in run.err
    assert (
        "  INTE skickat: rad 3: b***@example.net (550 5.1.1 <b***@example.net>: Recipient address rejected)" in run.err
    )
    unsent = recipients.with_name("medlemmar.txt.ej-skickade")
    assert unsent.read_text(encoding="utf-8") == "bo@example.net\n"
    recorder.refuse = set()
    assert send(recipients, **local_smtp(port)).code == 0
    assert not unsent.exists(), "a later complete send to the list clears the stale list of the unsent"


def test_a_server_that_hangs_up_midway_leaves_the_rest_unsent(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    recorder.hang_up_at = "bo@example.net"
    run = send(recipients, **local_smtp(port))
    assert run.code == 1
    assert [rcpts for _, rcpts, _ in recorder.deliveries] == [["anna.lind@example.org"]]
    assert "Skickat till 1 av 3 mottagare; 2 fick det INTE." in run.err
    assert "  skickat: rad 2: a***@example.org" in run.err
    assert "  INTE skickat: rad 3: b***@example.net (421 4.3.2 Service shutting down)" in run.err
    assert "  INTE skickat (avbrutet): rad 4: c***@example.com" in run.err
    unsent = recipients.with_name("medlemmar.txt.ej-skickade").read_text(encoding="utf-8")
    assert unsent == "bo@example.net\ncecilia+brev@example.com\n"
    no_address_shown(run)


def test_logs_in_with_user_and_password(smtp_server_with_login, send, recipients: Path) -> None:
    recorder, port = smtp_server_with_login
    run = send(recipients, **local_smtp(port, SMTP_USER="brev", SMTP_PASSWORD="hemligt"))
    assert run.code == 0, run.err
    assert len(recorder.deliveries) == 3
    assert "hemligt" not in run.out + run.err


def test_a_wrong_password_sends_nothing(smtp_server_with_login, send, recipients: Path) -> None:
    recorder, port = smtp_server_with_login
    run = send(recipients, **local_smtp(port, SMTP_USER="brev", SMTP_PASSWORD="fel"))
    assert run.code == 1
    assert "cannot connect or log in" in run.err and "Nothing was sent" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert recorder.deliveries == []


# ---- bad input: one clear line, nothing sent ---------------------------------------------


def test_unreachable_server(send, recipients: Path) -> None:
    run = send(recipients, **local_smtp(free_port()))  # nobody listens there
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("SMTP 127.0.0.1:") and lines[0].endswith("Nothing was sent")
    assert "Skickat" not in run.out + run.err
    no_address_shown(run)


def test_starttls_required_but_not_offered(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    run = send(recipients, **local_smtp(port, SMTP_STARTTLS="1"))
    assert run.code == 1
    assert "cannot connect or log in" in run.err and "Nothing was sent" in run.err
    assert recorder.deliveries == []


def test_malformed_address_stops_before_anything_is_sent(smtp_server, send, tmp_path: Path) -> None:
    recorder, port = smtp_server
    path = tmp_path / "lista.txt"
    path.write_text(f"{MEMBERS[0]}\nbo@@example.net\n{MEMBERS[2]}\n", encoding="utf-8")
    run = send(path, **local_smtp(port))
    assert run.code == 1
    assert run.err.strip() == (
        "lista.txt: line 2: not an email address; write one address per line, e.g. namn@example.org. Nothing was sent"
    )
    assert recorder.deliveries == []
    assert "bo@@example.net" not in run.err


@pytest.mark.parametrize("missing", ["SMTP_HOST", "SMTP_FROM"])
def test_missing_settings(smtp_server, send, recipients: Path, missing: str) -> None:
    recorder, port = smtp_server
    settings = local_smtp(port)
    del settings[missing]
    run = send(recipients, **settings)
    assert run.code == 1
    assert run.err.strip().startswith(f"{missing}: not set;")
    assert recorder.deliveries == []


def test_missing_recipients_setting(smtp_server, send) -> None:
    recorder, port = smtp_server
    run = send(None, **local_smtp(port))
    assert run.code == 1
    assert run.err.strip().startswith("NEWSLETTER_RECIPIENTS: not set;")
    assert recorder.deliveries == []


def test_recipients_file_inside_the_repository_is_refused(smtp_server, send) -> None:
    recorder, port = smtp_server
    run = send(REPO / "tests" / "fixtures" / "newsletter" / "site.yml", **local_smtp(port))
    assert run.code == 1
    assert "points inside the repository" in run.err
    assert recorder.deliveries == []
