"""Work a build hands to a second process, so that it overlaps with Pelican's rendering.

Pelican renders on one core; drawing share cards with Pillow holds the GIL, so a
thread would only take turns with it. One BackgroundWork belongs to one build session
(siteconfig/session.py): a step submits a job and goes on, and before anything reads
what the jobs write the build waits for them (the images plugin's `finalized`
handler). foreningssajt/cli/build.py closes it whatever happens, so no worker outlives
its build.

The pool is made on the first submit: a build with nothing to hand over forks
nothing. A job is a function importable at module level and picklable arguments; it
writes its own result to disk and returns nothing the build needs.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import wait as wait_for_sentinel
from typing import Any


class BackgroundWork:
    """A lazily started pool of worker processes (cores - 1, at least one) for one build."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[Hashable, Future] = {}

    def submit(self, fn: Callable[..., Any], *args: Hashable) -> Future:
        """Run fn(*args) in a worker; the same call submitted again in this build runs once."""
        key = (fn, args)
        if key not in self._jobs:
            if self._pool is None:
                self._pool = _new_pool()
            self._jobs[key] = self._pool.submit(fn, *args)
        return self._jobs[key]

    @property
    def running(self) -> bool:
        """Whether a worker pool exists (between the first submit and wait() or close())."""
        return self._pool is not None

    def wait(self) -> int:
        """Wait for every job, then stop the workers; re-raise the first job's failure.

        Returns how many jobs were run. A worker that died (killed, out of memory) is a
        failure too (BrokenProcessPool), never a hang.
        """
        jobs, self._jobs = list(self._jobs.items()), {}
        try:
            _take_from_the_back(jobs)
            for _call, job in jobs:
                if not job.cancelled():
                    job.result()
        finally:
            self.close()
        return len(jobs)

    def close(self) -> None:
        """Cancel the jobs not started and wait for the workers to exit; never raises.

        For the end of a build that failed or was interrupted: a job still running
        finishes first (a card takes milliseconds), so nothing writes into the staging
        folder after the build has removed it.
        """
        pool, self._pool = self._pool, None
        self._jobs = {}
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _take_from_the_back(jobs: list[tuple[tuple[Callable[..., Any], tuple], Future]]) -> None:
    """While the worker works from the front, this process (idle now) runs jobs from the back.

    A job not yet handed to the worker can be cancelled there and run here; the first
    that cannot has reached the worker, and so has every job before it.
    """
    for (fn, args), job in reversed(jobs):
        if not job.cancel():
            return
        fn(*args)


def _new_pool() -> ProcessPoolExecutor:
    # Fork where there is one: the worker starts at once with every module the build has
    # imported. Elsewhere spawn, which is why a job must be importable at module level.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = max(1, (os.cpu_count() or 1) - 1)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_started)


def _worker_started() -> None:
    # A forked worker inherits the build's handlers for Ctrl-C and SIGTERM (they unwind
    # the build and remove its staging folder): the build stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None:  # the build was killed (kill -9): a worker must not wait forever for jobs
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(parent_sentinel: int) -> None:
    wait_for_sentinel([parent_sentinel])
    os._exit(1)
