"""Running the real build (foreningssajt/cli/build.py) from tests, in the test process.

build_site() calls foreningssajt/cli/build.py's main() with the arguments a user's `make html`
passes, and returns what a process would have: the exit code and the printed lines.
It runs in-process: Python, Pelican and the plugins are imported once per test session
instead of once per build. What a build changes in the process is put back afterwards
(isolated_build), so one build cannot leak into the next or into a test.

Only tests of the command line itself spawn `python -m foreningssajt.cli.build` (build_command()):
the real exit code, the real signals (Ctrl-C, kill -9) and the printed lines as a
terminal gets them.
"""

from __future__ import annotations

import contextlib
import io
import locale
import logging
import os
import shutil
import signal
import subprocess
import sys
import traceback
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class BuildResult:
    """What a `python -m foreningssajt.cli.build` process would have left: like subprocess.CompletedProcess."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def build_arguments(
    root: Path = REPO,
    output: Path | None = None,
    *,
    publish: bool = False,
    search: bool = True,
    now: str | None = None,
    full: bool = False,
    stats: Path | None = None,
) -> list[str]:
    """foreningssajt/cli/build.py's command-line arguments for these options."""
    arguments = ["--root", str(root)]
    if output is not None:
        arguments += ["--output", str(output)]
    if publish:
        arguments.append("--publish")
    if not search:
        arguments.append("--no-search")
    if now:
        arguments += ["--now", now]
    if full:
        arguments.append("--full")
    if stats is not None:
        arguments += ["--stats", str(stats)]
    return arguments


def build_site(
    root: Path = REPO,
    output: Path | None = None,
    *,
    publish: bool = False,
    search: bool = True,
    now: str | None = None,
    env: Mapping[str, str | None] | None = None,
    full: bool = False,
    stats: Path | None = None,
) -> BuildResult:
    """Build the site at `root` into `output` in this process; env None values are unset.

    `env` holds the variables a user would have exported (MEMBERS_PASSWORD, ...); they
    are set for this build only. Must run in the main thread (the build's Ctrl-C handler).
    """
    arguments = build_arguments(root, output, publish=publish, search=search, now=now, full=full, stats=stats)
    return run_build(arguments, env)


def run_build(arguments: list[str], env: Mapping[str, str | None] | None = None) -> BuildResult:
    """`python -m foreningssajt.cli.build ARGUMENTS`, run in this process (see build_site)."""
    from foreningssajt.cli import build  # imported once per session; that is the point

    stdout, stderr = io.StringIO(), io.StringIO()
    with isolated_build(env or {}), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        returncode = _exit_code(build.main, arguments)
    return BuildResult(
        [sys.executable, "-m", "foreningssajt.cli.build", *arguments], returncode, stdout.getvalue(), stderr.getvalue()
    )


def _exit_code(main, arguments: list[str]) -> int:
    """main()'s return value, or the exit code a process would have ended with."""
    try:
        return main(arguments)
    except SystemExit as stop:  # argparse's errors, the staging folder's signal handler
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except Exception:  # as the interpreter would: the traceback on stderr, exit code 1
        traceback.print_exc()
        return 1


@contextlib.contextmanager
def isolated_build(env: Mapping[str, str | None]) -> Iterator[None]:
    """Whatever a build changes in the process, as it was before the build.

    A build (foreningssajt/cli/build.py, Pelican, the plugins) changes: the root logger (PelicanLog
    replaces its handlers), Pelican's log filter's memory of messages and its memoized
    page contents, the locale (Pelican's LOCALE setting), sys.path and sys.modules
    (publishconf.py imports pelicanconf, whose dictionaries a later build would share),
    the signal receivers of Pelican's plugins (register() on every Pelican()), the
    Ctrl-C and SIGTERM handlers (foreningssajt/cli/staging.py), and it reads os.environ. Other
    loaded modules stay: importing once is the gain, and the plugins keep no state
    between builds (issue 16).
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(_environment(env))
        stack.enter_context(_restored_process_state())
        stack.enter_context(_restored_root_logger())
        stack.enter_context(_restored_signal_receivers())
        stack.callback(_forget_pelican_memos)
        _forget_pelican_log_filter()
        yield


@contextlib.contextmanager
def _environment(env: Mapping[str, str | None]) -> Iterator[None]:
    before = {key: os.environ.get(key) for key in env}
    try:
        for key, value in env.items():
            _set_variable(key, value)
        yield
    finally:
        for key, value in before.items():
            _set_variable(key, value)


def _set_variable(key: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(key, None)
    else:
        os.environ[key] = value


# Pelican executes the settings file as a module of this name; publishconf.py imports
# pelicanconf. Forgotten after each build, so the next one reads them afresh.
# The build as a command, for the tests that spawn it on purpose.
BUILD_COMMAND = (sys.executable, "-m", "foreningssajt.cli.build")

SETTINGS_MODULES = ("pelicanconf", "publishconf", "foreningssajt.pelicanconf", "foreningssajt.publishconf")


@contextlib.contextmanager
def _restored_process_state() -> Iterator[None]:
    cwd, path, where = os.getcwd(), list(sys.path), locale.setlocale(locale.LC_ALL)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    modules = {name: sys.modules.get(name) for name in SETTINGS_MODULES}
    try:
        yield
    finally:
        for name, module in modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        os.chdir(cwd)
        sys.path[:] = path
        locale.setlocale(locale.LC_ALL, where)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _restored_root_logger() -> Iterator[None]:
    # Taken off first: PelicanLog.install's basicConfig(force=True) would close them
    # (pytest's log capture among them).
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.handlers.clear()
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)


@contextlib.contextmanager
def _restored_signal_receivers() -> Iterator[None]:
    # Pelican's signals are blinker's named signals; every Pelican() calls each plugin's
    # register() again. Plugins connect module-level functions (connecting one again is
    # a no-op), but a receiver made per build and held strongly would be called by every
    # later build; each build starts with the receivers a new process would have.
    from blinker import default_namespace

    before = {name: set(sig.receivers) for name, sig in default_namespace.items()}
    try:
        yield
    finally:
        for name, sig in list(default_namespace.items()):
            for key in set(sig.receivers) - before.get(name, set()):
                held = sig.receivers.get(key)
                receiver = held() if isinstance(held, weakref.ref) else held
                if receiver is not None:
                    sig.disconnect(receiver)


def _forget_pelican_log_filter() -> None:
    # Pelican drops a warning it has seen before in this process; a new process has
    # seen none.
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    LimitFilter._ignore.clear()


def _forget_pelican_memos() -> None:
    # Pelican memoizes Content.get_content and get_summary in one dict per method, keyed
    # by the content object: without this every build's pages (and, through their
    # context, the whole build) would stay in memory until the test session ends.
    from pelican.contents import Content
    from pelican.utils import memoized

    classes = [Content]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        for value in vars(cls).values():
            if isinstance(value, memoized):
                value.cache.clear()


def build_command(
    *arguments: str, env: Mapping[str, str | None] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`python -m foreningssajt.cli.build ARGUMENTS` as a separate process: for tests of the command line."""
    full_env = {**os.environ, **(env or {})}
    # None means "not set at all", e.g. MEMBERS_PASSWORD for a demo build.
    full_env = {key: value for key, value in full_env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "-m", "foreningssajt.cli.build", *arguments],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def site_settings(root: Path = REPO, output: Path | None = None, publishing: bool = False) -> dict:
    """The settings a build of `root` runs with, with a fresh session (in-process tests)."""
    from foreningssajt.siteconfig.session import BuildSession
    from foreningssajt.siteconfig.settings import pelican_settings

    session = BuildSession.start(root, publishing=publishing)
    return pelican_settings(session, output or root / "output", search=False)


def make_site(root: Path, files: dict[str, str], site_yml: str | None = None) -> Path:
    """A small site folder: the repo's site.yml (or the given text) plus the given files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yml").write_text(site_yml or (REPO / "site.yml").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copy(REPO / "members-salt.txt", root / "members-salt.txt")
    (root / "content/images").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content/images/logo.svg", root / "content/images/logo.svg")  # site.yml names it
    for relative, text in files.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def post(title: str = "Ett inlägg", date: str = "2026-03-01 10:00", body: str = "Text.", **keys: str) -> str:
    """A news post's Markdown, for tests that need one."""
    header = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in keys.items()]
    return "---\n" + "\n".join(header) + "\n---\n" + body + "\n"
