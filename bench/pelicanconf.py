"""Plain Pelican 4.12 for comparison: its default theme, no plugins, default settings.

The benchmark builds the same Markdown with this: every folder, the members' area
included, as ordinary articles (nothing is encrypted), pages as pages.
"""

AUTHOR = "Bench"
SITENAME = "Plain Pelican"
SITEURL = ""
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
# Events and plans have no `date:`; plain Pelican takes the file's time instead.
DEFAULT_DATE = "fs"
ARTICLE_PATHS = ["posts", "reports", "events", "plans", "members"]
PAGE_PATHS = ["pages"]
# The minutes' attachments are copied as plain files, as our build copies them encrypted.
STATIC_PATHS = ["images", "members"]
PLUGINS: list[str] = []
DELETE_OUTPUT_DIRECTORY = True
