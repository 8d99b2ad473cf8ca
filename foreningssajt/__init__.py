"""Föreningssajt: a static site generator for association websites, on Pelican.

The package is also a Pelican plugin: `PLUGINS = ["foreningssajt"]` registers every
part in the order foreningssajt/plugin.py gives (installed from a wheel, Pelican finds
it as the namespace plugin pelican.plugins.foreningssajt as well).
"""

__version__ = "0.1.0"


def register() -> None:
    """Pelican's entry point; imports the parts only when Pelican asks for them."""
    from .plugin import register as register_parts

    register_parts()
