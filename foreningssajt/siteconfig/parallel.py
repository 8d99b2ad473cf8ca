"""One function over many items in forked worker processes, the results in the items' order.

A cold build's leak audit reads every file of output/, and its pre-read renders every
Markdown file (content_rules/preread.py): CPU work that splits cleanly by file. Forked
workers inherit what the parent built before forking (the automata of the patterns,
the protected files' hashes) without pickling it; only each item's result travels
back, pickled, through a pipe. The items are handed out in chunks from a queue (a
pipe of chunk numbers), so a worker that drew the big files does not hold up the
others; this process works through the queue too.

Where forking is not safe or not possible (no os.fork, other threads running, one
core) every item is handled here, in order. A worker that fails or dies fails the
whole call: the audit never passes what it did not read.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
CHUNK = 16  # items per draw from the queue: small enough to balance, large enough to be cheap
_NUMBER = 4  # bytes per chunk number in the queue; a pipe read this small is never split


class WorkerFailed(RuntimeError):
    """A worker process raised or died: its items were not handled."""


@dataclass
class Forked:
    """A forked child running one task (fork_call), and the read end of its results pipe."""

    pid: int
    results: int
    done: bool = False

    def result(self) -> Any:
        """Wait for the child; what its task returned. A failure or death raises WorkerFailed."""
        with os.fdopen(self.results, "rb", closefd=False) as stream:
            data = stream.read()
        _, status = os.waitpid(self.pid, 0)
        self.done = True
        if not data or os.waitstatus_to_exitcode(status) != 0:
            raise WorkerFailed(f"a worker process ended without its results (status {status})")
        kind, value = pickle.loads(data)
        if kind != "ok":
            raise WorkerFailed(value)
        return value

    def stop(self) -> None:
        """After an error or Ctrl-C here: the child does not outlive its caller."""
        if not self.done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.done = True
        with contextlib.suppress(OSError):
            os.close(self.results)


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Forking copies only the calling thread: with others running, a lock one holds stays held forever."""
    return hasattr(os, "fork") and hasattr(signal, "pthread_sigmask") and threading.active_count() == 1


def map_forked(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """[fn(item) for item in items], spread over `workers` processes (this one included)."""
    chunks = (len(items) + CHUNK - 1) // CHUNK
    workers = min(workers, chunks)
    if workers < 2 or not can_fork():
        return [fn(item) for item in items]
    queue_read, queue_write = os.pipe()
    try:
        # Every chunk number is in the queue before any worker draws: at most 16,384
        # chunks fit a pipe's 64 KiB without blocking, far more than any site has.
        os.write(queue_write, b"".join(n.to_bytes(_NUMBER, "big") for n in range(chunks)))
    finally:
        os.close(queue_write)
    children: list[Forked] = []
    try:
        children = [_start(fn, items, queue_read) for _ in range(workers - 1)]
        found = dict(_work(fn, items, queue_read))
        for child in children:
            found.update(child.result())
    finally:
        os.close(queue_read)
        for child in children:
            child.stop()
    if len(found) != len(items):  # a chunk no one handled: never pass it silently
        raise WorkerFailed(f"{len(items) - len(found)} items were not handled")
    return [found[index] for index in range(len(items))]


def _work(fn: Callable[[T], R], items: Sequence[T], queue: int) -> list[tuple[int, R]]:
    """Draw chunks from the queue until it is empty; the results by item index."""
    done: list[tuple[int, R]] = []
    while number := os.read(queue, _NUMBER):
        start = int.from_bytes(number, "big") * CHUNK
        done += [(index, fn(items[index])) for index in range(start, min(start + CHUNK, len(items)))]
    return done


def _start(fn: Callable[[T], R], items: Sequence[T], queue: int) -> Forked:
    return fork_call(lambda: _work(fn, items, queue))


def fork_call(task: Callable[[], Any]) -> Forked:
    """Run task() in a forked child; Forked.result() is what it returned, pickled back.

    The caller must have checked can_fork(). The child never returns into the caller's
    code: it exits when task() returns or raises, so no clean-up of the build runs twice.
    """
    results_read, results_write = os.pipe()
    # Ctrl-C waits until the child is inside its try: a KeyboardInterrupt raised in the child
    # before it would run the build's own clean-up (removing the staging folder) in the child.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(results_write)
        return Forked(pid, results_read)
    # The child: never returns into the build, whatever happens.
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it; the parent reports
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(results_read)
        try:
            payload: tuple[str, Any] = ("ok", task())
            data = pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # told to the parent, which fails
            data = pickle.dumps(("failed", f"{type(exc).__name__}: {exc}"))
        with os.fdopen(results_write, "wb") as stream:
            stream.write(data)
        status = 0
    finally:
        os._exit(status)
