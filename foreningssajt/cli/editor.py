"""`make editor`: the web editor against this working copy, next to the live preview.

Starts two programs on 127.0.0.1 and stops both on Ctrl+C:
  - decap-server (pinned in cli/decap_server/package.json), the CMS's local backend, which
    reads and writes the Markdown files and images of the site folder;
  - cli/devserver.py, which rebuilds the site on every save and serves it, /admin/
    included.

decap-server runs with MODE=fs: a save writes files and nothing else. Its git mode
commits with `git add .`, which would sweep whatever else lies in the working copy into
the commit; volunteers look at the result first and publish when it is right
(docs/guide/publicera.md). Building the site needs no Node.js; only this command does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from foreningssajt.editor.backend import read_backend
from foreningssajt.siteconfig.errors import SiteError

EDITOR = Path(__file__).resolve().parent / "decap_server"
SERVER = EDITOR / "node_modules" / "decap-server" / "dist" / "index.js"
HOST = "127.0.0.1"


def installed() -> bool:
    """decap-server is there, and installed from the current package-lock.json."""
    stamp = EDITOR / "node_modules" / ".package-lock.json"
    return (
        SERVER.is_file() and stamp.is_file() and stamp.stat().st_mtime >= (EDITOR / "package-lock.json").stat().st_mtime
    )


def install() -> None:
    """npm ci: exactly the versions in package-lock.json, from the npm registry."""
    if shutil.which("npm") is None:
        sys.exit("Webbredaktören behöver Node.js 20 eller senare (med npm); installera det och kör make editor igen.")
    print("Installerar webbredaktörens lokala server (en gång) ...", flush=True)
    command = ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
    if subprocess.run(command, cwd=EDITOR, check=False).returncode != 0:
        sys.exit(f"Kunde inte installera decap-server med npm ci i {EDITOR}; se meddelandet ovan.")


def decap_server(root: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": HOST,
        "GIT_REPO_DIRECTORY": str(root),
        "MODE": "fs",
        "LOG_LEVEL": "warn",
    }
    # cwd is cli/decap_server: decap-server reads a .env file from its working folder, and a
    # site's .env (SMTP settings, say) must not change where it listens.
    return subprocess.Popen(["node", str(SERVER)], cwd=EDITOR, env=env)


def devserver(root: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "foreningssajt.cli.devserver", "--root", str(root), "--port", str(port)]
    return subprocess.Popen(command)


def stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # a terminal closed or a service manager stopping us: same clean stop as Ctrl+C


def run(root: Path, site_port: int) -> int:
    try:
        backend = read_backend(root)
    except SiteError as error:
        print(error, file=sys.stderr)
        return 1
    if not installed():
        install()
    signal.signal(signal.SIGTERM, stop)
    processes = [decap_server(root, backend.local_port), devserver(root, site_port)]
    print(f"Webbredaktören: http://{HOST}:{site_port}/admin/ – sajten: http://{HOST}:{site_port}/ (Ctrl+C avslutar)")
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        return 1  # one of them stopped by itself; its own message says why
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Webbredaktören och förhandsvisningen på 127.0.0.1.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="site folder with site.yml and content/")
    parser.add_argument("--port", type=int, default=8000, help="the preview's port (the editor's is in editor.yml)")
    args = parser.parse_args(argv)
    return run(args.root.resolve(), args.port)


if __name__ == "__main__":
    sys.exit(main())
