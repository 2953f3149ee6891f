"""The portal's licence list (``data/licenses.json``): CC0 1.0 and CC BY 4.0 first, exact CC URIs.

CKAN's licence register reads the same file (the plugin points ``licenses_group_url`` at it), so
``license_id`` values, their titles and ``license_url`` in the API all come from here.
"""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

DATA_FILE = "licenses.json"
DEFAULT_LICENSE = "CC0-1.0"


def data_path() -> str:
    return str(resources.files("ckanext.kalmar_oppnadata").joinpath("data", DATA_FILE))


@functools.cache
def licenses() -> tuple[dict[str, Any], ...]:
    with open(data_path(), encoding="utf-8") as f:
        return tuple(json.load(f))


@functools.cache
def _index() -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    for lic in licenses():
        for key in (lic["id"], lic["id"].lower(), lic["url"], lic["url"].rstrip("/"), lic.get("eu_licence")):
            if key:
                index[key] = lic
        # Variants harvested catalogs use: https, no trailing slash, legalcode/deed suffixes.
        base = lic["url"].replace("http://", "https://")
        for suffix in ("", "legalcode", "deed.sv", "deed.en"):
            index[base + suffix] = lic
            index[(base + suffix).rstrip("/")] = lic
    return index


def title(license_id: Any, lang: str) -> str | None:
    """The licence's name in the language (``title_en`` in English, else the Swedish ``title``)."""
    lic = find(license_id)
    if not lic:
        return None
    return (lic.get("title_en") if lang == "en" else None) or lic["title"]


def find(value: Any) -> dict[str, Any] | None:
    """The licence for an id, a CC URI (in its common variants) or an EU licence NAL URI."""
    text = str(value or "").strip()
    return _index().get(text) or _index().get(text.lower()) or _index().get(text.rstrip("/"))
