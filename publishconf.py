"""Settings for the published site: real addresses, the news feed, strict members' password.

SITEURL is set from site.yml's url by plugins/siteconfig/settings.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
PUBLISHING = True
FEED_ALL_ATOM = "nyheter.atom"
