"""The leak audit: the build fails if protected text appears in plaintext anywhere in output/.

foreningssajt/cli/build.py runs audit_build() as its last step, after everything has been
written to the staging folder but the search index, whose folder it reads once Pagefind
has finished (scan_output's `later`). What is protected is the build's
inventory (members/inventory.py); what is searched for is patterns.py's word
sequences of it; how a file is read is documents.py and normalise.py. Each leak is one
line naming the public source file a volunteer edits (or the output file, when no
source holds the text), the protected file and the sentence, and saying how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from foreningssajt.members.inventory import PUBLIC_PASSAGES, Inventory, inventory_for
from foreningssajt.siteconfig.errors import SiteError
from foreningssajt.siteconfig.parallel import cores

from .alongside import AuditProcess
from .cache import AuditCache, code_version, fingerprint
from .matcher import Matcher
from .patterns import Pattern, patterns_for
from .scan import CodeFiles, Finding, automata_for, scan_output
from .sources import copies_of, public_sources, sources_of

PLUGINS = Path(__file__).resolve().parents[1]  # their vendored files (the web editor's scripts)
SENTENCE_CHARS = 160  # longer protected sentences are shown cut: the line must stay readable

LEAK = (
    "skyddad text från {protected} syns i {output}: ”{sentence}”; ta bort den här, eller, om den är "
    "offentlig med avsikt, skriv den under " + PUBLIC_PASSAGES + ": i {protected}"
)
LEAK_NO_SOURCE = (
    "skyddad text från {protected} står i klartext: ”{sentence}”; ingen fil under content/ och inte "
    "site.yml innehåller den, så den kommer från en mall eller ett tillägg: rapportera felet till den som sköter sajten"
)
COPY = "är en kopia av den skyddade filen {protected} och syns i {output}; ta bort kopian"
UNREADABLE = (
    "kan inte läsas av läckkontrollen ({detail}); den släpper inte igenom det den inte kan läsa, så ta bort filen"
)


@dataclass
class AuditStats:
    files: int = 0
    bytes: int = 0
    characters: int = 0
    patterns: int = 0
    cached: int = 0
    leaks: list[SiteError] = field(default_factory=list)
    read_early: int = 0  # files read while the build wrote them (alongside.py)
    cpu_seconds: float = 0.0  # the reading process's CPU time (alongside.py only)


@dataclass
class PreparedAudit:
    """What the audit needs before it reads a file: made while Pagefind runs, or carried
    over from the dev server's last build when the protected inventory is the same."""

    key: str  # inventory_key() of the inventory the patterns come from
    inventory: Inventory | None  # None in what is carried to the next build
    patterns: list[Pattern]
    automata: tuple[Matcher, Matcher] | None = None

    def carried(self) -> PreparedAudit:
        """What a later build may reuse: the patterns and automata, not the inventory."""
        return PreparedAudit(self.key, None, self.patterns, self.automata)


def prepare_audit(
    settings: Mapping[str, Any], automata: bool = False, reuse: PreparedAudit | None = None
) -> PreparedAudit:
    """The build's patterns and, with `automata`, their automata (made even if no file needs them).

    `reuse`: an earlier build's; its patterns and automata are taken when they come from
    exactly the same protected inventory (the key covers every input of patterns_for()).
    """
    inventory = inventory_for(settings)
    key = inventory_key(inventory)
    if reuse is not None and reuse.key == key and (reuse.automata is not None or not automata):
        return PreparedAudit(key, inventory, reuse.patterns, reuse.automata)
    patterns = patterns_for(inventory)
    return PreparedAudit(key, inventory, patterns, automata_for(patterns) if automata else None)


def inventory_key(inventory: Inventory) -> str:
    """A hash of everything the patterns are made from, and of the audit's code."""
    parts = [code_version()]
    for item in inventory.items:
        values = json.dumps(item.values, sort_keys=True, default=str, ensure_ascii=False)
        parts += [item.source, item.kind, item.access, values, item.body, item.html or ""]
    for protected in inventory.files:
        parts += [protected.source, protected.sha256]
    return fingerprint(part.encode("utf-8", "surrogatepass") for part in parts)


def audit_build(
    settings: Mapping[str, Any],
    output: Path,
    prepared: PreparedAudit | None = None,
    underlay: Path | None = None,
    later: tuple[str, Callable[[], None]] | None = None,
) -> AuditStats:
    """Audit a finished build's output folder with the build's settings and inventory.

    `underlay`, `later`: see scan_output (the last output under a selective build's new
    files; a folder read only once Pagefind, still at work, has finished it)."""
    if prepared is None or prepared.inventory is None:
        prepared = prepare_audit(settings, reuse=prepared)
    inventory, patterns = prepared.inventory, prepared.patterns
    cache = AuditCache.for_build(settings, output)
    code = CodeFiles(code_folders(settings))
    scanned = scan_output(
        output, patterns, inventory.files, cache, code, cores(), prepared.automata, underlay=underlay, later=later
    )
    cache.save()
    stats = AuditStats(scanned.files, scanned.bytes, scanned.characters, len(patterns), scanned.cached)
    if scanned.findings:
        stats.leaks = leak_lines(scanned.findings, patterns, inventory, settings)
    return stats


def code_folders(settings: Mapping[str, Any]) -> list[Path]:
    """Where the project's own files are (scan.CodeFiles): the theme's static files, the package."""
    return [Path(settings["THEME"]) / "static", PLUGINS]


def start_alongside(settings: Mapping[str, Any], later: str) -> AuditProcess | None:
    """Start reading the build's output while it is written (alongside.py); None where that cannot be."""
    return AuditProcess.start(settings, code_folders(settings), later)


def audit_alongside(
    process: AuditProcess, settings: Mapping[str, Any], wait_for_later: Callable[[], None] | None
) -> AuditStats:
    """audit_build()'s verdict, from the process that has read beside the build since it started."""
    result = process.finish(wait_for_later)
    scanned = result.stats
    stats = AuditStats(scanned.files, scanned.bytes, scanned.characters, result.pattern_count, scanned.cached)
    stats.read_early, stats.cpu_seconds = result.read_early, result.cpu_seconds
    if scanned.findings:
        stats.leaks = leak_lines(scanned.findings, result.patterns or [], inventory_for(settings), settings)
    return stats


def leak_lines(
    findings: list[Finding], patterns: list[Pattern], inventory: Inventory, settings: Mapping[str, Any]
) -> list[SiteError]:
    """One line per public source (or output file) and protected file, in output order."""
    content = Path(settings["PATH"])
    site_root = content.parent
    sources = public_sources(content, Path(settings["THEME"]), site_root, inventory)
    wanted = {index for finding in findings for index in finding.patterns}
    where = sources_of(patterns, wanted, sources, site_root) if wanted else {}
    copies = copies_of(inventory.files, sources, site_root) if any(f.copies for f in findings) else {}
    lines: dict[tuple[str, str], SiteError] = {}
    for finding in findings:
        shown = f"output/{finding.name}"
        if finding.unreadable:
            lines.setdefault((shown, ""), SiteError(shown, "", UNREADABLE, detail=finding.unreadable))
        for protected in finding.copies:
            for public in copies.get(protected.source) or [shown]:
                error = SiteError(public, "", COPY, protected=protected.source, output=shown)
                lines.setdefault((public, protected.source), error)
        for index in _first_per_source(finding.patterns, patterns):
            pattern = patterns[index]
            for public in where.get(index, []) or [shown]:
                lines.setdefault((public, pattern.origin.source), _leak(public, shown, pattern))
    return list(lines.values())


def _first_per_source(found: set[int], patterns: list[Pattern]) -> list[int]:
    """One pattern per protected file: the rest of a copied text is the same mistake."""
    first: dict[str, int] = {}
    for index in sorted(found):
        first.setdefault(patterns[index].origin.source, index)
    return list(first.values())


def _leak(public: str, shown: str, pattern: Pattern) -> SiteError:
    sentence = pattern.origin.sentence
    if len(sentence) > SENTENCE_CHARS:
        sentence = sentence[: SENTENCE_CHARS - 1] + "…"
    if public == shown:
        return SiteError(shown, "", LEAK_NO_SOURCE, protected=pattern.origin.source, sentence=sentence)
    return SiteError(public, "", LEAK, protected=pattern.origin.source, output=shown, sentence=sentence)
