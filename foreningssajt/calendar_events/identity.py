"""What lets a phone calendar recognise an event again: UID, SEQUENCE and DTSTAMP.

UID: a UUID made from the file's path under content/ (plus @host), so it survives
rebuilds and edits of the file. Renaming or moving the file makes a new UID: calendar
apps then see a new event and drop the old one.

SEQUENCE must only grow. A content hash cannot do that without state, and state
written by the build would be lost in CI. So SEQUENCE counts minutes since 2020 up to
the event's last change: the time of the last git commit that touched the file, or
the file's mtime when it has uncommitted changes or there is no git. A later change
is always a larger number, from any clean clone. (A shallow clone sees every file as
changed at HEAD's time; that only makes SEQUENCE larger, never smaller.)
"""

from __future__ import annotations

import datetime as dt
import subprocess
import uuid
from pathlib import Path

EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def event_uid(key: str, host: str) -> str:
    """Stable: the same key (path under content/) gives the same UID on every build."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@{host}"


def sequence_for(changed: dt.datetime) -> int:
    return max(0, int((changed - EPOCH).total_seconds() // 60))


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def committed_times(root: Path, folder: str) -> dict[str, dt.datetime]:
    """Last commit time of each file under root/folder, keyed by path relative to root.

    One `git log` for the whole folder: newest commits come first, so the first time
    a path shows up is its last change.
    """
    log = _git(root, "log", "--format=%x00%ct", "--name-only", "--relative", "--", folder)
    times: dict[str, dt.datetime] = {}
    when = None
    for line in (log or "").splitlines():
        if line.startswith("\x00"):
            when = dt.datetime.fromtimestamp(int(line[1:]), dt.UTC)
        elif line.strip() and when is not None:
            times.setdefault(line.strip(), when)
    return times


def uncommitted(root: Path, folder: str) -> set[str] | None:
    """Files under folder with changes git has not committed; None when git is not there."""
    listing = _git(root, "ls-files", "--modified", "--others", "--exclude-standard", "--", folder)
    return None if listing is None else {line.strip() for line in listing.splitlines() if line.strip()}


class ChangeTimes:
    """When each file of a folder last changed, asked once per build."""

    def __init__(self, root: Path, folder: str) -> None:
        self.root = root
        self.committed = committed_times(root, folder)
        self.dirty = uncommitted(root, folder)

    def changed(self, relative: str) -> dt.datetime:
        """Last change of root/relative: its commit, or its mtime when not committed as it is."""
        committed = self.committed.get(relative)
        if committed is not None and self.dirty is not None and relative not in self.dirty:
            return committed
        mtime = dt.datetime.fromtimestamp(int((self.root / relative).stat().st_mtime), dt.UTC)
        return max(mtime, committed) if committed else mtime
