"""Date filters for templates, on Babel: machines often lack the sv_SE locale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time


def date_filters(language: str, timezone: str) -> dict[str, Callable]:
    """Jinja filters that show dates the way the site's language writes them."""
    zone = ZoneInfo(timezone)

    def local(value: dt.datetime) -> dt.datetime:
        return value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)

    def date_filter(value: dt.date | dt.datetime, style: str = "long") -> str:
        if isinstance(value, dt.datetime):
            value = local(value).date()
        return format_date(value, style, locale=language)

    def datetime_filter(value: dt.datetime, style: str = "long") -> str:
        return format_datetime(local(value), style, tzinfo=zone, locale=language)

    def time_filter(value: dt.datetime, style: str = "HH:mm") -> str:
        return format_time(local(value), style, tzinfo=zone, locale=language)

    def iso_filter(value: dt.date | dt.datetime) -> str:
        return local(value).isoformat() if isinstance(value, dt.datetime) else value.isoformat()

    return {
        "format_date": date_filter,
        "format_datetime": datetime_filter,
        "format_time": time_filter,
        "isodate": iso_filter,
    }
