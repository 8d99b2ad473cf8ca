"""Incremental builds: redo only what depends on what changed, or nothing at all.

A successful build leaves a state file in ROOT/.cache/builds/ (outside output/, never
published): the SHA-256 of every input file (content/, site.yml, the salt), a
fingerprint of the code (plugins, theme, tools, settings files, library versions), the
build's flags and clock, and for each news post and page a signature of everything
other pages can show of it (title, date, tags, URL, summary, all metadata) without
its body. The next build compares:

- **nothing changed** (same inputs, code, flags, output/ as it was left, and the
  clock still inside the window where the calendar's upcoming/past split and "updated"
  date stay the same): nothing is built; output/ is already what a clean build would
  write.
- **only the bodies of existing posts or pages changed** (their signatures, the set
  of documents and the static files' places are all unchanged): Pelican reads
  everything (unchanged files from its cache) but writes only those documents' own
  pages; every other file is hard-linked from the previous output into the staging
  folder, then sitemap, search and the leak audit run over the whole tree as usual.
- **anything else** (a new, deleted or renamed file, a changed header or summary,
  an event, a report, a protected item, site.yml, a template or plugin): a full
  build, with Pelican's reader cache.

Output pages show a document's body only on the document's own page (the theme's
article.html and page.html); every list, feed and menu shows what the signature
covers. tests/test_incremental.py checks the result against clean builds with random
edit sequences.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.generators import ArticlesGenerator, PagesGenerator

# The package: its plugins, theme, settings (pelicanconf.py, publishconf.py) and commands.
PACKAGE = Path(__file__).resolve().parents[1]
SITE_INPUTS = ("site.yml", "members-salt.txt", "editor.yml")
# Folders of the site read by the build besides content/ (Zetkin's events, `make zetkin`).
SITE_FOLDERS = ("content", "data")
# Folders under the code that builds never run: compiled caches, the editor's local server.
NOT_CODE = frozenset({"__pycache__", "node_modules"})
# Written after the reuse step, into files of their own: never linked from the old output.
REWRITTEN_LATER = ("sitemap.xml", "robots.txt", "pagefind/")
# Pelican's lists of a generator's documents, drafts and hidden ones included.
DOCUMENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
)
VERSION = 2
# Environment variables the build reads: the members' passwords (MEMBERS_PASSWORD and the
# names site.yml gives the levels' passwords). Their values are inputs too, kept only as
# a salted scrypt hash (as slow to guess from as the published ciphertext).
SECRET_NAME = re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b")
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(root: Path) -> dict[str, str]:
    """{path relative to root: SHA-256 and whole-second mtime} of every input of the site.

    The time counts too: the calendar stamps an event's iCalendar entry with its file's
    last change (its commit, or its mtime when it has changes git does not have), so the
    last commit of content/ is an input as well.
    """
    found = {}
    for top in SITE_FOLDERS:
        for folder, dirs, files in os.walk(root / top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(folder) / name
                found[path.relative_to(root).as_posix()] = _file_key(path)
    for name in SITE_INPUTS:
        if (root / name).is_file():
            found[name] = _file_key(root / name)
    found[" git: last commit of content/"] = _last_commit(root)
    return found


def _file_key(path: Path) -> str:
    return f"{sha256_file(path)} {int(path.stat().st_mtime)}"


def _last_commit(root: Path) -> str:
    """The last commit that touched content/ (the calendar dates events by their commits), or ''."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%H %ct", "--", "content"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def code_fingerprint() -> str:
    """A hash of the code and settings a build runs (names, sizes, times), and the libraries' versions.

    Sizes and modification times rather than bytes: the package holds megabytes of
    vendored scripts (the web editor), and an edited file gets a new time.
    """
    from importlib.metadata import version

    digest = hashlib.sha256(sys.version.encode())
    for package in ("pelican", "markdown", "jinja2", "icalendar", "babel"):
        digest.update(f"{package}={version(package)}\0".encode())
    files = _tree(PACKAGE, PACKAGE, skip=NOT_CODE)
    digest.update(json.dumps(sorted(files.items())).encode())
    return digest.hexdigest()


def _stat(path: Path) -> list[int]:
    try:
        info = path.stat()
    except OSError:
        return []
    return [info.st_size, info.st_mtime_ns]


def _tree(folder: Path, base: Path, skip: frozenset[str] = frozenset()) -> dict[str, list[int]]:
    """{file under folder, relative to base: [size, mtime in ns]}, with one stat per entry."""
    # Plain strings: pathlib's parsing was most of this in a one-post rebuild (2,600 files).
    found = {}
    start = len(str(base)) + 1
    stack = [str(folder)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in skip:
                    stack.append(entry.path)
            else:
                info = entry.stat(follow_symlinks=False)
                found[entry.path[start:].replace(os.sep, "/")] = [info.st_size, info.st_mtime_ns]
    return found


def output_manifest(output: Path) -> dict[str, list[int]]:
    """{file in output/: [size, mtime in ns]}: proves output/ is as the last build left it."""
    return _tree(output, output)


def secret_values(root: Path, environ: Mapping[str, str] | None = None) -> bytes:
    """The values of the environment variables that hold passwords, in one byte string."""
    environ = os.environ if environ is None else environ
    site = root / "site.yml"
    named = set(SECRET_NAME.findall(site.read_text(encoding="utf-8"))) if site.is_file() else set()
    names = sorted(name for name in environ if "PASSWORD" in name or name in named)
    return json.dumps([[name, environ[name]] for name in names]).encode()


def secret_hash(values: bytes, salt: str) -> str:
    return hashlib.scrypt(values, salt=bytes.fromhex(salt), **SCRYPT).hex()


def state_file(root: Path, output: Path) -> Path:
    """Where the state of builds into `output` lives; named by the output folder, relative to the site."""
    output = output.resolve()
    where = output.relative_to(root) if output.is_relative_to(root) else output
    name = hashlib.sha256(str(where).encode()).hexdigest()[:16]
    return root / ".cache" / "builds" / f"{name}.json"


@dataclass
class Plan:
    """What this build may skip, worked out from the last successful build's state."""

    root: Path
    output: Path
    flags: dict[str, Any]
    now: dt.datetime
    inputs: dict[str, str]
    code: str
    previous: dict[str, Any] = field(default_factory=dict)
    # Filled while Pelican runs (Selection) and read by the reuse step and remember().
    selected: set[str] | None = None
    signatures: dict[str, str] = field(default_factory=dict)
    valid_until: dt.datetime | None = None
    mode: str = "full"
    reason: str = ""  # why the last build's work cannot be reused, for --stats
    password_hash: dict[str, str] = field(default_factory=dict)  # {"salt", "hash"} of secret_values()

    @classmethod
    def start(cls, root: Path, output: Path, flags: dict[str, Any], now: dt.datetime) -> Plan:
        plan = cls(root, output, flags, now, input_hashes(root), code_fingerprint())
        plan.previous = plan._comparable_previous()
        return plan

    def _comparable_previous(self) -> dict[str, Any]:
        """The last build's state, if it used this code and flags and left output/ as it is now."""
        try:
            state = json.loads(state_file(self.root, self.output).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.reason = "no earlier build"
            return {}
        checks = (
            (state.get("version") == VERSION and state.get("code") == self.code, "the code changed"),
            (state.get("flags") == self.flags, "other options"),
            (self._same_secrets(state.get("secrets")), "a password changed"),
            (self._inside_window(state), "the clock passed an event or midnight"),
            (self.output.is_dir() and state.get("output") == output_manifest(self.output), "output/ changed"),
        )
        for passed, reason in checks:
            if not passed:
                self.reason = reason
                return {}
        self.reason = ""
        return state

    def _same_secrets(self, previous: Any) -> bool:
        values = secret_values(self.root)
        known = isinstance(previous, dict) and {"salt", "hash"} <= previous.keys()
        if known and secret_hash(values, previous["salt"]) == previous["hash"]:
            self.password_hash = previous
            return True
        salt = secrets.token_hex(16)
        self.password_hash = {"salt": salt, "hash": secret_hash(values, salt)}
        return False

    def _inside_window(self, state: Mapping[str, Any]) -> bool:
        # The calendar's lists and "updated" date depend on the clock, not only on files.
        try:
            since = dt.datetime.fromisoformat(state["now"])
            until = dt.datetime.fromisoformat(state["valid_until"])
        except (KeyError, TypeError, ValueError):
            return False
        return since <= self.now < until

    @property
    def changed(self) -> set[str]:
        old = self.previous.get("inputs", {})
        return {name for name in old.keys() | self.inputs.keys() if old.get(name) != self.inputs.get(name)}

    @property
    def nothing_changed(self) -> bool:
        return bool(self.previous) and not self.changed

    def remember(self) -> None:
        """Write this build's state; call after output/ holds the new build."""
        path = state_file(self.root, self.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "version": VERSION,
            "code": self.code,
            "flags": self.flags,
            "secrets": self.password_hash or self._fresh_secrets(),
            "now": self.now.isoformat(),
            "valid_until": (self.valid_until or self.now).isoformat(),
            "inputs": self.inputs,
            "signatures": self.signatures,
            "output": output_manifest(self.output),
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)

    def _fresh_secrets(self) -> dict[str, str]:
        salt = secrets.token_hex(16)
        return {"salt": salt, "hash": secret_hash(secret_values(self.root), salt)}

    def forget(self) -> None:
        """After a failed build: the next one starts from scratch."""
        state_file(self.root, self.output).unlink(missing_ok=True)


def document_signature(item: Any) -> str:
    """Everything another page can show of a document, without its body."""
    metadata = sorted((key, _stable(value)) for key, value in item.metadata.items())
    shown = [metadata, _stable(item.summary), item.url, item.save_as, item.status, item.lang, item.template]
    return hashlib.sha256(repr(shown).encode()).hexdigest()


def _stable(value: Any) -> str:
    if isinstance(value, list | tuple):
        return repr([_stable(v) for v in value])
    text = repr(value)
    # An object without a value repr (<... at 0x...>) differs every build: the document
    # then always counts as changed, which costs time but is never wrong.
    return f"{type(value).__name__}:{value}" if " at 0x" in text and hasattr(value, "name") else text


def documents(generators: Iterable[Any]) -> dict[str, Any]:
    """{source path relative to the site: document} of Pelican's article and page generators."""

    found = {}
    for generator in generators:
        if type(generator) not in (ArticlesGenerator, PagesGenerator):
            continue
        for name in DOCUMENT_LISTS:
            for item in getattr(generator, name, []):
                # Pelican's paths are made from the resolved PATH, so no resolve() (a syscall) per file.
                found[os.path.relpath(item.source_path, generator.path).replace(os.sep, "/")] = item
    return found


def static_places(generators: Iterable[Any]) -> str:
    """A hash of where every static file is written ({attach} links move them)."""
    places = sorted(
        (os.path.relpath(item.source_path, generator.path), str(item.save_as))
        for generator in generators
        for item in getattr(generator, "staticfiles", [])
    )
    return hashlib.sha256(repr(places).encode()).hexdigest()


def content_name(name: str) -> str | None:
    return name.removeprefix("content/") if name.startswith("content/") else None


def choose_selection(plan: Plan, generators: list[Any]) -> set[str] | None:
    """The output files to write when only bodies of posts or pages changed, else None."""
    docs = documents(generators)
    plan.signatures = {name: document_signature(item) for name, item in docs.items()}
    plan.signatures[" static"] = static_places(generators)
    changed = plan.changed
    if not plan.previous or not changed:
        return None
    names = [content_name(name) for name in changed]
    if None in names or any(name not in docs for name in names):
        return None  # a site file, a protected item, an event, a report, a static file ...
    if plan.previous.get("signatures") != plan.signatures:
        return None  # a title, date, summary ... or the set of documents changed
    return {docs[name].save_as for name in names if docs[name].save_as}


def calendar_window(generators: Iterable[Any], now: dt.datetime, zone: str) -> dt.datetime:
    """Until when the same inputs give the same output: the next event passing, or midnight."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo(zone))
    until = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    for generator in generators:
        for occurrence in getattr(generator, "upcoming", None) or []:
            hide_after = getattr(occurrence, "hide_after", None)
            if isinstance(hide_after, dt.datetime) and hide_after > now:
                until = min(until, hide_after)
    return until


def link_unchanged(previous: Path, building: Path) -> int:
    """Hard-link every file of the previous output the selective build did not write."""
    # Plain strings and os calls: with Path objects this loop took three times as long,
    # and it runs on every save in the dev server.
    linked = 0
    source_root, target_root = str(previous), str(building)
    for folder, _dirs, files in os.walk(source_root):
        relative = folder[len(source_root) :].lstrip(os.sep).replace(os.sep, "/")
        prefix = f"{relative}/" if relative else ""
        target = os.path.join(target_root, relative) if relative else target_root
        wanted = [name for name in files if not (prefix + name).startswith(REWRITTEN_LATER)]
        if wanted:
            os.makedirs(target, exist_ok=True)
        for name in wanted:
            try:
                os.link(os.path.join(folder, name), os.path.join(target, name))
            except FileExistsError:  # written by this build
                continue
            linked += 1
    return linked


def count_kept(previous: Path, building: Path) -> int:
    """How many files of the previous output an overlaid build leaves where they are."""
    written = sum(len(files) for _folder, _dirs, files in os.walk(building))
    return sum(len(files) for _folder, _dirs, files in os.walk(previous)) - written
