"""Rebuild on every change and serve the result on 127.0.0.1, with live reload.

Watches content/, data/, site.yml, editor.yml and the package's own code (theme,
plugins, settings). Pelican's own --autoreload does not watch plugins or site.yml. Search indexing is skipped here to
keep rebuilds quick; `make html` and `make publish` always index.

Speed: the libraries and plugins are imported once, and each rebuild runs in a fork
of this process (so it starts warm, and nothing of one build stays behind for the
next); builds are incremental (cli/incremental.py), so saving a news post writes
that post's page. A change to the code (plugins, theme, settings, cli) restarts the
server with an empty cache, since the warm modules would be the old ones.

The browser reloads after each successful build and shows a failed build's message
over the last good page (cli/livereload.py); output/ itself is never changed by this.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import pickle
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from watchfiles import watch

from foreningssajt.cli.livereload import Hub, make_dev_server
from foreningssajt.cli.serve import HOST, PortBusy

SITE_FILES = ["content", "site.yml", "data", "editor.yml"]
PACKAGE = Path(__file__).resolve().parents[1]
CODE = [PACKAGE]  # theme, plugins, settings and this command alike
# Imported before the first fork, so that every build starts with them loaded.
WARM = (
    "pelican",
    "pelican.generators",
    "pelican.readers",
    "pelican.writers",
    "markdown",
    "jinja2",
    "yaml",
    "icalendar",
    "babel.dates",
    "foreningssajt.cli.incremental",
    "foreningssajt.leak_audit.audit",
    "foreningssajt.site_pages.sitemap",
)


def load_build() -> ModuleType:
    return importlib.import_module("foreningssajt.cli.build")


def warm_up(plugins: list[str]) -> None:
    for name in (*WARM, *plugins):
        try:
            importlib.import_module(name)
        except Exception:  # a module that fails here fails in the build, with its message
            continue


# What a build's child writes on its own line once output/ holds the new build: the
# browser can reload while the child still removes the old output and saves its state.
PUBLISHED = "\x00published"


def build_in_fork(
    build: ModuleType, root: Path, published: Callable[[list[str]], None], carried: Any = None
) -> tuple[int, list[str], Any]:
    """Run one build in a child process; (exit code, its lines on stderr, what the next build may reuse).

    `published(lines so far)` is called as soon as the child has swapped the new output in.
    `carried`: the last build's leak-audit patterns and automata, handed to the child by
    the fork itself; the child sends its own back through a pipe (memory only: they are
    made of protected text), so a save that changes no protected file does not remake them.
    """
    read, write = os.pipe()
    audit_read, audit_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: stderr into the pipe, then the build, then out
        os.close(read)
        os.close(audit_read)
        os.dup2(write, 2)
        _run_child(build, root, carried, audit_write)
    os.close(write)
    os.close(audit_write)
    received: list[bytes] = []
    receiver = threading.Thread(target=lambda: received.append(_read_all(audit_read)), daemon=True)
    receiver.start()
    lines = _lines_until_exit(read, published)
    _, status = os.waitpid(pid, 0)
    receiver.join()
    return os.waitstatus_to_exitcode(status), lines, _unpickled(received[0]) or carried


def _run_child(build: ModuleType, root: Path, carried: Any, audit_pipe: int) -> None:
    code, kept = 1, []

    def tell_published(session: Any) -> None:
        kept.append(session.audit)
        _tell_published()

    try:
        code = build.main(
            ["--root", str(root), "--no-search"], published=tell_published, carried_audit=carried, keep_audit=True
        )
        # Sent back only when new: pickling 25 MB of automata would delay the next build.
        if code == 0 and kept and kept[0] is not None and getattr(carried, "key", None) != kept[0].key:
            with os.fdopen(audit_pipe, "wb") as pipe:
                pickle.dump(kept[0].carried(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _lines_until_exit(read: int, published: Callable[[list[str]], None]) -> list[str]:
    lines: list[str] = []
    with os.fdopen(read, encoding="utf-8", errors="replace") as stream:
        for line in stream:
            if line.rstrip("\n") == PUBLISHED:
                published(list(lines))
            else:
                lines.append(line.rstrip("\n"))
    return lines


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


def _unpickled(data: bytes) -> Any:
    """Our own child's object, or None (a failed build sends nothing)."""
    try:
        return pickle.loads(data) if data else None
    except Exception:  # a child killed halfway: the next build makes its own
        return None


def _tell_published() -> None:
    sys.stdout.flush()
    sys.stderr.flush()  # the build's lines first, then the word, straight to the pipe
    os.write(2, f"{PUBLISHED}\n".encode())


def rebuild(build: ModuleType, root: Path, hub: Hub, carried: Any = None) -> Any:
    """One build; returns what the next one may reuse (see build_in_fork)."""
    shown = 0
    announced = False

    def published(lines: list[str]) -> None:
        nonlocal shown, announced
        _show(lines)
        shown, announced = len(lines), True
        hub.built()

    code, lines, carried = build_in_fork(build, root, published, carried)
    _show(lines[shown:])
    if code != 0:
        hub.failed(lines or [f"bygget: avslutades med kod {code}"])
    elif not announced:  # nothing had changed: output/ is as it was, the page may reload
        hub.built()
    return carried


def _show(lines: list[str]) -> None:
    if lines:
        print("\n".join(lines), file=sys.stderr, flush=True)


def touches_code(changes: set) -> bool:
    return any(Path(path).resolve().is_relative_to(code) for _, path in changes for code in CODE)


def restart(root: Path) -> None:
    """Start this server again with fresh modules; Pelican's cache would not know the code changed."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    print("Koden ändrades: servern startar om.", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "foreningssajt.cli.devserver", *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild on change and serve on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="site folder with site.yml and content/")
    parser.add_argument(
        "--no-code-watch", action="store_true", help="watch only the site, not the code (for measuring)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    hub = Hub()
    try:  # before the first build: a busy port should not cost a build's wait
        server = make_dev_server(root / "output", args.port, hub)
    except PortBusy as busy:
        print(str(busy).replace("make serve", "make devserver"), file=sys.stderr)
        return 1
    build = load_build()
    warm_up(plugin_names())
    carried = rebuild(build, root, hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Sajten visas på http://{HOST}:{args.port}/ och byggs om när du sparar (Ctrl+C avslutar)", flush=True)
    code_changed = False
    try:
        watched = [root / name for name in SITE_FILES] + ([] if args.no_code_watch else CODE)
        for changes in watch(*(path for path in watched if path.exists()), step=20):
            if touches_code(changes):
                code_changed = True
                break
            carried = rebuild(build, root, hub, carried)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    if code_changed:
        restart(root)
    return 0


def plugin_names() -> list[str]:
    from foreningssajt import plugin

    return [part.__name__ for part in plugin.PARTS]


if __name__ == "__main__":
    sys.exit(main())
