"""Dates and times as people in Sweden read them, in the portal's time zone (``ckan.display_timezone``,
Europe/Stockholm in the portal's settings): "30 november 2026 kl. 18:36" rather than CKAN's
"november 30, 2026, 17:36 (UTC)". Stored times stay UTC; only the display changes. The template helper
``render_datetime`` (web/helpers.py) uses this for every date CKAN and the extension show without a
format of their own."""
from __future__ import annotations

import datetime

from babel import dates as babel_dates

# Babel patterns per language: date only, with hours and minutes, with seconds.
PATTERNS = {"sv": ("d MMMM y", "d MMMM y 'kl.' HH:mm", "d MMMM y 'kl.' HH:mm:ss"),
            "en": ("d MMMM y", "d MMMM y, HH:mm", "d MMMM y, HH:mm:ss")}


def parse(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A datetime from CKAN's stored form (ISO text, naive = UTC) or a datetime; None if it is not one."""
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def local_text(value: datetime.datetime, language: str, zone: datetime.tzinfo,
               with_hours: bool = False, with_seconds: bool = False) -> str:
    """``value`` in the time zone ``zone``, written for the language (Swedish unless English is asked for)."""
    patterns = PATTERNS["en" if language == "en" else "sv"]
    pattern = patterns[2] if with_seconds else patterns[1] if with_hours else patterns[0]
    return babel_dates.format_datetime(value, pattern, tzinfo=zone, locale="en" if language == "en" else "sv")
