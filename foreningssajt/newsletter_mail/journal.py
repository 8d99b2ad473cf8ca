"""The send journal: who already has this newsletter, so that each member gets it once.

A send can stop anywhere: Ctrl-C, kill -9, a lost connection, a power cut. One
append-only file per newsletter version, in newsletter-sent/ beside content/ (outside
output/ and outside git), says what happened. Before each SMTP transaction it records
"sending", after the server accepted the message "sent", each written to disk (fsync)
before the next step. So "sent" is always true, and a member whose last record is
"sending" is the one case nobody can know: the process died between handing the
message over and writing down the server's answer. Those are not sent again on their
own (a member who gets it twice is worse than one who is asked); `--resend-uncertain`
sends to them.

No address is stored: each member is an HMAC-SHA256 of the address under a random key
kept in the journal's first line. The file lists nobody; whoever holds it and guesses
an address can test that one guess, nothing more.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from foreningssajt.siteconfig.errors import SiteError

FOLDER = "newsletter-sent"
FORMAT = 1
SENDING, SENT, FAILED = "sending", "sent", "failed"


def newsletter_id(relpath: str, source: bytes) -> str:
    """The newsletter's file name and a digest of its text: an edited newsletter is a new one."""
    digest = hashlib.sha256(relpath.encode("utf-8") + b"\0" + source).hexdigest()[:16]
    return f"{Path(relpath).stem}-{digest}"


class Journal:
    """One newsletter version's record of sending; open it with Journal.open()."""

    def __init__(self, path: Path, fd: int, key: bytes, states: dict[str, str]) -> None:
        self.path = path
        self._fd = fd
        self._key = key
        self._states = states

    @classmethod
    def open(cls, folder: Path, newsletter: str, relpath: str) -> Journal:
        """The journal for `newsletter` (made if new), locked against a second send at once."""
        path = folder / f"{newsletter}.jsonl"
        if not path.exists():
            _create(path, {"journal": FORMAT, "newsletter": newsletter, "file": relpath, "key": secrets.token_hex(32)})
        fd = os.open(path, os.O_RDWR | os.O_APPEND)
        try:
            _lock(fd, path)
            header, records = _read(fd, path)
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, bytes.fromhex(header["key"]), _states(records))

    def hash(self, address: str) -> str:
        return hmac.new(self._key, address.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()

    def state(self, address: str) -> str | None:
        """SENT, SENDING (uncertain), FAILED, or None for someone never tried."""
        return self._states.get(self.hash(address))

    def sending(self, address: str) -> None:
        self._append(address, SENDING)

    def sent(self, address: str) -> None:
        self._append(address, SENT)

    def failed(self, address: str) -> None:
        self._append(address, FAILED)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # also releases the lock
            self._fd = -1

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _append(self, address: str, state: str) -> None:
        digest = self.hash(address)
        record = {"member": digest, "state": state, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        os.write(self._fd, (json.dumps(record) + "\n").encode("ascii"))
        os.fsync(self._fd)  # on disk before the SMTP step it announces (or follows) is taken
        self._states[digest] = _folded(self._states.get(digest), state)


def earlier_versions_sent(folder: Path, relpath: str, current: str) -> int:
    """How many got an earlier version of this newsletter file (0 if none): worth a warning."""
    counts = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        if path.stem == current:
            continue
        lines = path.read_text(encoding="ascii", errors="replace").splitlines()
        header = _json(lines[0]) if lines else None
        if header and header.get("file") == relpath:
            records = filter(None, map(_json, lines[1:]))
            counts.append(sum(state == SENT for state in _states(records).values()))
    return max(counts, default=0)


def _create(path: Path, header: dict) -> None:
    """Write the header to a temporary file and link it into place: never half a header."""
    created = _make_folders(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (json.dumps(header) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)  # fails if another run made it first: then that one counts
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    for folder in (path.parent, *created):
        _fsync_folder(folder)


def _make_folders(folder: Path) -> list[Path]:
    """Make `folder` and its missing parents; return the parents whose entries changed."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return [p.parent for p in missing]


def _fsync_folder(folder: Path) -> None:
    # A new file is only durable once the directory entry that names it is on disk too.
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock(fd: int, path: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SiteError(
            f"{FOLDER}/{path.name}",
            "",
            "ett annat utskick av samma brev pågår redan; vänta tills det är klart. Inget skickades",
        ) from None


def _read(fd: int, path: Path) -> tuple[dict, list[dict]]:
    """The header and the records; a last line cut short by kill -9 is dropped from the file."""
    data = _read_all(fd)
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        os.ftruncate(fd, len(complete))  # its step never happened, or is uncertain already
        os.fsync(fd)
    lines = complete.decode("ascii", errors="replace").splitlines()
    parsed = [_json(line) for line in lines]
    broken = next((number for number, item in enumerate(parsed, 1) if item is None), None)
    if broken or not parsed or "key" not in parsed[0]:
        raise SiteError(
            f"{FOLDER}/{path.name}",
            "",
            "utskicksjournalen är skadad på rad {row}; inget skickades. Be den som sköter webbplatsen om hjälp",
            row=broken or 1,
        )
    return parsed[0], parsed[1:]


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _json(line: str) -> dict | None:
    try:
        item = json.loads(line)
    except ValueError:
        return None
    return item if isinstance(item, dict) else None


def _states(records: Iterable[dict]) -> dict[str, str]:
    states: dict[str, str] = {}
    for record in records:
        member, state = record.get("member"), record.get("state")
        if isinstance(member, str) and state in (SENDING, SENT, FAILED):
            states[member] = _folded(states.get(member), state)
    return states


def _folded(before: str | None, state: str) -> str:
    # Once the server has accepted a member's copy, nothing later makes it unsent.
    return SENT if before == SENT else state
