"""Settings for the published site: real addresses and strict members' password."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

SITEURL = PUBLISH_SITEURL  # noqa: F405
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
PUBLISHING = True
FEED_ALL_ATOM = "nyheter.atom"
