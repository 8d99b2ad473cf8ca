"""Serve output/ on this computer only (127.0.0.1), for looking at a build.

Usage: python -m foreningssajt.cli.serve [--port 8000] [--dir output]
"""

from __future__ import annotations

import argparse
import errno
import functools
import socket
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

HOST = "127.0.0.1"  # never 0.0.0.0: a draft site is nobody else's business


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files, plus the site's own 404 page like a real web host."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".atom": "application/atom+xml",
        ".ics": "text/calendar",
    }

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


def make_server(directory: Path, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(directory))
    return ThreadingHTTPServer((HOST, port), handler)


class PortBusy(Exception):
    """The port is taken (another server, or an earlier `make serve` still running)."""

    def __init__(self, port: int) -> None:
        self.port = port
        free = free_port()
        super().__init__(
            f"Port {port} används redan av ett annat program; starta med en ledig port, "
            f"t.ex. make serve PORT={free} (eller avsluta det som använder {port})."
        )


def free_port() -> int:
    """A port nothing listens on right now, chosen by the operating system."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def serve_on(directory: Path, port: int) -> ThreadingHTTPServer:
    """make_server(), or PortBusy with a Swedish line naming a free port."""
    try:
        return make_server(directory, port)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortBusy(port) from None
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Visa den byggda sajten på 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dir", type=Path, default=Path.cwd() / "output")
    args = parser.parse_args(argv)
    if not (args.dir / "index.html").exists():
        print(f"{args.dir}: inget är byggt än; kör 'make html' först.", file=sys.stderr)
        return 1
    try:
        server = serve_on(args.dir, args.port)
    except PortBusy as busy:
        print(busy, file=sys.stderr)
        return 1
    print(f"Sajten visas på http://{HOST}:{args.port}/ (Ctrl+C avslutar)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
