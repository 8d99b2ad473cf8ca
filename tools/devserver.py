"""Rebuild on every change and serve the result on 127.0.0.1.

Watches content/, theme/, plugins/, site.yml and the settings files. Pelican's own
--autoreload does not watch plugins/ or site.yml. Search indexing is skipped here to
keep rebuilds quick; `make html` and `make publish` always index.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from watchfiles import watch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import HOST, PortBusy, serve_on

REPO = Path(__file__).resolve().parents[1]
SITE_FILES = ["content", "site.yml"]
CODE = [REPO / "theme", REPO / "plugins", REPO / "pelicanconf.py", REPO / "publishconf.py"]


def build(root: Path, clear_cache: bool) -> None:
    if clear_cache:
        # Pelican's content cache does not know our plugin code changed.
        shutil.rmtree(root / ".cache", ignore_errors=True)
    subprocess.run([sys.executable, str(REPO / "tools" / "build.py"), "--root", str(root), "--no-search"], check=False)


def touches_code(changes: set) -> bool:
    return any(Path(path).resolve().is_relative_to(code) for _, path in changes for code in CODE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild on change and serve on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", type=Path, default=REPO, help="site folder with site.yml and content/")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:  # before the first build: a busy port should not cost a build's wait
        server = serve_on(root / "output", args.port)
    except PortBusy as busy:
        print(str(busy).replace("make serve", "make devserver"), file=sys.stderr)
        return 1
    build(root, clear_cache=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Sajten visas på http://{HOST}:{args.port}/ och byggs om när du sparar (Ctrl+C avslutar)")
    try:
        watched = [root / name for name in SITE_FILES] + CODE
        for changes in watch(*(path for path in watched if path.exists())):
            build(root, clear_cache=touches_code(changes))
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
