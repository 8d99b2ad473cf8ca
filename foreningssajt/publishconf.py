"""Settings for the published site: real addresses, the news feed, strict members' password.

SITEURL is set from site.yml's url by foreningssajt/siteconfig/settings.py.
"""

from foreningssajt.pelicanconf import *  # noqa: F403

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
PUBLISHING = True
FEED_ALL_ATOM = "nyheter.atom"
