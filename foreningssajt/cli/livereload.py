"""Live reload for the dev server: the browser reloads when a rebuild succeeds.

The dev server answers two extra addresses, /__dev/events (server-sent events) and
/__dev/livereload.js, and adds one <script> tag to each HTML page *as it serves it*;
the files in output/ are never changed, so nothing of this can be published.

Each successful build gets a new id. A page knows the id it was served under; when the
event stream reports another id, the page reloads. When a build fails, the stream
sends the build's Swedish message and the script shows it over the page, which is
still the last good build (a failed build leaves output/ as it was).
"""

from __future__ import annotations

import errno
import io
import json
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from foreningssajt.cli.serve import HOST, PortBusy, SiteHandler

EVENTS = "/__dev/events"
SCRIPT_URL = "/__dev/livereload.js"
KEEPALIVE_SECONDS = 15
HEADING = "Bygget misslyckades. Sidan visar det senaste lyckade bygget; rätta felet och spara igen."

SCRIPT = """(function () {
  var tag = document.currentScript, served = tag.getAttribute("data-build");
  var heading = tag.getAttribute("data-heading");
  var source = new EventSource("__EVENTS__");
  function box() {
    var shown = document.getElementById("dev-build-error");
    if (!shown) {
      shown = document.createElement("div");
      shown.id = "dev-build-error";
      shown.setAttribute("role", "alert");
      shown.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#fff;color:#1a1a1a;border-top:6px solid #b3261e;" +
        "padding:1rem 1.25rem;font:16px/1.5 system-ui,sans-serif;white-space:pre-wrap";
      document.body.appendChild(shown);
    }
    return shown;
  }
  source.addEventListener("built", function (event) {
    if (event.data !== served) { location.reload(); }
    var shown = document.getElementById("dev-build-error");
    if (shown) { shown.remove(); }
  });
  source.addEventListener("failed", function (event) {
    var lines = JSON.parse(event.data);
    box().textContent = heading + "\\n\\n" + lines.join("\\n");
  });
})();
""".replace("__EVENTS__", EVENTS)


class Hub:
    """The last build's outcome, and a way for event streams to wait for the next one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self.build_id = ""
        self.failure: list[str] = []

    def built(self) -> None:
        with self._changed:
            self.version += 1
            self.build_id = str(time.time_ns())
            self.failure = []
            self._changed.notify_all()

    def failed(self, lines: list[str]) -> None:
        with self._changed:
            self.version += 1
            self.failure = lines
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, str, list[str]]:
        """(version, build id, failure lines) once the version differs from `seen`, or at timeout."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout)
            return self.version, self.build_id, list(self.failure)


def event_text(build_id: str, failure: list[str]) -> bytes:
    if failure:
        return f"retry: 500\nevent: failed\ndata: {json.dumps(failure, ensure_ascii=False)}\n\n".encode()
    return f"retry: 500\nevent: built\ndata: {build_id}\n\n".encode()


def inject(page: bytes, build_id: str) -> bytes:
    """The page with the live-reload script tag before </body> (or at the end)."""
    tag = (f'<script src="{SCRIPT_URL}" data-build="{build_id}" data-heading="{HEADING}"></script>').encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


class DevHandler(SiteHandler):
    """The site as `make serve` shows it, plus the live-reload script and its event stream."""

    hub: Hub

    def send_head(self) -> Any:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == EVENTS:
            return self._stream()
        if path == SCRIPT_URL:
            return self._send_bytes(SCRIPT.encode(), "text/javascript; charset=utf-8")
        local = Path(self.translate_path(self.path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            page = inject(local.read_bytes(), self.hub.build_id)
            return self._send_bytes(page, "text/html; charset=utf-8")
        return super().send_head()

    def _send_bytes(self, body: bytes, kind: str) -> io.BytesIO:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while True:
                version, build_id, failure = self.hub.wait(seen, KEEPALIVE_SECONDS)
                self.wfile.write(event_text(build_id, failure) if version != seen else b": ping\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError, ValueError):
            return

    def log_message(self, format: str, *args: object) -> None:
        pass  # a request line per save would bury the build's messages


def make_dev_server(directory: Path, port: int, hub: Hub) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 whose handler knows `hub`; event streams do not block shutdown.

    Raises serve.PortBusy when the port is taken.
    """
    import functools

    handler = type("BoundDevHandler", (DevHandler,), {"hub": hub})
    try:
        server = ThreadingHTTPServer((HOST, port), functools.partial(handler, directory=str(directory)))
    except OSError as exc:  # as make serve: one Swedish line naming a free port
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortBusy(port) from None
        raise
    server.daemon_threads = True
    return server
