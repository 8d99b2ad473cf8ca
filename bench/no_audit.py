"""A cold build without the leak audit, for the benchmark alone: what the audit costs.

bench/run.py builds the same site with and without the audit, alternately, and reports
the difference as the audit's share of a cold build (issue 11). The audit now reads
beside the build (leak_audit/alongside.py), so the time of its own step no longer says
what it costs; the build without it does. This is never a way to publish: it writes
only into the benchmark's work folder, and make has no target for it.
"""

from __future__ import annotations

import sys
from typing import Any


def main(argv: list[str]) -> int:
    from foreningssajt.cli import build

    def wait_for_search(session: Any, _settings: dict[str, Any]) -> None:
        if session.search is not None:  # otherwise waited for by the audit step
            build.finish_search(session)

    build.STEPS = tuple(
        wait_for_search if step is build.audit else step for step in build.STEPS if step is not build.start_audit
    )
    return build.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
