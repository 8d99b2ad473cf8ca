"""Screenshots of every page type at phone and computer size, for reviewing the theme.

Usage: python -m foreningssajt.cli.screenshots [--site output] [--to docs/skarmbilder]

Serves the built site on 127.0.0.1, opens one page per template (found by the
data-template mark every page carries) in Debian's Chromium at 390x844 and 1280x800,
and saves the first screen of each as JPEG. Needs the dev tools (playwright).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SIZES = {"mobil": (390, 844), "dator": (1280, 800)}
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
_TEMPLATE = re.compile(r'<body data-template="([\w/-]+)"')


def pages_by_template(site: Path) -> dict[str, str]:
    """The shortest address of each template's pages: /kalender/ before /kalender/pub/."""
    found: dict[str, str] = {}
    for path in sorted(site.rglob("*.html"), key=lambda p: (len(p.parts), str(p))):
        match = _TEMPLATE.search(path.read_text(encoding="utf-8", errors="replace"))
        if match and match.group(1) not in found:
            found[match.group(1)] = "/" + path.relative_to(site).as_posix().removesuffix("index.html")
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the result


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def take(site: Path, target: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    target.mkdir(parents=True, exist_ok=True)
    written = []
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size_name, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for template, url in pages_by_template(site).items():
                page.goto(base + url)
                page.wait_for_load_state("networkidle")
                path = target / f"{template}-{size_name}.jpg"
                page.screenshot(path=str(path), type="jpeg", quality=60)
                written.append(path)
            context.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("output"))
    parser.add_argument("--to", type=Path, default=Path("docs/skarmbilder"))
    args = parser.parse_args()
    written = take(args.site, args.to)
    print(f"{len(written)} skärmbilder i {args.to}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
