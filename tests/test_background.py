"""Share cards drawn in a second process (issue 14): siteconfig/background.py and its use.

BackgroundWork on its own: a job runs in another process, the same call runs once, a
failing or dying worker is an exception from wait() and never a hang, and no worker
is left afterwards. Then real builds: every card a page names is published with the
bytes the drawing gives, a build with every card cached forks nothing, and a card
that cannot be drawn fails the build with one Swedish line.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from sitebuild import build_site, make_site, post, site_settings

from foreningssajt.images import share_card
from foreningssajt.siteconfig.background import BackgroundWork

# Fork is where a test's monkeypatch reaches the worker; spawn would re-import.
needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


def append_pid(path: Path) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(f"{os.getpid()}\n")


def fail(message: str) -> None:
    raise ValueError(message)


def die() -> None:
    os._exit(3)


def test_jobs_run_in_another_process_once_each(tmp_path: Path) -> None:
    work = BackgroundWork()
    assert not work.running, "nothing is forked before the first job"
    for name in ("a", "b", "a", "a"):
        work.submit(append_pid, tmp_path / name)
    assert work.running
    assert work.wait() == 2
    pids = (tmp_path / "a").read_text().split() + (tmp_path / "b").read_text().split()
    assert len(pids) == 2, "the same call submitted three times ran once"
    assert not work.running and not multiprocessing.active_children()


def append_pid_slowly(path: Path) -> None:
    time.sleep(0.02)
    append_pid(path)


def test_while_waiting_this_process_runs_jobs_from_the_back(tmp_path: Path) -> None:
    work = BackgroundWork()
    for number in range(60):
        work.submit(append_pid_slowly, tmp_path / f"{number:02}")
    assert work.wait() == 60
    pids = [(tmp_path / f"{number:02}").read_text().split() for number in range(60)]
    assert all(len(ran) == 1 for ran in pids), "each job ran exactly once"
    assert pids[0] != [str(os.getpid())], "the worker starts at the front"
    assert pids[-1] == [str(os.getpid())], "this process, idle in wait(), took the last ones"


def test_a_failing_job_is_raised_by_wait(tmp_path: Path) -> None:
    work = BackgroundWork()
    work.submit(append_pid, tmp_path / "first")
    work.submit(fail, "trasigt kort")
    with pytest.raises(ValueError, match="trasigt kort"):
        work.wait()
    assert not work.running and not multiprocessing.active_children()


def test_a_dying_worker_is_a_failure_not_a_hang() -> None:
    work = BackgroundWork()
    job = work.submit(die)
    while not (job.running() or job.done()):  # in the worker's hands: wait() would otherwise run it here
        time.sleep(0.005)
    with pytest.raises(BrokenProcessPool):
        work.wait()
    assert not multiprocessing.active_children()


def test_close_leaves_no_worker_and_a_later_job_starts_a_new_one(tmp_path: Path) -> None:
    work = BackgroundWork()
    for number in range(20):
        work.submit(append_pid, tmp_path / f"job-{number}")
    work.close()
    assert not work.running and not multiprocessing.active_children()
    work.submit(append_pid, tmp_path / "later")
    assert work.wait() == 1
    assert (tmp_path / "later").is_file()


POSTS = {
    "posts/forsta.md": post("Första inlägget", date="2026-03-01 10:00"),
    "posts/andra.md": post("Andra inlägget med en lite längre rubrik", date="2026-03-02 10:00"),
    "posts/tredje.md": post("Första inlägget", date="2026-03-03 10:00"),  # the same card as the first
}


def card_urls_in(page: Path) -> set[str]:
    return set(re.findall(r'og:image" content="https://[^"/]+/(images/delning/\w+\.png)"', page.read_text("utf-8")))


def card_urls(output: Path) -> set[str]:
    return set().union(*(card_urls_in(page) for page in output.rglob("*.html")))


def test_a_build_publishes_every_card_and_leaves_no_worker(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", POSTS)
    output, stats = root / "output", tmp_path / "stats.json"
    result = build_site(root, output, search=False, stats=stats)
    assert result.returncode == 0, result.stderr
    assert not multiprocessing.active_children(), "a worker outlived the build"
    urls = card_urls(output)
    assert len(urls) >= 2  # the two titles, besides the site's own pages
    published = {p.relative_to(output).as_posix() for p in (output / share_card.OUTPUT_FOLDER).iterdir()}
    assert published == urls, "every card a page names is published, and nothing else"
    drawn = json.loads(stats.read_text())["counts"]["share_cards_drawn"]
    assert drawn == len(urls), "each card is drawn once, however many pages name it"
    page = next(p for p in output.rglob("*.html") if "<title>Första inlägget" in p.read_text("utf-8"))
    (url,) = card_urls_in(page)
    assert (output / url).read_bytes() == drawn_here(root, "Första inlägget"), (
        "the worker draws what this process would"
    )

    again = build_site(root, tmp_path / "again", search=False, full=True, stats=stats)
    assert again.returncode == 0, again.stderr
    assert json.loads(stats.read_text())["counts"].get("share_cards_drawn", 0) == 0, "cached cards are copied"
    assert card_urls(tmp_path / "again") == urls
    for url in urls:
        assert (tmp_path / "again" / url).read_bytes() == (output / url).read_bytes()


def drawn_here(root: Path, title: str) -> bytes:
    """The card for `title`, drawn in this process from the site's settings."""
    settings = site_settings(root)
    colours = settings["SITE"].get("colours") or {}
    primary, accent = colours.get("primary", "#333333"), colours.get("accent", "#000000")
    return share_card.render(title, settings["SITENAME"], primary, accent)


@needs_fork
def test_a_card_that_cannot_be_drawn_fails_the_build_in_swedish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> bytes:
        raise OSError("disken är full")

    monkeypatch.setattr(share_card, "render", broken)  # the forked worker draws with this
    root = make_site(tmp_path / "site", POSTS)
    output = root / "output"
    result = build_site(root, output, search=False)
    assert result.returncode == 1
    assert "internt fel (OSError: disken är full)" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists(), "a failed build leaves output/ as it was"
    assert not multiprocessing.active_children()
    assert not list(tmp_path.glob("site/.output.building-*")), "the staging folder is removed"


def test_a_build_that_fails_while_cards_are_drawn_leaves_no_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pelican stops before its `finalized` signal: the build's own close() stops the worker."""
    from foreningssajt.images.template_api import TemplateImages

    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("mallen gick sönder")

    # An article's page asks for its card in <head>, then renders its body with this filter.
    monkeypatch.setattr(TemplateImages, "responsive", broken)
    root = make_site(tmp_path / "site", POSTS)
    result = build_site(root, root / "output", search=False)
    assert result.returncode == 1
    assert "internt fel (RuntimeError: mallen gick sönder)" in result.stderr, result.stderr
    assert not multiprocessing.active_children(), "a worker outlived the failed build"
