"""The benchmark: this project against plain Pelican on one synthetic association site.

Usage: python bench/run.py [--documents 800] [--scale 800,2000,5000] [--edits 10]
                           [--workdir bench/out] [--profile] [size options of bench/generate.py]

Generates the site, then builds it with plain Pelican 4.12 (bench/pelicanconf.py) and
with this project: cold (no cache; search and leak audit on), again with nothing
changed, after one edit of a post's body, and after one edit of a post's title. Then it
runs `make devserver` on the same site and times ten single-file edits until the
browser has the new page, and builds plain Pelican and ours cold at other sizes to
show the growth. Every figure is printed as a ratio to plain Pelican measured in the
same run (the machine is shared, so absolute seconds vary), with the goals of issue 14.
The goals are printed, not asserted: machines differ.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from devloop import EditTimes, measure  # noqa: E402
from generate import Sizes, add_size_arguments, generate  # noqa: E402

# A strong password: the members' plugin refuses weak ones when publishing, and the
# benchmark should derive a key exactly as a real build does.
PASSWORD = "Bänk-Mätning-Lösenord-2026-x7"
PHASES = ("read", "render", "write", "members", "calendar", "search", "audit", "other")
MB = 1024 * 1024
# What a build runs, copied once per benchmark run: every build of the run uses the same code
# even when the working tree changes meanwhile (a code change makes a rebuild full).
CODE_PARTS = ("foreningssajt",)
# The default mix of generate.py (1,509 documents); --documents scales it.
MIX = Sizes()


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_rss_mb: float
    documents: int
    ok: bool
    stats: dict = field(default_factory=dict)
    log: str = ""

    def stage(self, name: str) -> float:
        return self.stats.get("stages", {}).get(name, 0.0)

    @property
    def mode(self) -> str:
        """unchanged, selective or full, and why a rebuild was full (foreningssajt/cli/incremental.py)."""
        mode, why = self.stats.get("mode", "?"), self.stats.get("why")
        return f"{mode} ({why})" if mode == "full" and why else mode

    def phases(self) -> dict[str, float]:
        """The build's time by phase; nested stages are taken out of the ones holding them."""
        members = self.stage("context:MembersGenerator") + self.stage("output:MembersGenerator")
        calendar = self.stage("context:CalendarGenerator") + self.stage("output:CalendarGenerator")
        found = {
            "read": self.stage("reading")
            - self.stage("context:MembersGenerator")
            - self.stage("context:CalendarGenerator"),
            "render": self.stage("rendering")
            - self.stage("output:MembersGenerator")
            - self.stage("output:CalendarGenerator")
            - self.stage("write"),
            "write": self.stage("write") + self.stage("reuse"),
            "members": members,
            "calendar": calendar,
            # Pagefind runs while the audit reads the rest; its wait is timed inside the audit.
            "search": self.stage("search") + self.stage("search_wait"),
            "audit": self.stage("leak_audit") - self.stage("search_wait"),
        }
        found["other"] = self.stats.get("total", self.wall) - sum(found.values())
        return found


def measured(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float, float, int]:
    """Run `command`; return wall s, CPU s and peak RSS in MB (of it and its children), exit code."""
    started = time.perf_counter()
    with log.open("w") as out:
        # Run from the log's folder: from the repository, `-m` would import the live package
        # instead of this run's copy.
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=log.parent)
        # wait4 gives this child's own resource usage (ru_maxrss in KiB on Linux), which
        # includes the children it waited for (Pagefind, the audit's workers).
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started, cpu, usage.ru_maxrss / 1024, process.returncode


def snapshot_code(work: Path) -> Path:
    """A copy of the project's code in `work`/code, used by every build of this run."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    code.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules")
    for name in CODE_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, code / name, ignore=ignore, symlinks=True)
        elif source.is_file():
            shutil.copy2(source, code / name)
    return code


def count_documents(content: Path) -> int:
    return sum(1 for _ in content.rglob("*.md"))


def ours_env(code: Path | None = None) -> dict[str, str]:
    """The environment of our builds; with `code`, they import that copy of the package."""
    env = {**os.environ, "MEMBERS_PASSWORD": PASSWORD}
    if code is not None:  # ahead of the installed (editable) package on the import path
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH", "")]))
    return env


BUILD = ["-m", "foreningssajt.cli.build"]  # as make html runs it
WITHOUT_AUDIT = [str(BENCH / "no_audit.py")]  # the same build without the leak audit, for its cost only


def build_ours(
    name: str, site: Path, work: Path, code: Path, *options: str, profile: Path | None = None, entry: list[str] = BUILD
) -> Run:
    stats_file = work / f"stats-{_file_name(name)}.json"
    stats_file.unlink(missing_ok=True)
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    build = [*entry, "--root", str(site), "--output", str(work / "ours")]
    command = [sys.executable, *profiler, *build, "--stats", str(stats_file), *options]
    log = work / f"log-{_file_name(name)}.txt"
    wall, cpu, rss, code = measured(command, ours_env(code), log)
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    text = log.read_text(errors="replace")
    return Run(name, wall, cpu, rss, count_documents(site / "content"), code == 0, stats, text)


@dataclass
class AuditCost:
    """Cold builds with and without the leak audit, alternately: the medians and their difference."""

    with_audit: list[Run]
    without: list[Run]

    @property
    def wall_with(self) -> float:
        return statistics.median(run.wall for run in self.with_audit)

    @property
    def wall_without(self) -> float:
        return statistics.median(run.wall for run in self.without)

    @property
    def share(self) -> float:
        return (self.wall_with - self.wall_without) / self.wall_with

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.with_audit) - statistics.median(r.cpu for r in self.without)


def audit_cost(site: Path, work: Path, code: Path, pairs: int) -> AuditCost:
    cost = AuditCost([], [])
    for number in range(pairs):
        print(f"Leak audit's cost: cold build with and without it, pair {number + 1} of {pairs} ...", flush=True)
        for runs, name, entry in (
            (cost.with_audit, "ours cold, audit pair", BUILD),
            (cost.without, "ours cold without audit", WITHOUT_AUDIT),
        ):
            shutil.rmtree(site / ".cache", ignore_errors=True)
            shutil.rmtree(work / "ours", ignore_errors=True)
            # The removal's own disk work would otherwise slow the build's writing.
            os.sync()
            runs.append(build_ours(name, site, work, code, entry=entry))
    return cost


def audit_cost_text(cost: AuditCost, cold: Run) -> str:
    audit_cpu = cold.stage("audit_cpu")
    lines = [
        f"Leak audit's cost (issue 11): cold builds with and without it, {len(cost.with_audit)} pairs, alternating",
        f"with the audit: median {cost.wall_with:.2f} s; without: median {cost.wall_without:.2f} s; "
        f"difference {cost.wall_with - cost.wall_without:.2f} s = {cost.share:.0%} of the cold build "
        f"(CPU {cost.cpu:.2f} s more)",
        f"the audit step's own time in the first cold build: {cold.phases()['audit']:.2f} s "
        f"({cold.phases()['audit'] / cold.wall:.0%}); its process's CPU: "
        + (f"{audit_cpu:.2f} s" if audit_cpu else "not measured (the audit ran in the build's process)"),
    ]
    return "\n".join(lines)


def build_plain(site: Path, work: Path) -> Run:
    command = [sys.executable, "-m", "pelican", str(site / "content"), "-s", str(BENCH / "pelicanconf.py")]
    command += ["-o", str(work / "plain")]
    log = work / "log-plain.txt"
    wall, cpu, rss, code = measured(command, dict(os.environ), log)
    documents = count_documents(site / "content")
    return Run("plain Pelican", wall, cpu, rss, documents, code == 0, log=log.read_text(errors="replace"))


def _file_name(name: str) -> str:
    return re.sub(r"\W+", "-", name).strip("-")


def append_to_post(site: Path, index: int, text: str) -> None:
    post = sorted((site / "content" / "posts").glob("*.md"))[index]
    with post.open("a", encoding="utf-8") as stream:
        stream.write(f"\n{text}\n")


def retitle_post(site: Path, index: int) -> None:
    post = sorted((site / "content" / "posts").glob("*.md"))[index]
    text = post.read_text(encoding="utf-8")
    post.write_text(re.sub(r"(?m)^title: .*$", "title: En ny rubrik efter första bygget", text, count=1), "utf-8")


def sizes_for(documents: int) -> Sizes:
    """generate.py's mix of kinds, scaled to about `documents` Markdown files."""
    total = MIX.posts + MIX.reports + MIX.events + MIX.plans + MIX.protected + MIX.pages
    f = documents / total
    return Sizes(
        posts=max(1, round(MIX.posts * f)),
        reports=max(2, 2 * round(MIX.reports * f / 2)),
        events=max(1, round(MIX.events * f)),
        series=max(1, round(MIX.series * f)),
        plans=MIX.plans,
        protected=max(2, round(MIX.protected * f)),
        attachments=max(1, round(MIX.attachments * f)),
        attachment_kb=MIX.attachment_kb,
        pages=MIX.pages,
    )


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


# ---- the report ---------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def builds_table(runs: list[Run], plain: Run, cold: Run) -> str:
    rows = [
        [
            r.name,
            r.mode if r is not plain else "-",
            f"{r.wall:.2f}",
            f"{r.cpu:.2f}",
            f"{r.peak_rss_mb:.0f}",
            f"{r.wall / plain.wall:.2f}x",
            f"{r.cpu / plain.cpu:.2f}x",
            f"{r.peak_rss_mb / plain.peak_rss_mb:.2f}x",
            f"{r.wall / cold.wall:.2f}x",
        ]
        for r in runs
    ]
    headers = ["build", "mode", "wall s", "CPU s", "peak RSS MB", "wall/plain", "CPU/plain", "RSS/plain", "wall/cold"]
    return table(headers, rows)


def phases_table(runs: list[Run], plain: Run) -> str:
    rows = []
    for phase in PHASES:
        cells = [phase]
        for run in runs:
            seconds = run.phases()[phase]
            cells.append(f"{seconds:.2f} ({seconds / plain.wall:.2f}x)")
        rows.append(cells)
    return table(["phase: s (share of plain's wall)", *[r.name for r in runs]], rows)


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares seconds per 1,000 documents."""
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return 1000 * sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else float("nan")


def scale_table(points: list[tuple[Run, Run]]) -> str:
    rows = [
        [
            str(p.documents),
            f"{p.wall:.2f}",
            f"{o.wall:.2f}",
            f"{o.wall / p.wall:.2f}x",
            f"{p.cpu:.2f}",
            f"{o.cpu:.2f}",
            f"{o.cpu / p.cpu:.2f}x",
        ]
        for p, o in points
    ]
    # CPU seconds are steadier than wall seconds on a shared machine; both slopes are shown.
    wall = [slope([(r.documents, r.wall) for r in runs]) for runs in zip(*points, strict=True)]
    cpu = [slope([(r.documents, r.cpu) for r in runs]) for runs in zip(*points, strict=True)]
    rows.append(
        [
            "s per 1,000 documents",
            f"{wall[0]:.2f}",
            f"{wall[1]:.2f}",
            f"{wall[1] / wall[0]:.2f}x",
            f"{cpu[0]:.2f}",
            f"{cpu[1]:.2f}",
            f"{cpu[1] / cpu[0]:.2f}x",
        ]
    )
    headers = ["documents", "plain wall s", "ours cold wall s", "wall/plain", "plain CPU s", "ours CPU s", "CPU/plain"]
    return table(headers, rows)


def goal_rows(
    plain: Run, cold: Run, unchanged: Run, edits: EditTimes | None, article: int | None, cost: AuditCost | None
) -> list[list[str]]:
    peak = max(cold.peak_rss_mb, unchanged.peak_rss_mb)
    levels = _access_levels()
    derivations = cold.stats.get("counts", {}).get("key_derivations")
    ratio, rss, nochange = cold.wall / plain.wall, peak / plain.peak_rss_mb, unchanged.wall / cold.wall
    # What the audit costs is the build without it (its reading overlaps the rest); with
    # --audit-pairs 0, the time of its own step stands in.
    if cost is not None:
        audit = cost.share
        audit_figure = f"{audit:.0%} ({cost.wall_with - cost.wall_without:.2f} s, with - without)"
    else:
        audit = cold.phases()["audit"] / cold.wall
        audit_figure = f"{audit:.0%} ({cold.phases()['audit']:.2f} s, its step)"
    rows = [
        ("cold make html (search, audit) <= 1.0x plain Pelican", f"{ratio:.2f}x ({cold.wall:.1f} s)", ratio <= 1.0),
        ("cold make html using both cores <= 0.6x plain Pelican", f"{ratio:.2f}x", ratio <= 0.6),
        ("no-change rebuild <= 0.2x cold", f"{nochange:.2f}x ({unchanged.wall:.2f} s)", nochange <= 0.2),
        (
            "leak audit <= 10 % of the cold build (issue 11)",
            audit_figure,
            audit <= 0.1,
        ),
        ("peak RSS <= 1.5x plain Pelican", f"{rss:.2f}x ({peak:.0f} MB)", rss <= 1.5),
        (
            f"key derivations per cold build = access levels ({levels})",
            "not counted" if derivations is None else str(derivations),
            derivations == levels,
        ),
    ]
    if edits is not None:
        figure = f"median {edits.median:.2f} s of {len(edits.seconds)}" + (
            f", {edits.failed} failed" if edits.failed else ""
        )
        rows.insert(2, (f"edit-to-browser <= 1 s at {cold.documents} documents", figure, edits.median <= 1.0))
    page = "no article page" if article is None else f"{article / 1024:.1f} KB"
    rows.append(("public article page < 40 KB (HTML+CSS+JS)", page, article is not None and article < 40 * 1024))
    return [[name, figure, "met" if met else "NOT MET"] for name, figure, met in rows]


def _load() -> str:
    # Wall times mean little on a busy machine; CPU times and this say how busy it was.
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


# ---- the runs -------------------------------------------------------------------------


def main_builds(site: Path, work: Path, code: Path, profile: bool) -> list[Run]:
    """Plain Pelican, then ours: cold, nothing changed, a body edit, a title edit."""
    shutil.rmtree(site / ".cache", ignore_errors=True)
    shutil.rmtree(work / "ours", ignore_errors=True)
    print("Building: plain Pelican ...", flush=True)
    plain = build_plain(site, work)
    print("Building: ours, cold ...", flush=True)
    cold = build_ours("ours cold", site, work, code, profile=work / "cold.prof" if profile else None)
    print("Building: ours, nothing changed ...", flush=True)
    unchanged = build_ours("ours, nothing changed", site, work, code)
    append_to_post(site, 0, "En mening till, skriven efter första bygget.")
    print("Building: ours, after a post's body changed ...", flush=True)
    body = build_ours("ours, one body edited", site, work, code)
    retitle_post(site, 1)
    print("Building: ours, after a post's title changed ...", flush=True)
    title = build_ours("ours, one title edited", site, work, code)
    return [plain, cold, unchanged, body, title]


def scale_points(sizes: list[int], main: tuple[Run, Run], work: Path, code: Path, seed: int) -> list[tuple[Run, Run]]:
    points = [main]
    for documents in sizes:
        if abs(documents - main[0].documents) < 0.05 * documents:
            continue  # the main site is this size already
        site = work / f"site-{documents}"
        print(f"Scaling: {documents} documents, plain Pelican and ours cold ...", flush=True)
        generate(site, sizes_for(documents), seed)
        scale_work = work / f"scale-{documents}"
        scale_work.mkdir(exist_ok=True)
        points.append((build_plain(site, scale_work), build_ours("ours cold", site, scale_work, code)))
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(scale_work / "ours", ignore_errors=True)
        shutil.rmtree(scale_work / "plain", ignore_errors=True)
    return sorted(points, key=lambda point: point[0].documents)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark this project against plain Pelican.")
    parser.add_argument("--workdir", type=Path, default=BENCH / "out", help="where the sites and outputs go")
    parser.add_argument("--documents", type=int, default=800, help="size of the main site (generate.py's mix)")
    parser.add_argument("--scale", default="800,2000,5000", help="sizes for the growth table ('' for none)")
    parser.add_argument("--edits", type=int, default=10, help="single-file edits timed in the dev server (0: none)")
    parser.add_argument("--profile", action="store_true", help="run the cold build under cProfile")
    parser.add_argument(
        "--audit-pairs", type=int, default=3, help="cold builds with and without the leak audit, each (0: none)"
    )
    add_size_arguments(parser)
    for action in parser._actions:  # size options override --documents only when given
        if action.dest in vars(Sizes()):
            action.default = None
    return parser.parse_args(argv)


def main_sizes(args: argparse.Namespace) -> Sizes:
    sizes = sizes_for(args.documents)
    for name in vars(Sizes()):
        if getattr(args, name) is not None:
            setattr(sizes, name, getattr(args, name))
    return sizes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.workdir.resolve()
    site = work / "site"
    work.mkdir(parents=True, exist_ok=True)
    print(f"Generating the site in {site} ...", flush=True)
    generate(site, main_sizes(args), args.seed)
    code = snapshot_code(work)
    runs = main_builds(site, work, code, args.profile)
    failed = [run for run in runs if not run.ok]
    for run in failed:
        print(f"\n{run.name} FAILED; its log ends:\n{run.log[-3000:]}", file=sys.stderr)
    if failed:
        return 1
    plain, cold, unchanged, body, title = runs
    article = first_article_page(work / "ours")
    article_bytes = page_weight(work / "ours", article) if article else None
    edits = None
    if args.edits:
        print(f"Dev server: {args.edits} single-file edits ...", flush=True)
        edits = measure(site, code, args.edits, work / "log-devserver.txt", ours_env(code))
    cost = audit_cost(site, work, code, args.audit_pairs) if args.audit_pairs else None
    if cost is not None and not all(run.ok for run in cost.with_audit + cost.without):
        print("A build of the audit's cost FAILED; see the logs in the work folder.", file=sys.stderr)
        return 1
    sizes = [int(s) for s in args.scale.split(",") if s.strip()]
    points = scale_points(sizes, (plain, cold), work, code, args.seed) if sizes else [(plain, cold)]

    sections = [
        f"{cold.documents} documents (Markdown files, public and protected); load average {_load()}",
        builds_table(runs, plain, cold),
        "Phases (seconds, and as a share of plain Pelican's wall time)\n"
        + phases_table([cold, unchanged, body, title], plain),
    ]
    if edits is not None:
        shown = ", ".join(f"{s:.2f}" for s in sorted(edits.seconds))
        sections.append(f"Edit-to-browser in make devserver (save until the reloaded page has the edit): {shown} s")
    if cost is not None:
        sections.append(audit_cost_text(cost, cold))
    sections.append("Growth (plain Pelican and ours cold at each size)\n" + scale_table(points))
    sections.append(
        "Goals (issue 14)\n"
        + table(["goal", "measured", "result"], goal_rows(plain, cold, unchanged, edits, article_bytes, cost))
    )
    text = "\n\n".join(sections) + "\n"
    print("\n" + text)
    (work / "results.txt").write_text(text, encoding="utf-8")
    if args.profile:
        print("Cold build under cProfile (its times are inflated by the profiler):")
        pstats.Stats(str(work / "cold.prof")).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
