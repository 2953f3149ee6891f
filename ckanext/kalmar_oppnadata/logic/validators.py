"""Validators named in the scheming schemas (registered with ``toolkit.blanket.validators``).

Each takes a value and returns the canonical form, or raises ``Invalid`` with a message that
scheming shows at the field (Swedish in the Swedish UI, through the extension's translations).
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from .. import geometry, identifiers

__all__ = [
    "kalmar_orgnr",
    "kalmar_municipality_code",
    "kalmar_http_url",
    "kalmar_email",
    "kalmar_geonames_uri",
    "kalmar_extent",
]

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z]{2,}$")


def _empty(value: Any) -> bool:
    return value is None or value is tk.missing or (isinstance(value, str) and not value.strip())


def _canonical(func, value: Any) -> Any:
    if _empty(value):
        return ""
    try:
        return func(str(value))
    except identifiers.InvalidIdentifier as e:
        message = tk._(e.message)
        raise tk.Invalid(f"{message}: {e.detail}" if e.detail else message)


def kalmar_orgnr(value: Any) -> Any:
    """Organisationsnummer: ten digits with a valid Luhn check digit, stored as ``NNNNNN-NNNN``."""
    return _canonical(identifiers.canonical_orgnr, value)


def kalmar_municipality_code(value: Any) -> Any:
    """Kommunkod: four digits, kept as text (leading zero)."""
    return _canonical(identifiers.canonical_municipality_code, value)


def kalmar_geonames_uri(value: Any) -> Any:
    return _canonical(identifiers.canonical_geonames_uri, value)


def kalmar_extent(value: Any) -> Any:
    """A GeoJSON geometry or a bbox ``minx,miny,maxx,maxy``, stored as GeoJSON text."""
    return _canonical(lambda v: geometry.to_text(geometry.parse_extent(v)), value)


def kalmar_http_url(value: Any) -> Any:
    """An absolute http(s) address with a host and no spaces."""
    if _empty(value):
        return ""
    url = str(value).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise tk.Invalid(tk._("Give a full web address starting with https:// or http://"))
    return url


def kalmar_email(value: Any) -> Any:
    if _empty(value):
        return ""
    email = str(value).strip()
    if email.lower().startswith("mailto:"):
        email = email[len("mailto:"):]
    if not _EMAIL.match(email) or len(email) > 254:
        raise tk.Invalid(tk._("Give an e-mail address like namn@kommun.se"))
    return email
