"""Reports and plan goals, built from the small fixture site tests/fixtures/reports/.

The fixture holds three committees (one without reports), a meeting with only a
before report, a before report published after its meeting (allowed), a plan with
goals (nested, before the first heading, uppercase X) and a plan without goals.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
import yaml
from browser import format_violations, record_external_requests, run_axe
from sitebuild import REPO, build_site, make_site

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "reports"
SITE_URL = "https://test.example.org"
REPORT_PAGES = [
    "rapporter/",
    "rapporter/ks/",
    "rapporter/tekn/",
    "rapporter/ks/2026-02-10-fore/",
    "rapporter/ks/2026-02-10-efter/",
    "rapporter/ks/2026-05-12-fore/",
    "rapporter/person/anna/",
]
PLAN_PAGES = ["verksamhetsplan/", "verksamhetsplan/2026/", "verksamhetsplan/2025/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once for this module (copied, so no cache lands in tests/)."""
    root = tmp_path_factory.mktemp("reports-site")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    shutil.copy(REPO / "members-salt.txt", root / "members-salt.txt")
    result = build_site(root, root / "output", search=False, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 0, result.stderr
    return root / "output"


def read_page(output: Path, url: str) -> str:
    return (output / url / "index.html").read_text(encoding="utf-8")


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


# ---- reports -------------------------------------------------------------------------


def test_committee_page_shows_meetings_newest_first_with_before_and_after(site: Path) -> None:
    html = main(read_page(site, "rapporter/ks"))
    assert "<h1>Kommunstyrelsen</h1>" in html
    meetings = re.findall(r'<section class="meeting" id="mote-([\d-]+)"', html)
    assert meetings == ["2026-05-12", "2026-02-10"]
    may, february = html.split('id="mote-2026-02-10"')
    assert "Inför KS i maj" in may and "Efterrapport saknas" in may
    assert february.index("Inför KS i februari") < february.index("Efter KS i februari")
    assert "saknas" not in february
    assert html.count("Efterrapport saknas") == 1


def test_committee_without_reports_has_a_page(site: Path) -> None:
    assert "Inga rapporter ännu." in main(read_page(site, "rapporter/tekn"))


def test_report_links_to_its_twin_committee_and_author(site: Path) -> None:
    before = main(read_page(site, "rapporter/ks/2026-02-10-fore"))
    after = main(read_page(site, "rapporter/ks/2026-02-10-efter"))
    assert 'href="/rapporter/ks/2026-02-10-efter/">Efter KS i februari</a>' in before
    assert 'href="/rapporter/ks/2026-02-10-fore/">Inför KS i februari</a>' in after
    for html in (before, after):
        assert 'href="/rapporter/ks/"' in html
        assert 'href="/rapporter/person/anna/">Anna Andersson</a>' in html
        assert "Kommunstyrelsen, sammanträdet 10 februari 2026" in html
    lonely = main(read_page(site, "rapporter/ks/2026-05-12-fore"))
    assert "Efterrapport saknas" in lonely
    assert "Detaljplanen för bussdepån." in before


def test_before_report_published_after_its_meeting_is_allowed(site: Path) -> None:
    html = main(read_page(site, "rapporter/bun/2026-03-18-fore"))
    assert "Inför mötet" in html and "publicerad sent" in html
    assert 'href="/rapporter/bun/2026-03-18-efter/"' in html


def test_reports_index_lists_latest_reports_committees_and_representatives(site: Path) -> None:
    html = main(read_page(site, "rapporter"))
    titles = re.findall(r'<h3 class="card-title"><a href="/rapporter/[^"]+/\d{4}-\d\d-\d\d-\w+/">([^<]+)</a>', html)
    # Newest written first; the late before report (20 March) comes before the after report (18 March).
    assert titles == [
        "Inför KS i maj",
        "Inför BUN i mars, publicerad sent",
        "Efter BUN i mars",
        "Efter KS i februari",
        "Inför KS i februari",
    ]
    committees = re.findall(r'<h3 class="card-title"><a href="/rapporter/(\w+)/">([^<]+)</a>', html)
    assert committees == [
        ("ks", "Kommunstyrelsen"),
        ("bun", "Barn- och utbildningsnämnden"),
        ("tekn", "Tekniska nämnden"),
    ]
    assert 'href="/rapporter/person/anna/">Anna Andersson</a>' in html
    assert 'href="/rapporter/person/bo/">Bo Berg</a>' in html
    assert 'href="/rapporter.atom"' in html


def test_person_pages_only_for_people_who_report(site: Path) -> None:
    anna = main(read_page(site, "rapporter/person/anna"))
    assert "<h1>Anna Andersson</h1>" in anna
    assert anna.count('<li class="card">') == 3
    assert not (site / "rapporter" / "person" / "cecilia").exists()


def parse_feed(site: Path, path: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / path).read_bytes())
    assert not feed.bozo, f"{path}: {feed.bozo_exception}"
    assert feed.version == "atom10"
    assert feed.feed.language == "sv"
    return feed


def test_feed_of_all_reports_has_absolute_links_and_full_content(site: Path) -> None:
    feed = parse_feed(site, "rapporter.atom")
    assert feed.feed.title == "Testföreningen – Politiska rapporter"
    assert feed.feed.link == f"{SITE_URL}/rapporter/"
    assert len(feed.entries) == 5
    first = feed.entries[0]
    assert first.title == "Inför KS i maj"
    assert first.link == f"{SITE_URL}/rapporter/ks/2026-05-12-fore/"
    assert first.author == "Anna Andersson"
    assert all(e.link.startswith(f"{SITE_URL}/rapporter/") for e in feed.entries)
    assert len({e.id for e in feed.entries}) == 5
    february = next(e for e in feed.entries if e.title == "Inför KS i februari")
    assert "Detaljplanen för bussdepån." in february.content[0].value
    assert february.summary == "<p>Vi vill ha hyresrätter.</p>"
    assert february.published_parsed[:3] == (2026, 2, 6)


def test_committee_feeds_hold_only_their_committee(site: Path) -> None:
    ks = parse_feed(site, "rapporter/ks.atom")
    assert [e.link.removeprefix(SITE_URL) for e in ks.entries] == [
        "/rapporter/ks/2026-05-12-fore/",
        "/rapporter/ks/2026-02-10-efter/",
        "/rapporter/ks/2026-02-10-fore/",
    ]
    assert ks.feed.title == "Testföreningen – Kommunstyrelsen"
    assert len(parse_feed(site, "rapporter/bun.atom").entries) == 2
    assert parse_feed(site, "rapporter/tekn.atom").entries == []
    assert 'href="/rapporter/ks.atom"' in read_page(site, "rapporter/ks"), "the committee page offers its feed"


def report(title: str, committee: str, meeting: str, phase: str, date: str, author: str = "anna") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nauthor: {author}\ncommittee: {committee}\n"
        f"meeting: {meeting}\nphase: {phase}\n---\nText.\n"
    )


def test_mistakes_stop_the_build_with_one_line_each(tmp_path: Path) -> None:
    site_yml = (FIXTURE / "site.yml").read_text(encoding="utf-8")
    root = make_site(
        tmp_path / "site",
        {
            "reports/ok.md": report("Rätt", "ks", "2026-02-10", "before", "2026-02-01"),
            "reports/early.md": report("För tidig", "ks", "2026-02-10", "after", "2026-02-09 18:00"),
            "reports/a-first.md": report("Först", "bun", "2026-03-18", "after", "2026-03-19"),
            "reports/b-second.md": report("Andra", "bun", "2026-03-18", "after", "2026-03-20"),
            "reports/who.md": report("Vem", "ks", "2026-02-10", "before", "2026-02-01", author="okand"),
            "reports/where.md": report("Var", "fullmakt", "2026-02-10", "before", "2026-02-01"),
            "reports/when.md": report("När", "ks", "2026-02-10", "during", "2026-02-01"),
        },
        site_yml=site_yml,
    )
    result = build_site(root, tmp_path / "out", search=False, env={"MEMBERS_PASSWORD": None})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    expected = {
        "content/reports/early.md: date: 2026-02-09 är före sammanträdet (2026-02-10)": 1,
        "content/reports/b-second.md: phase: content/reports/a-first.md är redan efter-rapporten": 1,
        "content/reports/who.md: author: ”okand” finns inte bland people i site.yml": 1,
        "content/reports/where.md: committee: ”fullmakt” finns inte bland committees i site.yml": 1,
        "content/reports/when.md: phase: ”during” går inte att välja; skriv något av: before, after": 1,
    }
    for start, count in expected.items():
        assert sum(line.startswith(start) for line in lines) == count, f"{start!r} not once in:\n{result.stderr}"
    assert not any("ok.md" in line or "a-first.md:" in line.split(" ")[0] for line in lines)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "a failed build writes nothing"


def test_demo_site_publishes_every_report(demo_output: Path) -> None:
    sources = sorted((REPO / "content" / "reports").glob("*.md"))
    assert len(sources) >= 14
    only_before = 0
    for source in sources:
        meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
        slug = "fore" if meta["phase"] == "before" else "efter"
        html = read_page(demo_output, f"rapporter/{meta['committee']}/{meta['meeting']}-{slug}")
        assert meta["title"].split(" -- ")[0] in html
        only_before += "Efterrapport saknas" in html
    assert only_before >= 1, "the demo has a meeting with only a before report"
    assert len(feedparser.parse((demo_output / "rapporter.atom").read_bytes()).entries) >= 14


# ---- plans -----------------------------------------------------------------------------


def test_plan_shows_year_and_section_progress(site: Path) -> None:
    html = main(read_page(site, "verksamhetsplan/2026"))
    year = html.split('<section class="plan-progress"', 1)[1].split("</section>", 1)[0]
    assert "3 av 6 mål genomförda" in year
    assert '<progress max="6" value="3" aria-hidden="true">' in year
    assert re.search(
        r'<h2 id="organisering">Organisering</h2>\s*<p class="goal-progress">.*2 av 4 mål genomförda', html
    )
    assert re.search(r'<h2 id="kommunikation">Kommunikation</h2>\s*<p class="goal-progress">.*0 av 1 mål', html)
    assert re.search(r'<h2 id="fest">Fest</h2>\s*<p>Inga mål här.</p>', html), "no bar for a section without goals"
    assert '<a href="#organisering">Organisering</a> <span class="toc-count">(2 av 4 mål)</span>' in html
    assert html.count('class="goal goal-done"') == 3 and html.count('class="goal goal-open"') == 3
    assert "En vanlig punkt, inget mål" in html and "[x]" not in html and "[X]" not in html


def test_plan_without_goals_renders_without_bars(site: Path) -> None:
    html = main(read_page(site, "verksamhetsplan/2025"))
    assert "<h1>Verksamhetsplan 2025</h1>" in html
    assert "<progress" not in html and "goal" not in html


def test_plans_list_highlights_the_newest_plan_with_progress(site: Path) -> None:
    html = main(read_page(site, "verksamhetsplan"))
    current = html.split('<section class="card plan-current"', 1)[1].split("</section>", 1)[0]
    assert 'href="/verksamhetsplan/2026/"' in current and "3 av 6 mål genomförda" in current
    earlier = html.split("Tidigare år", 1)[1]
    assert 'href="/verksamhetsplan/2025/"' in earlier and "<progress" not in earlier
    assert 'href="/verksamhetsplan/" aria-current="page"' in read_page(site, "verksamhetsplan/2026")


# ---- accessibility (validity: tests/test_site_quality.py runs vnu over every demo page) ----


def test_report_and_plan_pages_pass_axe(site: Path, page, serve) -> None:
    base = serve(site)
    external = record_external_requests(page, base)
    problems = []
    for url in REPORT_PAGES + PLAN_PAGES:
        page.goto(f"{base}/{url}")
        violations = run_axe(page)
        if violations:
            problems.append(f"/{url}: {format_violations(violations)}")
    assert not problems, "\n".join(problems)
    assert external == []
