"""The ground floor: small helpers every concern uses. Imports nothing of the extension itself.

- ``as_list``: a list from what forms and API clients send (a list, a JSON list, comma-separated text);
- ``site_context``: the context in which the portal itself acts (jobs, harvesting, set-up): the site user;
- ``recorded``: what a background job recorded on a resource (a JSON object stored as text);
- ``portal_gettext`` and ``current_language``: text in the portal's language where there is no request;
- ``local_day``: the day of a stored UTC moment as people in Sweden read it, for text made outside a page.
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk

PACKAGE_DIR = os.path.dirname(__file__)
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def _empty(value: Any) -> bool:
    return value is None or value is tk.missing or (isinstance(value, str) and not value.strip()) or \
        (isinstance(value, (list, tuple)) and not value)


def as_list(value: Any) -> list[Any]:
    """A list from a list, a JSON list, or a comma-separated string (as forms and API clients send)."""
    if _empty(value):
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if not _empty(v)]
    text = str(value).strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
            if isinstance(loaded, list):
                return [v for v in loaded if not _empty(v)]
        except ValueError:
            pass
    return [part.strip() for part in text.split(",") if part.strip()]


def site_context(**extra: Any) -> dict[str, Any]:
    """A context acting as the site user (authorization skipped): for the portal's own work."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"], **extra}


def recorded(resource: dict[str, Any], field: str) -> dict[str, Any] | None:
    """What a background job recorded on a resource (a JSON object, stored as text), or None."""
    value = resource.get(field)
    if isinstance(value, str) and value:
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value or None


def current_language() -> str:
    try:
        return tk.h.lang() or "sv"
    except RuntimeError:  # outside a web request (CLI, jobs)
        return tk.config.get("ckan.locale_default") or "sv"


def portal_gettext(message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (default: the portal's default language), from CKAN's and the extension's
    catalogs, for text a job writes (a preview's title, a mail): a job has no request to take a language
    from, and CKAN's ``_`` leaves text untranslated there."""
    from babel.support import Translations

    import ckan

    locale = lang or tk.config.get("ckan.locale_default") or "en"
    if locale == "en":  # the messages are English
        return message
    translations = Translations.load(os.path.join(os.path.dirname(ckan.__file__), "i18n"), [locale], "ckan")
    ours = Translations.load(os.path.join(PACKAGE_DIR, "i18n"), [locale], "ckanext-kalmar_oppnadata")
    if isinstance(translations, Translations) and isinstance(ours, Translations):
        translations.merge(ours)
    return translations.gettext(message)


def local_day(moment: datetime | str, lang: str) -> str:
    """``3 mars 2026`` (``3 March 2026``): the day in Swedish local time, written as web/dates.py writes
    every date of the portal."""
    from ckanext.kalmar_oppnadata.web import dates

    return dates.local_text(dates.parse(moment), lang, LOCAL_TIME)
