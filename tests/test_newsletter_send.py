"""Sending the newsletter (issues 6 and 12) to a real SMTP server: aiosmtpd on 127.0.0.1.

Each test runs `foreningssajt/cli/newsletter.py --send` with its own environment (in-process, or as
a subprocess when it is to be killed) and checks what the server received, what the
terminal was told, and that no member's address leaks into another member's message,
into the output or into the send journal. Counting deliveries per address after a
kill and a rerun is the proof of "exactly once".
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from foreningssajt.cli import newsletter
from foreningssajt.newsletter_mail import summary
from foreningssajt.newsletter_mail.journal import FOLDER as JOURNAL_FOLDER
from foreningssajt.newsletter_mail.journal import Journal
from foreningssajt.siteconfig.errors import message_catalogue

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "newsletter"
TITLE = "Medlemsbrev för mars – vår, möten och årsmöte i Åkerö"
MEMBERS = ["anna.lind@example.org", "bo@example.net", "cecilia+brev@example.com"]
SENDER = "Föreningen Åkerö <utskick@akero.example.org>"
NEWEST = "2026-03-medlemsbrev"  # the fixture's newest newsletter, which the command sends
CONTINUE = f"make newsletter-send N={NEWEST}"
SMTP_NAMES = ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "LIST_UNSUBSCRIBE")


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every delivery and can refuse chosen recipients.

    It can also hold the answer to the `hold_at`-th message (counting from 1) until the
    test says `release`, keeping the sender waiting mid-transaction so that the test can
    kill it at a known moment. `hold` says what becomes of the held message: "deliver"
    (accepted before the kill: the sender never hears the 250), "drop" (never
    accepted), or "answer" (accepted after the hold, and answered).
    """

    refuse: set[str] = field(default_factory=set)
    hang_up_at: str | None = None  # answer this recipient with 421: the server is going away
    vanish_at: str | None = None  # take this recipient's message, then drop the line unanswered
    deliveries: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    hold_at: int = 0
    hold: str = "answer"
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    seen: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address == self.hang_up_at:
            return "421 4.3.2 Service shutting down"
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.seen += 1
        if envelope.rcpt_tos == [self.vanish_at]:
            self._deliver(envelope)
            server.transport.close()
            return "250 Message accepted"  # never reaches the sender
        if self.seen != self.hold_at:
            self._deliver(envelope)
            return "250 Message accepted"
        if self.hold == "deliver":
            self._deliver(envelope)
        self.holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        if self.hold == "answer":
            self._deliver(envelope)
        return "250 Message accepted" if self.hold != "drop" else "451 4.3.0 Try again later"

    def _deliver(self, envelope) -> None:
        self.deliveries.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in self.deliveries]

    def per_address(self) -> Counter[str]:
        return Counter(rcpt for _, rcpts, _ in self.deliveries for rcpt in rcpts)


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


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # One copy per test: the send journal (site/newsletter-sent/) belongs to this test alone.
    return Path(shutil.copytree(FIXTURE, tmp_path / "site"))


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
    """send(recipients_path, *flags, **env) runs `newsletter.py --send` against the fixture site."""

    def run(recipients_path: Path | str | None, *flags: str, **env: str) -> Run:
        for name in (*SMTP_NAMES, "NEWSLETTER_RECIPIENTS"):
            monkeypatch.delenv(name, raising=False)
        if recipients_path is not None:
            monkeypatch.setenv("NEWSLETTER_RECIPIENTS", str(recipients_path))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        code = newsletter.main(["--send", *flags, "--root", str(site), "--out", str(tmp_path / "out")])
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
    assert "Skickat nu: 3. Redan skickat tidigare: 0. Osäkra: 0. Misslyckade: 0." in run.out
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


def test_a_refused_recipient_is_reported_and_retried_on_the_next_run(smtp_server, send, recipients) -> None:
    recorder, port = smtp_server
    recorder.refuse = {"bo@example.net"}
    run = send(recipients, **local_smtp(port))
    assert run.code == 1
    no_address_shown(run)
    assert [rcpts for _, rcpts, _ in recorder.deliveries] == [["anna.lind@example.org"], ["cecilia+brev@example.com"]]
    assert "Skickat nu: 2. Redan skickat tidigare: 0. Osäkra: 0. Misslyckade: 1." in run.err
    assert (
        "  INTE skickat: rad 3: b***@example.net (550 5.1.1 <b***@example.net>: Recipient address rejected)" in run.err
    )
    assert f"Kör {CONTINUE} igen för att skicka till dem som inte fick brevet" in run.err
    recorder.refuse = set()
    again = send(recipients, **local_smtp(port))
    assert again.code == 0, again.err
    assert "Skickat nu: 1. Redan skickat tidigare: 2. Osäkra: 0. Misslyckade: 0." in again.out
    assert recorder.per_address() == dict.fromkeys(MEMBERS, 1), "a refusal is not recorded as sent"


def test_a_server_that_hangs_up_midway_leaves_the_rest_for_the_next_run(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    recorder.hang_up_at = "bo@example.net"
    run = send(recipients, **local_smtp(port))
    assert run.code == 1
    assert [rcpts for _, rcpts, _ in recorder.deliveries] == [["anna.lind@example.org"]]
    assert "Skickat nu: 1. Redan skickat tidigare: 0. Osäkra: 0. Misslyckade: 1." in run.err
    assert "  INTE skickat: rad 3: b***@example.net (421 4.3.2 Service shutting down)" in run.err
    assert "Inte försökta ännu: 1." in run.err
    no_address_shown(run)
    recorder.hang_up_at = None
    assert send(recipients, **local_smtp(port)).code == 0
    assert recorder.per_address() == dict.fromkeys(MEMBERS, 1)


def test_a_line_dropped_after_the_message_went_leaves_that_member_uncertain(smtp_server, send, recipients) -> None:
    recorder, port = smtp_server
    recorder.vanish_at = "bo@example.net"
    run = send(recipients, **local_smtp(port))
    assert run.code == 1
    assert "Skickat nu: 1. Redan skickat tidigare: 0. Osäkra: 1. Misslyckade: 0." in run.err
    assert "Inte försökta ännu: 1." in run.err
    assert "1 mottagare är osäkra:" in run.err and f"{CONTINUE} RESEND_UNCERTAIN=1" in run.err
    recorder.vanish_at = None
    again = send(recipients, **local_smtp(port))
    assert "Skickat nu: 1. Redan skickat tidigare: 1. Osäkra: 1." in again.err
    assert recorder.per_address() == dict.fromkeys(MEMBERS, 1), "bo had it already: not sent again by itself"


def test_a_second_run_sends_to_nobody_again(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    assert send(recipients, **local_smtp(port)).code == 0
    run = send(recipients, **local_smtp(port))
    assert run.code == 0, run.err
    assert "Skickat nu: 0. Redan skickat tidigare: 3. Osäkra: 0. Misslyckade: 0." in run.out
    assert "Skickar till" not in run.out, "nothing to send: no connection, no question"
    assert recorder.per_address() == dict.fromkeys(MEMBERS, 1)


def test_a_member_added_to_the_list_later_gets_it_alone(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    assert send(recipients, **local_smtp(port)).code == 0
    with recipients.open("a", encoding="utf-8") as extra:
        extra.write("dora@example.org\n")
    run = send(recipients, **local_smtp(port))
    assert "Skickat nu: 1. Redan skickat tidigare: 3." in run.out
    assert recorder.per_address() == dict.fromkeys([*MEMBERS, "dora@example.org"], 1)


def journal_files(site: Path) -> list[Path]:
    return sorted((site / JOURNAL_FOLDER).glob("*.jsonl"))


def test_the_journal_names_nobody(smtp_server, send, recipients: Path, site: Path) -> None:
    recorder, port = smtp_server
    recorder.refuse = {"bo@example.net"}  # a failure is recorded too, and must not name them either
    send(recipients, **local_smtp(port))
    [journal] = journal_files(site)
    text = journal.read_text(encoding="ascii")
    for address in MEMBERS:
        assert address not in text and address.split("@")[0] not in text
    assert "@" not in text and "example" not in text
    header, *records = (json.loads(line) for line in text.splitlines())
    assert header["file"] == f"members/newsletters/{NEWEST}.md"
    assert [r["state"] for r in records] == ["sending", "sent", "sending", "failed", "sending", "sent"]
    assert len({r["member"] for r in records}) == 3
    assert journal.stat().st_mode & 0o077 == 0, "only the sender's account may read it"


def test_the_journal_folder_is_ignored_by_git() -> None:
    done = subprocess.run(
        ["git", "check-ignore", "-q", f"{JOURNAL_FOLDER}/x.jsonl"], cwd=REPO, capture_output=True, check=False
    )
    assert done.returncode == 0, f"{JOURNAL_FOLDER}/ must be in .gitignore"


def test_an_edited_newsletter_is_a_new_one(smtp_server, send, recipients: Path, site: Path) -> None:
    recorder, port = smtp_server
    assert send(recipients, **local_smtp(port)).code == 0
    letter = site / "content" / "members" / "newsletters" / f"{NEWEST}.md"
    letter.write_text(letter.read_text(encoding="utf-8") + "\nRättelse: mötet börjar 18.30.\n", encoding="utf-8")
    run = send(recipients, **local_smtp(port))
    assert run.code == 0, run.err
    assert len(journal_files(site)) == 2, "a new version starts a new journal"
    assert f"en tidigare version av content/members/newsletters/{NEWEST}.md har redan skickats till 3" in run.err
    assert "Skickat nu: 3. Redan skickat tidigare: 0." in run.out
    assert recorder.per_address() == dict.fromkeys(MEMBERS, 2)


def test_a_line_cut_short_by_a_kill_is_dropped(smtp_server, send, recipients: Path, site: Path) -> None:
    _, port = smtp_server
    assert send(recipients, **local_smtp(port)).code == 0
    [journal] = journal_files(site)
    with journal.open("ab") as torn:
        torn.write(b'{"member": "ab12')
    run = send(recipients, **local_smtp(port))
    assert run.code == 0, run.err
    assert "Redan skickat tidigare: 3." in run.out
    assert b"ab12" not in journal.read_bytes() and journal.read_bytes().endswith(b"\n")
    assert all(json.loads(line) for line in journal.read_text(encoding="ascii").splitlines())


def test_a_send_already_running_is_not_joined(smtp_server, send, recipients: Path, site: Path) -> None:
    recorder, port = smtp_server
    assert send(recipients, **local_smtp(free_port())).code == 1  # makes the journal, sends nothing
    [journal] = journal_files(site)
    header = json.loads(journal.read_text(encoding="ascii").splitlines()[0])
    with Journal.open(site / JOURNAL_FOLDER, header["newsletter"], header["file"]):
        run = send(recipients, **local_smtp(port))
    assert run.code == 1
    assert "ett annat utskick av samma brev pågår redan" in run.err
    assert recorder.deliveries == []


# ---- killed and resumed: a subprocess stopped mid-send, then the same command again -----

MANY = [f"medlem{number}@akero.example.org" for number in range(1, 7)]


@pytest.fixture
def many(tmp_path: Path) -> Path:
    path = tmp_path / "alla.txt"
    path.write_text("\n".join(MANY) + "\n", encoding="utf-8")
    return path


def start_sender(site: Path, out: Path, recipients: Path, port: int) -> subprocess.Popen:
    """`foreningssajt/cli/newsletter.py --send` as its own process, to be killed; stdin is no terminal."""
    env = {name: value for name, value in os.environ.items() if name not in SMTP_NAMES}
    env.update(local_smtp(port), NEWSLETTER_RECIPIENTS=str(recipients))
    command = [sys.executable, "-m", "foreningssajt.cli.newsletter", "--send", "--root", str(site), "--out", str(out)]
    return subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def stop_while_held(recorder: Recorder, sender: subprocess.Popen, number: signal.Signals) -> Run:
    """Wait until the server holds a message, signal the sender, then let the server answer."""
    assert recorder.holding.wait(120), sender.stderr.read() if sender.poll() is not None else "sender still waiting"
    sender.send_signal(number)
    if number == signal.SIGKILL:
        sender.wait(30)
    else:
        threading.Timer(0.3, recorder.release.set).start()  # the signal is in before the answer
    out, err = sender.communicate(timeout=60)
    recorder.release.set()
    return Run(sender.returncode, out, err)


@pytest.mark.parametrize("hold", ["deliver", "drop"])
def test_killed_with_sigkill_and_resumed_each_member_gets_it_once(smtp_server, send, site, many, tmp_path, hold):
    recorder, port = smtp_server
    accepted = 3
    # "deliver": the server takes the 3rd message, the sender dies before hearing so.
    # "drop": the sender dies while the 4th is on its way; the server never takes it.
    recorder.hold_at, recorder.hold = (accepted, "deliver") if hold == "deliver" else (accepted + 1, "drop")
    killed = stop_while_held(recorder, start_sender(site, tmp_path / "out", many, port), signal.SIGKILL)
    assert killed.code == -signal.SIGKILL
    assert len(recorder.deliveries) == accepted

    rerun = send(many, **local_smtp(port))
    assert rerun.code == 1, "one member is uncertain: the run is not complete"
    uncertain = (
        f"1 mottagare är osäkra: utskicket avbröts medan deras brev var på väg, så de kan redan ha fått det. "
        f"De får det inte igen automatiskt; skicka till dem med {CONTINUE} RESEND_UNCERTAIN=1"
    )
    assert uncertain in rerun.err
    held_one = MANY[recorder.hold_at - 1]
    got = recorder.per_address()
    assert {a: got[a] for a in MANY} == {a: int(a != held_one or hold == "deliver") for a in MANY}
    earlier = recorder.hold_at - 1
    assert f"Skickat nu: {len(MANY) - earlier - 1}. Redan skickat tidigare: {earlier}. Osäkra: 1." in rerun.err
    for run in (killed, rerun):
        assert not any(address in run.out + run.err for address in MANY)

    if hold == "drop":  # they did not get it: the person sending checks, then asks for it explicitly
        asked = send(many, "--resend-uncertain", **local_smtp(port))
        assert asked.code == 0, asked.err
        assert "Skickat nu: 1." in asked.out
    assert recorder.per_address() == dict.fromkeys(MANY, 1)


def test_ctrl_c_finishes_the_message_on_the_wire_and_says_how_to_go_on(smtp_server, send, site, many, tmp_path):
    recorder, port = smtp_server
    recorder.hold_at, recorder.hold = 3, "answer"
    stopped = stop_while_held(recorder, start_sender(site, tmp_path / "out", many, port), signal.SIGINT)
    assert stopped.code == 130, stopped.err
    assert "Traceback" not in stopped.err
    assert f"Avbrutet. Kör {CONTINUE} igen för att fortsätta; den som redan fått brevet får det inte igen." in (
        stopped.err
    )
    assert "Skickat nu: 3. Redan skickat tidigare: 0. Osäkra: 0. Misslyckade: 0." in stopped.err
    assert len(recorder.deliveries) == 3, "the held message was finished, the next never started"

    rerun = send(many, **local_smtp(port))
    assert rerun.code == 0, rerun.err
    assert "Skickat nu: 3. Redan skickat tidigare: 3. Osäkra: 0. Misslyckade: 0." in rerun.out
    assert recorder.per_address() == dict.fromkeys(MANY, 1)


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
    assert "går inte att ansluta eller logga in" in run.err and "Inget skickades" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert recorder.deliveries == []


# ---- bad input: one clear line, nothing sent ---------------------------------------------


def test_unreachable_server(send, recipients: Path) -> None:
    run = send(recipients, **local_smtp(free_port()))  # nobody listens there
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("SMTP 127.0.0.1:") and lines[0].endswith("Inget skickades")
    assert "Skickat" not in run.out + run.err
    no_address_shown(run)


def test_starttls_required_but_not_offered(smtp_server, send, recipients: Path) -> None:
    recorder, port = smtp_server
    run = send(recipients, **local_smtp(port, SMTP_STARTTLS="1"))
    assert run.code == 1
    assert "går inte att ansluta eller logga in" in run.err and "Inget skickades" in run.err
    assert recorder.deliveries == []


def test_malformed_address_stops_before_anything_is_sent(smtp_server, send, tmp_path: Path) -> None:
    recorder, port = smtp_server
    path = tmp_path / "lista.txt"
    path.write_text(f"{MEMBERS[0]}\nbo@@example.net\n{MEMBERS[2]}\n", encoding="utf-8")
    run = send(path, **local_smtp(port))
    assert run.code == 1
    assert run.err.strip() == (
        "lista.txt: rad 2: är ingen e-postadress; skriv en adress per rad, t.ex. namn@example.org. Inget skickades"
    )
    assert recorder.deliveries == []
    assert "bo@@example.net" not in run.err


def test_a_list_not_in_utf8_is_one_line(smtp_server, send, tmp_path: Path) -> None:
    recorder, port = smtp_server
    path = tmp_path / "lista.txt"
    path.write_bytes("åsa@example.org\n".encode("latin-1"))
    run = send(path, **local_smtp(port))
    assert run.code == 1
    assert run.err.strip() == "lista.txt: är inte sparad som UTF-8; spara listan som UTF-8. Inget skickades"
    assert recorder.deliveries == []


def test_every_summary_line_has_an_english_translation() -> None:
    english = message_catalogue("en")
    for message in (summary.COUNTS, summary.NOT_TRIED, summary.FAILED, summary.UNCERTAIN, summary.INTERRUPTED):
        translated = english.gettext(message)
        assert translated != message and set(re.findall(r"{\w+}", translated)) == set(re.findall(r"{\w+}", message))


@pytest.mark.parametrize("missing", ["SMTP_HOST", "SMTP_FROM"])
def test_missing_settings(smtp_server, send, recipients: Path, missing: str) -> None:
    recorder, port = smtp_server
    settings = local_smtp(port)
    del settings[missing]
    run = send(recipients, **settings)
    assert run.code == 1
    assert run.err.strip().startswith(f"{missing}: saknas;")
    assert recorder.deliveries == []


def test_missing_recipients_setting(smtp_server, send) -> None:
    recorder, port = smtp_server
    run = send(None, **local_smtp(port))
    assert run.code == 1
    assert run.err.strip().startswith("NEWSLETTER_RECIPIENTS: saknas;")
    assert recorder.deliveries == []


def test_recipients_file_inside_the_repository_is_refused(smtp_server, send) -> None:
    recorder, port = smtp_server
    run = send(REPO / "tests" / "fixtures" / "newsletter" / "site.yml", **local_smtp(port))
    assert run.code == 1
    assert "pekar in i projektmappen" in run.err
    assert recorder.deliveries == []
