"""Ctrl-C while sending: finish the message on the wire, then stop in good order.

Python's default turns Ctrl-C into KeyboardInterrupt wherever the program happens to
be, which may be between the server's "accepted" and the journal's "sent": that member
would then count as uncertain. So while sending, the first SIGINT (or SIGTERM) only
asks to stop; the loop stops before the next member. A second one stops at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequest:
    """Set by a signal while sending; the send loop looks at it between members."""

    def __init__(self) -> None:
        self.signal: int | None = None

    def __bool__(self) -> bool:
        return self.signal is not None

    @property
    def exit_code(self) -> int:
        return 128 + (self.signal or signal.SIGINT)  # the shell's convention: 130 for Ctrl-C

    @contextmanager
    def catching(self) -> Iterator[StopRequest]:
        if threading.current_thread() is not threading.main_thread():
            yield self  # only the main thread may set handlers, and only it gets signals
            return
        previous = {number: signal.signal(number, self._handle) for number in SIGNALS}
        try:
            yield self
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        if self.signal is not None:  # asked twice: the person means now
            raise KeyboardInterrupt
        self.signal = number
