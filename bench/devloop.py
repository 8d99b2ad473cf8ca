"""Edit-to-browser time: save a file while `make devserver` runs, until the browser has the new page.

Starts the dev server (this run's copy of the package) on the benchmark site, listens to its live-reload event
stream as the browser's script does, and for each edit measures from the moment the
file is written until the stream has said "built" and the changed page has been
fetched with the edit in it (what the browser's reload does).
"""

from __future__ import annotations

import http.client
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


@dataclass
class EditTimes:
    seconds: list[float]
    failed: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("inf")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _events(port: int, into: queue.Queue, stop: threading.Event) -> None:
    """Each server-sent event as (arrival time, event name), until `stop`."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    connection.request("GET", "/__dev/events")
    response = connection.getresponse()
    name = ""
    while not stop.is_set():
        line = response.readline()
        if not line:
            return
        text = line.decode("utf-8").rstrip("\n")
        if text.startswith("event: "):
            name = text.removeprefix("event: ")
        elif text == "" and name:
            into.put((time.perf_counter(), name))
            name = ""


def _wait_until_serving(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the dev server stopped before serving")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the dev server did not start serving in time")


def _fetch(port: int, path: str) -> str:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse().read().decode("utf-8", errors="replace")


def measure(site: Path, code: Path, edits: int, log: Path, env: dict[str, str]) -> EditTimes:
    """Times of `edits` single-file edits of news posts' bodies, with the dev server in `code`."""
    port = free_port()
    command = [sys.executable, "-m", "foreningssajt.cli.devserver", "--root", str(site), "--port", str(port)]
    command.append("--no-code-watch")  # other people's code edits would restart it mid-measurement
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=log.parent)
    arrived: queue.Queue = queue.Queue()
    stop = threading.Event()
    try:
        _wait_until_serving(port, process, timeout=900)
        threading.Thread(target=_events, args=(port, arrived, stop), daemon=True).start()
        arrived.get(timeout=60)  # the state on connecting: the first build
        return _edit_posts(site, port, edits, arrived)
    finally:
        stop.set()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _edit_posts(site: Path, port: int, edits: int, arrived: queue.Queue) -> EditTimes:
    posts = sorted((site / "content" / "posts").glob("*.md"))
    times, failed = [], 0
    for i in range(edits):
        post = posts[(i * 7) % len(posts)]
        sentence = f"Mätningens ändring nummer {i} {os.getpid()}."
        time.sleep(0.3)  # let the watcher settle, as between two saves
        while not arrived.empty():  # a late event of the previous edit
            arrived.get_nowait()
        started = time.perf_counter()
        with post.open("a", encoding="utf-8") as text:
            text.write(f"\n{sentence}\n")
        _, name = arrived.get(timeout=300)
        page = next((site / "output" / "nyheter").glob(f"*/{post.stem}/index.html"), None)
        if name != "built" or page is None:
            failed += 1
            continue
        url = "/" + page.relative_to(site / "output").parent.as_posix() + "/"
        if sentence in _fetch(port, url):
            times.append(time.perf_counter() - started)
        else:
            failed += 1
    return EditTimes(times, failed)
