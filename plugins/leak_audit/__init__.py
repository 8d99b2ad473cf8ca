"""The leak audit: the build fails if protected text appears in plaintext in output/.

Must be the last plugin in PLUGINS: blinker calls ``finalized`` receivers in the
order they connected, and everything that writes to output/ on ``finalized``
(sitemap, search index) must have written before the audit reads.
"""

import logging
from pathlib import Path
from typing import Any

from pelican import signals

from siteconfig.errors import report
from siteconfig.stats import stage

from .audit import audit_build

log = logging.getLogger(__name__)


def on_finalized(pelican: Any) -> None:
    with stage("leak_audit"):
        stats = audit_build(pelican.settings, Path(pelican.output_path))
    log.info(
        "leak audit: %d files (%d unchanged since the last audit), %d bytes, %d words, %d patterns "
        "(%d dropped as public), %d steps",
        stats.files, stats.cached, stats.bytes, stats.words, stats.patterns, stats.dropped_as_public, stats.steps,
    )  # fmt: skip
    for leak in stats.leaks:
        report(leak)
    if stats.leaks:
        raise stats.leaks[0]


def register() -> None:
    signals.finalized.connect(on_finalized)
