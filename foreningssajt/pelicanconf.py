"""Pelican settings for a development build, the same for every site.

What depends on the site folder or on site.yml (PATH, CACHE_PATH, SITENAME, VENUES, ...)
is added by foreningssajt/siteconfig/settings.py when the build starts (foreningssajt/cli/build.py).
"""

from pathlib import Path

from foreningssajt.content_rules.markdown_setup import pelican_markdown

PACKAGE = Path(__file__).resolve().parent

THEME = str(PACKAGE / "theme")
SITEURL = ""
RELATIVE_URLS = False

# Protected content lives in content/members/ and must never reach a public
# generator: only the members plugin reads it (DESIGN.md, "Architecture").
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "files"]
ARTICLE_EXCLUDES = ["members"]
PAGE_EXCLUDES = ["members"]
IGNORE_FILES = [".#*", "*~", ".*.swp"]
MEMBERS_PATH = "members"

# One plugin registers every part in a fixed order (foreningssajt/plugin.py). Explicit:
# unset, Pelican would load every installed pelican.plugins.* package.
PLUGINS = ["foreningssajt"]
# The sitemap, the search index and the leak audit run after Pelican, in the order
# foreningssajt/cli/build.py lists them; they are steps of the build, not plugins.

# Autoescape: titles are typed by volunteers; HTML from Markdown is marked |safe in templates.
# auto_reload off: a build is one process, so every {% include %} need not stat its template again.
JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "auto_reload": False,
}

# The one Markdown configuration (extensions, typography) lives in the reader's plugin.
MARKDOWN = pelican_markdown()

# URLs in Swedish, stable, with no date-less title clashes.
ARTICLE_URL = "nyheter/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
INDEX_SAVE_AS = "nyheter/index.html"
INDEX_URL = "nyheter/"
HOME_SAVE_AS = "index.html"
ARCHIVES_URL = "nyheter/arkiv/"
ARCHIVES_SAVE_AS = "nyheter/arkiv/index.html"
TAG_URL = "nyheter/amne/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_SAVE_AS = "nyheter/amne/index.html"
# One category, no authors pages: the association is one voice.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DEFAULT_CATEGORY = "nyheter"
USE_FOLDER_AS_CATEGORY = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_PAGE_URL = ""
SLUGIFY_SOURCE = "basename"
SLUG_REGEX_SUBSTITUTIONS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]

DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/sida/{number}/", "{base_name}/sida/{number}/index.html"),
)
DIRECT_TEMPLATES = ["home", "index", "archives", "tags", "404"]
PAGINATED_TEMPLATES = {"index": None, "tag": None}
TEMPLATE_PAGES = {}
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# Pelican's news feed needs the real SITEURL for its links, so publishconf turns it on.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 20

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# Plain pickles: gzip made saving the reader caches a fifth of a one-post rebuild, and
# the cache stays on this machine (.cache/), where size matters little.
GZIP_CACHE = False
CHECK_MODIFIED_METHOD = "mtime"
DELETE_OUTPUT_DIRECTORY = True

PUBLISHING = False
SUMMARY_MAX_PARAGRAPHS = 1
