"""The staging folder a build writes into, and the swap that publishes it.

A build writes beside output/ into .output.building-<pid>/ and swaps it in only when
every step succeeded. The staging folder holds members' files before the audit has
looked at them, so it must never outlive its build: it is removed on success, failure,
Ctrl-C and SIGTERM, and one left by kill -9 is removed by the next build. Git ignores
the name (.gitignore: .output.*).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from foreningssajt.siteconfig.errors import message_catalogue

MARK = ".building-"


@contextmanager
def folder(output: Path) -> Iterator[Path]:
    """A fresh staging folder for `output`, removed whatever happens to the build."""
    remove_abandoned(output)
    building = output.with_name(f".{output.name}{MARK}{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield building
    finally:
        shutil.rmtree(building, ignore_errors=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(signum: int, _frame: FrameType | None) -> None:
    # Unwind through folder()'s finally, which removes the staging folder.
    raise SystemExit(128 + signum)


def remove_abandoned(output: Path) -> None:
    """Staging folders whose build process is gone (killed with kill -9, a power cut)."""
    prefix = f".{output.name}{MARK}"
    for left in output.parent.glob(prefix + "*"):
        pid = left.name.removeprefix(prefix)
        if not (pid.isascii() and pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(left, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(building: Path, output: Path) -> Path:
    """Replace output/ with the new build in two renames, so no reader sees half a site.

    Returns the retired old output; remove_retired() deletes it. It holds only what was
    published before, and removing a thousand folders can take longer than the build's
    own work, so the dev server reloads the browser first.
    """
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        output.rename(retired)
    building.rename(output)
    return retired


def remove_retired(retired: Path | None) -> None:
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def overlay_in(building: Path, output: Path) -> None:
    """Move a selective build's few new files over their old copies in output/.

    Only for a build that writes no new file names and deletes none (the dev server's
    selective builds): every file is replaced in one rename, and output/ is only touched
    after every step succeeded, so it never holds half a build's work.
    """
    for folder, _dirs, files in os.walk(building):
        target = output / Path(folder).relative_to(building)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(Path(folder) / name, target / name)
    shutil.rmtree(building, ignore_errors=True)


def shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root)) + "/"
    except ValueError:
        return str(path)


def unchanged_line(output: Path, root: Path, language: str) -> str:
    text = message_catalogue(language).gettext("Bygget avbröts; {output} är oförändrad.")
    return text.format(output=shown(output, root))


def done_line(output: Path, root: Path, seconds: float, language: str) -> str:
    text = message_catalogue(language).gettext("Klart: {output} byggd på {seconds} s.")
    return text.format(output=shown(output, root), seconds=f"{seconds:.1f}")
