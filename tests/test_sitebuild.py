"""The in-process build harness (tests/sitebuild.py): one build leaves nothing behind.

Every test that builds a site calls build_site in the test process; a build that left
a logging handler, a signal receiver, a Ctrl-C handler, an environment variable or a
locale behind would change the next build or the next test.
"""

from __future__ import annotations

import importlib
import locale
import logging
import os
import signal
import sys
import weakref
from pathlib import Path

import pytest
from blinker import default_namespace
from sitebuild import build_site, isolated_build, make_site, post

PLUGINS_WITH_RECEIVERS = [
    "calendar_events",
    "content_rules",
    "images",
    "members",
    "plans",
    "reports",
    "search",
    "theme_helpers",
    "theme_i18n",
]


# Publishing needs both (the repository's site.yml has the level styrelse).
PASSWORDS = {"MEMBERS_PASSWORD": "Test-Medlemmar-Lösen-2026", "BOARD_PASSWORD": "Test-Styrelsen-Lösen-2026"}


def process_state() -> dict[str, object]:
    root = logging.getLogger()
    return {
        "handlers": list(root.handlers),
        "level": root.level,
        "receivers": {name: set(sig.receivers) for name, sig in default_namespace.items() if sig.receivers},
        "signals": {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)},
        "locale": locale.setlocale(locale.LC_ALL),
        "path": list(sys.path),
        "cwd": os.getcwd(),
        "settings modules": [sys.modules.get(name) for name in ("pelicanconf", "publishconf")],
        "password": os.environ.get("MEMBERS_PASSWORD"),
    }


def memoized_pages() -> set[int]:
    """Pelican's memoized get_content/get_summary entries: each holds a page and its build."""
    from pelican.contents import Content
    from pelican.utils import memoized

    memos = [value for value in vars(Content).values() if isinstance(value, memoized)]
    return {id(key[0]) for memo in memos for key in memo.cache}


@pytest.mark.slow
def test_a_build_leaves_the_process_as_it_found_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEMBERS_PASSWORD", "ett-lösenord-från-skalet")
    site = make_site(tmp_path / "site", {"posts/a.md": post()})
    before, pages = process_state(), memoized_pages()
    for publish in (False, True):  # publishconf.py edits sys.path; Pelican sets the locale
        output = tmp_path / f"out-{publish}"
        result = build_site(site, output, publish=publish, search=publish, env=PASSWORDS)
        assert result.returncode == 0, result.stderr
        assert process_state() == before
        assert memoized_pages() <= pages  # the build's pages are not kept alive
    assert os.environ["MEMBERS_PASSWORD"] == "ett-lösenord-från-skalet"


def test_the_build_sees_only_the_variables_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEMBERS_PASSWORD", "från-skalet")
    monkeypatch.delenv("BOARD_PASSWORD", raising=False)
    with isolated_build({"MEMBERS_PASSWORD": None, "BOARD_PASSWORD": "styrelsen"}):
        assert "MEMBERS_PASSWORD" not in os.environ and os.environ["BOARD_PASSWORD"] == "styrelsen"
    assert os.environ["MEMBERS_PASSWORD"] == "från-skalet" and "BOARD_PASSWORD" not in os.environ


def test_pytest_log_capture_survives_a_build(caplog: pytest.LogCaptureFixture) -> None:
    from foreningssajt.cli.quiet_pelican import PelicanLog
    from foreningssajt.siteconfig.session import BuildSession

    with isolated_build({}):
        PelicanLog.install(BuildSession.start(Path.cwd()))  # basicConfig(force=True), as a build does
        assert caplog.handler not in logging.getLogger().handlers
    logging.getLogger("sitebuild-test").warning("efter bygget")
    assert "efter bygget" in caplog.text


def receivers() -> list[object]:
    held = [value for sig in default_namespace.values() for value in sig.receivers.values()]
    return [value() if isinstance(value, weakref.ref) else value for value in held]


@pytest.mark.parametrize("name", PLUGINS_WITH_RECEIVERS)
def test_plugins_connect_only_module_level_functions(name: str) -> None:
    """Connecting one again is a no-op, so builds in one process never pile up receivers."""
    plugin = importlib.import_module(f"foreningssajt.{name}")
    with isolated_build({}):
        plugin.register()
        once = receivers()
        plugin.register()  # as the next Pelican() in the same process does
        assert receivers() == once
    own = [r for r in once if r is not None and getattr(r, "__module__", "").split(".")[:2] == ["foreningssajt", name]]
    assert own, f"{name} connects nothing"
    for receiver in own:
        assert "<locals>" not in receiver.__qualname__ and not hasattr(receiver, "__self__"), receiver
