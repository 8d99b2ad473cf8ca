"""One HTTP GET with a total deadline and a size limit, for data from another system.

A socket timeout limits each wait for the network, not the whole request: a server
that sends one byte every few seconds keeps a plain urllib call waiting for as long as
it likes. Here a timer shuts the socket down when the deadline passes, whatever the
server is doing, and the body is read in pieces and refused as soon as it is larger
than the limit. Problems are Invalid with a Swedish message; the caller names the URL.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
from urllib.parse import urlsplit

from foreningssajt.siteconfig.errors import Invalid

from .clean_text import one_line

PIECE = 65536


def get(url: str, timeout: float, limit: int, headers: dict[str, str]) -> bytes:
    """The body of a 200 answer, read within `timeout` seconds in all and at most `limit` bytes."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("är ingen webbadress; skriv den hela, t.ex. https://api.zetk.in")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=timeout)
    expired = threading.Event()
    timer = threading.Timer(timeout, _cut, (connection, expired))
    timer.daemon = True
    timer.start()
    try:
        body = _exchange(connection, parts.path + (f"?{parts.query}" if parts.query else ""), limit, headers)
    except Invalid:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if expired.is_set():
            raise _too_slow(timeout) from None
        reason = one_line(str(getattr(exc, "reason", None) or exc or type(exc).__name__))[:120]
        raise Invalid("gick inte att nå ({reason}); kontrollera nätet och försök igen", reason=reason) from None
    finally:
        timer.cancel()
        connection.close()
    if expired.is_set():  # a socket shut down mid-answer looks like a short answer
        raise _too_slow(timeout)
    return body


def _exchange(connection: http.client.HTTPConnection, path: str, limit: int, headers: dict[str, str]) -> bytes:
    connection.request("GET", path or "/", headers=headers)
    response = connection.getresponse()
    if response.status != 200:
        reason = one_line(str(response.reason))[:80]
        raise Invalid(
            "svarade {status} {reason}; kontrollera zetkin: organisation i site.yml",
            status=response.status,
            reason=reason,
        )
    declared = response.getheader("Content-Length") or ""
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    pieces, size = [], 0
    while piece := response.read1(PIECE):
        size += len(piece)
        if size > limit:
            raise _too_large(limit)
        pieces.append(piece)
    return b"".join(pieces)


def _cut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    """At the deadline: wake up whatever read is waiting, by shutting the socket down."""
    expired.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: nothing is waiting on it
            sock.shutdown(socket.SHUT_RDWR)


def _too_slow(timeout: float) -> Invalid:
    return Invalid(
        "svarade inte färdigt inom {seconds} s; försök igen senare eller ge mer tid med --timeout",
        seconds=f"{timeout:g}",
    )


def _too_large(limit: int) -> Invalid:
    return Invalid("skickade mer än {limit} MB; det är inte ett svar vi känner igen", limit=limit // 1_000_000)
