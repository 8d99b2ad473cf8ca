"""The benchmark: this project against plain Pelican on one synthetic association site.

Usage: python bench/run.py [--workdir bench/out] [size options of bench/generate.py]

Generates the site, then builds it (1) with this project from cold (no content cache),
(2) again after editing one post (warm: Pelican's content cache), and (3) with plain
Pelican 4.12 (bench/pelicanconf.py). Prints wall time, ms per document, peak RSS and
output size of each, our stage timings (build.py --stats), and the budget, met or not.
The budget is printed, not asserted: machines differ.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import add_size_arguments, generate, sizes_from  # noqa: E402

# A strong password: the members' plugin refuses weak ones when publishing, and the
# benchmark should derive a key exactly as a real build does.
PASSWORD = "Bänk-Mätning-Lösenord-2026-x7"
STAGES = ("reading", "rendering", "calendar", "encryption", "leak_audit", "search")
# Plugins' stages that run inside Pelican's reading and rendering, not after them.
NESTED = {"calendar": "reading+rendering", "encryption": "reading+rendering"}
MB = 1024 * 1024


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_rss_mb: float
    output_bytes: int
    documents: int
    ok: bool
    stats: dict = field(default_factory=dict)
    log: str = ""

    @property
    def ms_per_document(self) -> float:
        return 1000 * self.wall / max(self.documents, 1)

    def stage(self, name: str) -> float | None:
        stages = self.stats.get("stages", {})
        return stages.get(name, stages.get(name.replace("_", " ")))


def measured(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float, float, int]:
    """Run `command`; return wall s, CPU s and peak RSS in MB (of it and its children), exit code."""
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        # wait4 gives this child's own resource usage (ru_maxrss in KiB on Linux), which
        # includes the children it waited for (Pagefind); getrusage would mix all runs.
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started, cpu, usage.ru_maxrss / 1024, process.returncode


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def count_documents(content: Path) -> int:
    return sum(1 for _ in content.rglob("*.md"))


def build_ours(
    name: str, site: Path, output: Path, work: Path, profile: Path | None = None, options: tuple[str, ...] = ()
) -> Run:
    stats_file = work / f"stats-{name}.json"
    stats_file.unlink(missing_ok=True)
    env = {**os.environ, "MEMBERS_PASSWORD": PASSWORD}
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    build = [
        str(REPO / "tools" / "build.py"),
        "--root",
        str(site),
        "--output",
        str(output),
        "--stats",
        str(stats_file),
        *options,
    ]
    command = [sys.executable, *profiler, *build]
    log = work / f"log-{name}.txt"
    wall, cpu, rss, code = measured(command, env, log)
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return Run(
        name,
        wall,
        cpu,
        rss,
        folder_bytes(output),
        count_documents(site / "content"),
        code == 0,
        stats,
        log.read_text(errors="replace"),
    )


def build_plain(site: Path, output: Path, work: Path) -> Run:
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(site / "content"),
        "-s",
        str(BENCH / "pelicanconf.py"),
        "-o",
        str(output),
    ]
    log = work / "log-plain.txt"
    wall, cpu, rss, code = measured(command, dict(os.environ), log)
    return Run(
        "plain Pelican",
        wall,
        cpu,
        rss,
        folder_bytes(output),
        count_documents(site / "content"),
        code == 0,
        log=log.read_text(errors="replace"),
    )


def edit_one_post(site: Path) -> None:
    post = sorted((site / "content" / "posts").glob("*.md"))[0]
    with post.open("a", encoding="utf-8") as text:
        text.write("\nEn mening till, skriven efter första bygget.\n")


def page_weight(output: Path, page: Path) -> int:
    """Bytes of a page's HTML plus the stylesheets and scripts it loads from our output."""
    html = page.read_text(encoding="utf-8")
    total = len(html.encode("utf-8"))
    for url in re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html):
        local = output / url.split("?")[0].lstrip("/")
        if local.is_file():
            total += local.stat().st_size
    return total


def first_article_page(output: Path) -> Path | None:
    pages = sorted((output / "nyheter").glob("[0-9][0-9][0-9][0-9]/*/index.html"))
    return pages[0] if pages else None


def _access_levels() -> int:
    """All members plus site.yml's members.levels (the bench site uses the repository's site.yml)."""
    import yaml

    site = yaml.safe_load((REPO / "site.yml").read_text(encoding="utf-8"))
    return 1 + len((site.get("members") or {}).get("levels") or [])


def budget_rows(cold: Run, warm: Run, plain: Run, article_bytes: int | None) -> list[tuple[str, str, bool]]:
    """(budget, measured figure, met) for each line of the budget in issue 7."""
    search = cold.stage("search") or 0.0
    cold_without_search = cold.wall - search
    ratio = cold_without_search / plain.wall
    warm_ratio = warm.wall / cold.wall
    peak = max(cold.peak_rss_mb, warm.peak_rss_mb)
    derivations = [run.stats.get("counts", {}).get("key_derivations") for run in (cold, warm)]
    levels = _access_levels()
    audit = cold.stage("leak_audit")
    audit_share = None if audit is None else audit / cold.wall
    return [
        (
            "cold build (search excluded) <= 1.0x plain Pelican",
            f"{ratio:.2f}x ({cold_without_search:.1f} s)",
            ratio <= 1.0,
        ),
        ("warm rebuild after one edit <= 0.6x cold", f"{warm_ratio:.2f}x ({warm.wall:.1f} s)", warm_ratio <= 0.6),
        ("peak RSS < 250 MB", f"{peak:.0f} MB", peak < 250),
        (
            f"one key derivation per access level and build ({levels})",
            f"cold {_or_unknown(derivations[0])}, warm {_or_unknown(derivations[1])}",
            derivations == [levels, levels],
        ),
        (
            "leak audit <= 10% of the build",
            "not measured" if audit_share is None else f"{100 * audit_share:.1f}% ({audit:.2f} s)",
            audit_share is not None and audit_share <= 0.10,
        ),
        (
            "public article page < 40 KB (HTML+CSS+JS)",
            "no article page" if article_bytes is None else f"{article_bytes / 1024:.1f} KB",
            article_bytes is not None and article_bytes < 40 * 1024,
        ),
    ]


def _or_unknown(value: object) -> str:
    return "not counted" if value is None else str(value)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def report(cold: Run, warm: Run, plain: Run, article_bytes: int | None, writing: Run) -> str:
    runs = [cold, warm, writing, plain]
    ours = [cold, warm, writing]
    figures = table(
        ["build", "wall s", "CPU s", "ms/doc", "peak RSS MB", "output MB", "vs plain (wall)", "(CPU)"],
        [
            [
                r.name,
                f"{r.wall:.2f}",
                f"{r.cpu:.2f}",
                f"{r.ms_per_document:.1f}",
                f"{r.peak_rss_mb:.0f}",
                f"{r.output_bytes / MB:.1f}",
                f"{r.wall / plain.wall:.2f}x",
                f"{r.cpu / plain.cpu:.2f}x",
            ]
            for r in runs
        ],
    )
    stages = table(
        ["stage", *[r.name for r in ours]],
        [[_stage_label(s), *[_seconds(r.stage(s)) for r in ours]] for s in STAGES]
        + [["other (start-up, sitemap, swap)", *[_seconds(_other(r)) for r in ours]]],
    )
    budget = table(
        ["budget", "measured", "result"],
        [
            [name, figure, "met" if met else "NOT MET"]
            for name, figure, met in budget_rows(cold, warm, plain, article_bytes)
        ],
    )
    documents = f"{cold.documents} documents (Markdown files, public and protected); load average {_load()}"
    note = f"({writing.name}: as make devserver rebuilds while writing; not part of the budget)"
    return f"{documents}\n\n{figures}\n{note}\n\nOur stages (seconds)\n{stages}\n\nBudget\n{budget}\n"


def _load() -> str:
    # Wall times mean little on a busy machine; CPU times and this say how busy it was.
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _stage_label(name: str) -> str:
    return f"{name} (within {NESTED[name]})" if name in NESTED else name


def _other(run: Run) -> float | None:
    """The build's time outside the top-level stages."""
    total = run.stats.get("total")
    if total is None:
        return None
    return total - sum(run.stage(s) or 0.0 for s in STAGES if s not in NESTED)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark this project against plain Pelican.")
    parser.add_argument("--workdir", type=Path, default=BENCH / "out", help="where the site and outputs go")
    parser.add_argument(
        "--profile", action="store_true", help="run the cold build under cProfile and print where its time went"
    )
    add_size_arguments(parser)
    args = parser.parse_args(argv)
    work = args.workdir.resolve()
    site = work / "site"
    work.mkdir(parents=True, exist_ok=True)
    print(f"Generating the site in {site} ...", flush=True)
    generate(site, sizes_from(args), args.seed)
    shutil.rmtree(site / ".cache", ignore_errors=True)

    print("Building: plain Pelican ...", flush=True)
    plain = build_plain(site, work / "plain", work)
    print("Building: ours, cold ...", flush=True)
    cold = build_ours("ours cold", site, work / "ours", work, work / "cold.prof" if args.profile else None)
    edit_one_post(site)
    print("Building: ours, warm after one edit ...", flush=True)
    warm = build_ours("ours warm", site, work / "ours", work)
    edit_one_post(site)
    print("Building: ours, warm after another edit, without search ...", flush=True)
    writing = build_ours("ours warm no search", site, work / "ours-writing", work, options=("--no-search",))

    failed = [run for run in (plain, cold, warm, writing) if not run.ok]
    for run in failed:
        print(f"\n{run.name} FAILED; its log ends:\n{run.log[-3000:]}", file=sys.stderr)
    if failed:
        return 1
    article = first_article_page(work / "ours")
    article_bytes = page_weight(work / "ours", article) if article else None
    text = report(cold, warm, plain, article_bytes, writing)
    print("\n" + text)
    (work / "results.txt").write_text(text, encoding="utf-8")
    if args.profile:
        print("Cold build under cProfile (its times are inflated by the profiler):")
        pstats.Stats(str(work / "cold.prof")).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
