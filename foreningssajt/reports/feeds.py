"""Atom feeds of reports: all of them, and one per committee.

Feed readers fetch a feed on its own, far from the site, so every link is absolute
and based on the published address (PUBLISH_SITEURL) even in a development build,
and each entry carries the whole report.
"""

from __future__ import annotations

from pathlib import Path

from feedgenerator import Atom1Feed, get_tag_uri

from .grouping import Report, newest_first


def report_feed(
    *,
    title: str,
    site_url: str,
    page_url: str,
    feed_url: str,
    reports: list[Report],
    people: dict[str, dict],
    limit: int | None = None,
    language: str | None = None,
) -> Atom1Feed:
    """An Atom feed of the newest reports (all if limit is None); URLs are site-relative paths."""
    feed = Atom1Feed(
        title=title,
        link=f"{site_url}/{page_url}",
        feed_url=f"{site_url}/{feed_url}",
        description="",
        language=language,
    )
    for report in newest_first(reports)[:limit]:
        link = f"{site_url}/{report.url}"
        author = str(report.author)
        feed.add_item(
            title=report.title,
            link=link,
            unique_id=get_tag_uri(link, report.date),
            description=report.metadata.get("summary") or None,
            content=report.get_content(site_url),
            author_name=people.get(author, {}).get("name", author),
            pubdate=report.date,
            updateddate=getattr(report, "modified", None),
            categories=[report.committee_name] if getattr(report, "committee_name", None) else None,
        )
    return feed


def write_feed(feed: Atom1Feed, output_path: str | Path, feed_url: str) -> None:
    path = Path(output_path) / feed_url
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        feed.write(out, "utf-8")
