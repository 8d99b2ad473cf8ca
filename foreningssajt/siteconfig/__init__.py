"""site.yml: loading, validation and the settings it turns into.

Not a Pelican plugin (it has no register()): pelicanconf.py and the command-line
tools import it to read the association's facts.
"""

from .errors import SiteError
from .loader import load_site, settings_from_site

__all__ = ["SiteError", "load_site", "settings_from_site"]
