"""The leak audit beside a full build: a process that reads output files while they are written.

A cold build writes thousands of files, and an audit that starts reading only after
the last one is written sits on the build's critical path. This process is forked
before Pelican starts (siteconfig/parallel.py's fork_call). It makes the patterns and
automata itself, from the protected inventory read the same way the build reads it
(members/inventory.py's build_inventory), then reads every file of the staging folder
that has settled and notes the clean ones by the SHA-256 of the bytes it read.

When the build has written everything, finish() asks for the audit proper:
scan_output() over the whole folder, which takes a file noted clean only if its bytes
still hash the same, and reads everything else (written late, rewritten, or not
reached yet) then. Reading early saves time; it never decides anything by itself.
The later folder (Pagefind's) is read the same way while Pagefind writes it, so that
once Pagefind is done little is left to read.

Its patterns need each protected file's body as HTML. A cold build has just read every
Markdown file on every core (content_rules/preread.py), so the build hands that HTML
over through the pipe (hand_over(), memory only) instead of the process converting
the protected files a second time.

The process only reads. What it sends back through a pipe (memory only) is what the
build's audit step needs: the scan's counts and findings and, only when there are
findings, the patterns that name them.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import select
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foreningssajt.members.inventory import Inventory, build_inventory
from foreningssajt.siteconfig.parallel import Forked, can_fork, cores, fork_call
from foreningssajt.siteconfig.session import session_of

from .cache import AuditCache
from .patterns import Pattern, patterns_for
from .scan import CodeFiles, FileReader, ScanStats, automata_for, scan_output

# A file changed in the last few milliseconds may be half written: read on a later round.
SETTLED_NS = 30_000_000
ROUND_PAUSE = 0.05  # seconds between two listings of the folder while the build writes
FINISH, FINISH_THEN_LATER, LATER_READY, HTML = b"F", b"L", b"R", b"H"
SIZE_BYTES = 8  # the length of the HTML message, before it
NICENESS = 10


@dataclass
class AlongsideResult:
    """The audit's verdict as the child sends it back."""

    stats: ScanStats
    pattern_count: int
    read_early: int  # files found clean while the build wrote them (kept only if unchanged at the end)
    patterns: list[Pattern] | None  # only with findings: leak_lines() names them by index
    cpu_seconds: float  # the process's and its workers': what the audit costs wherever it ran


class AuditProcess:
    """The child reading beside the build, and the pipe that tells it the build has written everything."""

    def __init__(self, child: Forked, control: int) -> None:
        self._child, self._control = child, control

    @classmethod
    def start(cls, settings: Mapping[str, Any], code: list[Path], later: str) -> AuditProcess | None:
        """Fork the reader (None where forking is not safe: the build audits in its own process).

        `code`: the folders of the project's own files (scan.CodeFiles). `later`: the
        folder (``pagefind/``) read only once finish() says it is complete.
        """
        if not can_fork():
            return None
        control_read, control_write = os.pipe()
        try:
            child = fork_call(lambda: _audit(settings, code, later, control_read, control_write))
        finally:
            os.close(control_read)
        return cls(child, control_write)

    def finish(self, wait_for_later: Callable[[], None] | None) -> AlongsideResult:
        """Have the whole folder audited; `wait_for_later`: returns once the later folder is complete.

        A child that fails or dies raises WorkerFailed: the audit never passes what it did not read.
        """
        try:
            self._tell(FINISH if wait_for_later is None else FINISH_THEN_LATER)
            if wait_for_later is not None:
                wait_for_later()
                self._tell(LATER_READY)
            return self._child.result()
        finally:
            self.stop()

    def hand_over(self, html: Mapping[str, str]) -> None:
        """The HTML of the Markdown files the build has read ({absolute path: HTML}, maybe
        none): the process takes its protected files' bodies from it. Sent once, before
        Pelican starts; the process waits for it before it makes its patterns."""
        data = pickle.dumps(dict(html), protocol=pickle.HIGHEST_PROTOCOL)
        self._tell(HTML + len(data).to_bytes(SIZE_BYTES, "big") + data)

    def _tell(self, message: bytes) -> None:
        with contextlib.suppress(BrokenPipeError):  # the child is gone: result() says so (WorkerFailed)
            view = memoryview(message)
            while view:  # a pipe takes a long message in parts
                view = view[os.write(self._control, view) :]

    def stop(self) -> None:
        """End the child (a failed or interrupted build); never raises."""
        if self._control >= 0:
            os.close(self._control)
            self._control = -1
        self._child.stop()


def _audit(settings: Mapping[str, Any], code: list[Path], later: str, control: int, ours: int) -> AlongsideResult:
    """The child's whole life: prepare, read while the build writes, then audit the lot."""
    os.close(ours)  # else this child holds its own pipe open and never sees the build end
    # The build's own work is what makes it finish sooner: this process takes the cores'
    # idle moments while the build runs (its final reading runs while the build only waits).
    os.nice(NICENESS)
    output = Path(settings["OUTPUT_PATH"])
    inventory = build_inventory(Path(settings["PATH"]), session_of(settings).root)
    _take_html(inventory, control)
    patterns = patterns_for(inventory)
    automata = automata_for(patterns)
    codes = CodeFiles(code)
    reader = FileReader({}, *automata, inventory.files, codes)
    early = _EarlyReading(output, reader)
    message = early.read_until_told(control)
    if message not in (FINISH, FINISH_THEN_LATER):
        raise RuntimeError("the build ended without asking for the audit")
    wait = (later, lambda: early.later_verdicts(later, control)) if message == FINISH_THEN_LATER else None
    cache = AuditCache.for_build(settings, output)
    files = inventory.files
    stats = scan_output(output, patterns, files, cache, codes, cores(), automata, later=wait, known=early.clean)
    cache.save()
    found = patterns if stats.findings else None
    return AlongsideResult(stats, len(patterns), len(early.clean), found, _cpu_seconds())


def _take_html(inventory: Inventory, control: int) -> None:
    """Wait for hand_over()'s message; each protected file the build has read gets its HTML."""
    if _message(control, None) != HTML:
        raise RuntimeError("the build sent no HTML message first")
    size = int.from_bytes(_read_exactly(control, SIZE_BYTES), "big")
    html: dict[str, str] = pickle.loads(_read_exactly(control, size))
    for item in inventory:
        # The path as content_rules/preread.py names it; a file it did not read is converted here.
        item.html = html.get(os.path.abspath(item.path), item.html)


def _read_exactly(control: int, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = os.read(control, min(left, 1 << 20))
        if not part:
            raise SystemExit("the build is gone")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _cpu_seconds() -> float:
    mine, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


class _EarlyReading:
    """Settled files read round after round, each at most once; the clean ones by name.

    A file rewritten after it was read hashes differently at the end: the final scan reads it again.
    """

    def __init__(self, output: Path, reader: FileReader) -> None:
        self.output, self.reader = output, reader
        self.listing = _Listing(str(output))
        self.pending: list[str] = []  # listed but not settled yet when last looked at
        self.clean: dict[str, str] = {}

    def read_until_told(self, control: int, only: str = "") -> bytes:
        """Read (only the files under `only`, if given) until the build sends a message; that message."""
        while True:
            self.pending += [name for name in self.listing.new_files() if name.startswith(only)]
            waiting = []
            for name in self.pending:
                if not _read_one(os.path.join(self.output, name), name, self.reader, self.clean):
                    waiting.append(name)
                elif message := _message(control, 0):
                    return message
            self.pending = waiting
            if message := _message(control, ROUND_PAUSE):
                return message

    def later_verdicts(self, folder: str, control: int) -> dict[str, str]:
        """scan_output's wait for the later folder: read its files while they are written
        (Pagefind writes for half a second, and the cores are not both busy), until the
        build says it is complete; the clean verdicts so far."""
        # Files elsewhere are the final scan's already: only the later folder's are read here.
        self.pending = [name for name in self.pending if name.startswith(folder)]
        if self.read_until_told(control, only=folder) != LATER_READY:
            raise RuntimeError("unexpected message from the build while the later folder was written")
        return self.clean


class _Listing:
    """The staging folder as the early reading last listed it.

    A folder is listed again only when its mtime has changed (an entry added, removed or
    renamed), so a round over a thousand page folders costs a stat each, not a listing.
    A name missed because two changes fell in one clock tick is read by the final scan.
    """

    def __init__(self, root: str) -> None:
        self._root = root
        self._folders: dict[str, tuple[int, list[str], frozenset[str]]] = {}  # mtime, subfolders, files

    def new_files(self) -> list[str]:
        """The files (relative POSIX names) not listed before."""
        found: list[str] = []
        stack = [""]
        while stack:
            folder = stack.pop()
            known = self._relisted(folder, found)
            if known is not None:
                stack += [f"{folder}/{sub}" if folder else sub for sub in known[1]]
        return found

    def _relisted(self, folder: str, found: list[str]) -> tuple[int, list[str], frozenset[str]] | None:
        path = os.path.join(self._root, folder)
        try:
            mtime = os.stat(path).st_mtime_ns
            known = self._folders.get(folder)
            if known is not None and known[0] == mtime:
                return known
            with os.scandir(path) as entries:
                listed = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
        except OSError:  # not made yet, or removed meanwhile
            return None
        files = frozenset(name for name, is_folder in listed if not is_folder)
        before = known[2] if known is not None else frozenset()
        prefix = f"{folder}/" if folder else ""
        found += [prefix + name for name in sorted(files - before)]
        self._folders[folder] = (mtime, [name for name, is_folder in listed if is_folder], files)
        return self._folders[folder]


def _read_one(path: str, name: str, reader: FileReader, clean: dict[str, str]) -> bool:
    """Read one file if it has settled; False when it has not (try again next round)."""
    try:
        status = os.stat(path)
    except OSError:  # replaced or removed meanwhile: the final scan sees what is there
        return True
    if time.time_ns() - status.st_mtime_ns < SETTLED_NS:
        return False
    reader.places[name] = path
    try:
        checked = reader.check(name)
    except Exception:  # only an early look: the final scan reads it again and reports
        return True
    if not checked.finding:
        clean[name] = checked.digest
    return True


def _message(control: int, timeout: float | None) -> bytes:
    """The build's next message, b"" for none yet; the end of the pipe (the build is gone) ends the child."""
    ready, _, _ = select.select([control], [], [], timeout)
    if not ready:
        return b""
    message = os.read(control, 1)
    if not message:
        raise SystemExit("the build is gone")
    return message
