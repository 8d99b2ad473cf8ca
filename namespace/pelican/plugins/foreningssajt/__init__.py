"""Föreningssajt as a Pelican namespace plugin: PLUGINS = ["foreningssajt"]."""

from foreningssajt.plugin import register

__all__ = ["register"]
