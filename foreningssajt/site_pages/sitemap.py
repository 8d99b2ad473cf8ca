"""sitemap.xml and robots.txt, made from what the build actually wrote.

Walking output/ rather than the generators' lists means every plugin's pages are
included without each one registering them, and the members' area (never public
text, only ciphertext) is left out by its folder.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from foreningssajt.siteconfig.publication import MEMBERS_URL

# The members' area (ciphertext only), theme files, the search bundle and the web editor (noindex).
PRIVATE_PREFIXES = (MEMBERS_URL, "theme/", "pagefind/", "admin/")
NOT_LISTED = {"404.html"}


def public_pages(output: Path) -> list[str]:
    """URL paths of the public HTML pages, sorted, with index.html folded away."""
    urls = []
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        if relative in NOT_LISTED or relative.startswith(PRIVATE_PREFIXES):
            continue
        urls.append(relative.removesuffix("index.html"))
    return sorted(urls)


def sitemap_xml(site_url: str, paths: list[str]) -> str:
    entries = "".join(f"<url><loc>{escape(site_url)}/{escape(path)}</loc></url>\n" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nDisallow: /{MEMBERS_URL}\nSitemap: {site_url}/sitemap.xml\n"


def write_site_files(output: Path, site_url: str) -> None:
    (output / "sitemap.xml").write_text(sitemap_xml(site_url, public_pages(output)), encoding="utf-8")
    (output / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
