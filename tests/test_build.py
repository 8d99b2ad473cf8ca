"""The demo site builds, and every public content type reaches its page."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import yaml

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"


def header(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def html(output: Path, url_path: str) -> str:
    return (output / url_path / "index.html").read_text(encoding="utf-8")


def test_every_post_has_its_page_with_title_and_swedish_date(demo_output: Path) -> None:
    posts = sorted((CONTENT / "posts").glob("*.md"))
    assert len(posts) >= 6
    for source in posts:
        meta = header(source)
        year = str(meta["date"])[:4]
        page = html(demo_output, f"nyheter/{year}/{source.stem}")
        assert "<h1>" in page
        months = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
        assert re.search(rf"<time datetime=\"{year}-\d\d-\d\d[^\"]*\"[^>]*>\d+ ({months}) {year}</time>", page)


def test_every_page_and_plan_is_written(demo_output: Path) -> None:
    pages = sorted((CONTENT / "pages").glob("*.md"))
    assert len(pages) >= 3
    for source in pages:
        assert header(source)["title"].split()[0] in html(demo_output, source.stem)
    plans = sorted((CONTENT / "plans").glob("*.md"))
    assert len(plans) >= 2
    for source in plans:
        page = html(demo_output, f"verksamhetsplan/{header(source)['year']}")
        assert 'class="toc"' in page, "a plan has a table of contents"
        assert page.count("<h2 id=") >= 3, "a plan's sections are headings"


def test_pages_are_swedish_with_canonical_and_open_graph(demo_output: Path) -> None:
    page = html(demo_output, "om-oss")
    assert '<html lang="sv">' in page
    assert '<link rel="canonical" href="https://bjorkvik.example.org/om-oss/">' in page
    for prop in ("og:title", "og:url", "og:site_name", "og:locale"):
        assert f'property="{prop}"' in page
    assert page.count("<h1") == 1


def test_swedish_typography_in_body_and_title(demo_output: Path) -> None:
    bodies = " ".join(p.read_text(encoding="utf-8") for p in demo_output.glob("nyheter/*/*/index.html"))
    assert "&rdquo;" in bodies or "”" in bodies, "straight quotes become Swedish ” quotes"
    assert "&ldquo;" not in bodies and "“" not in bodies, "never the English opening quote"
    assert "&ndash;" in bodies or "–" in bodies


def test_published_news_feed_has_absolute_links(published_output: Path) -> None:
    feed = feedparser.parse((published_output / "nyheter.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == len(list((CONTENT / "posts").glob("*.md")))
    assert all(entry.link.startswith("https://bjorkvik.example.org/nyheter/") for entry in feed.entries)
    home = (published_output / "index.html").read_text(encoding="utf-8")
    assert 'href="https://bjorkvik.example.org/theme/css/site.css"' in home


def test_sitemap_robots_and_404(demo_output: Path) -> None:

    sitemap = (demo_output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://bjorkvik.example.org/om-oss/</loc>" in sitemap
    assert "/medlem/" not in sitemap
    assert "404" not in sitemap
    robots = (demo_output / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://bjorkvik.example.org/sitemap.xml" in robots
    not_found = (demo_output / "404.html").read_text(encoding="utf-8")
    assert 'href="/"' in not_found, "the 404 page links home with an absolute path"


def test_every_page_links_home_calendar_reports_plan_members_and_contact(demo_output: Path) -> None:
    needed = ['href="/"', 'href="/kalender/"', 'href="/rapporter/"', 'href="/verksamhetsplan/"', 'href="/medlem/"']
    for page in demo_output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "<main" not in text:
            continue  # not a page of the site (e.g. an e-mail or a fragment)
        missing = [link for link in needed if link not in text]
        assert not missing, f"{page.relative_to(demo_output)} lacks {missing}"
        assert "mailto:" in text, f"{page.relative_to(demo_output)} lacks the contact address"


def test_site_yml_shows_on_the_site(demo_output: Path) -> None:
    site = yaml.safe_load((REPO / "site.yml").read_text(encoding="utf-8"))
    home = (demo_output / "index.html").read_text(encoding="utf-8")
    assert site["name"] in home
    assert site["colours"]["primary"] in home
    assert site["contact"]["email"] in home
    for item in site["menu"]:
        assert f'href="{item["url"]}"' in home
    for link in site["social"]:
        assert link["url"] in home
