"""Checking one linked address: HEAD, or a small ranged GET when the server refuses HEAD.

The result is what the resource records (``link_check``, a JSON object): ``status`` ``ok`` or ``broken``,
the ``problem`` when broken (``http_error``, ``timeout``, ``refused`` — a private address or too many
redirects —, ``connection``, ``wrong_type``), the HTTP code, when it was checked, the content type and size the server
gave, and the address that answered. ``wording`` turns it into text for people.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import requests

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.files import fetch

RANGE_BYTES = 1024
HEAD_REFUSED = {403, 405, 501}  # servers that answer GET but not HEAD say one of these
GENERIC_TYPES = {"application/octet-stream", "binary/octet-stream", "application/download",
                 "application/force-download", "application/x-download"}
# Media types that servers commonly give for the same kind of file.
SAME_KIND = [
    {"text/csv", "text/plain", "application/csv", "text/comma-separated-values", "application/vnd.ms-excel"},
    {"application/json", "text/json", "text/plain", "application/geo+json"},
    {"application/geo+json", "application/vnd.geo+json", "application/json"},
    {"application/xml", "text/xml"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel",
     "application/zip"},
]
HTML = {"text/html", "application/xhtml+xml"}


def timeout_seconds() -> int:
    return tk.config.get("ckanext.kalmar_oppnadata.link_check_timeout")


def _media_type(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()


def wrong_type(expected: str | None, given: str | None) -> bool:
    """Whether ``given`` (the server's Content-Type) cannot be the ``expected`` media type: an HTML page
    instead of data (an error or log-in page answering 200), or another kind of file."""
    expected, given = _media_type(expected), _media_type(given)
    if not expected or not given or given in GENERIC_TYPES or given == expected:
        return False
    if given in HTML:
        return expected not in HTML
    return not any(expected in kind and given in kind for kind in SAME_KIND)


def _now() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def check(url: str, expected_type: str | None = None) -> dict[str, Any]:
    """Check ``url`` now; never raises for what the address does."""
    result: dict[str, Any] = {"url": url, "checked_at": _now()}
    seconds = timeout_seconds()
    timeout = (min(5, seconds), seconds)
    try:
        answer = fetch.fetch(url, limit=0, method="HEAD", timeout=timeout)
        if answer.status in HEAD_REFUSED:
            answer = fetch.fetch(url, limit=RANGE_BYTES, headers={"Range": f"bytes=0-{RANGE_BYTES - 1}"},
                                 timeout=timeout)
    except fetch.AddressRefused as error:
        return {**result, "status": "broken", "problem": "refused", "detail": {"sv": error.sv, "en": error.en}}
    except requests.Timeout:
        return {**result, "status": "broken", "problem": "timeout", "detail": str(seconds)}
    except requests.RequestException as error:
        return {**result, "status": "broken", "problem": "connection", "detail": type(error).__name__}
    content_type = _media_type(answer.headers.get("Content-Type"))
    size = answer.headers.get("Content-Length") if answer.status == 200 else None
    if answer.status == 206:
        size = (answer.headers.get("Content-Range") or "").rpartition("/")[2] or None
    result.update(http_status=answer.status, content_type=content_type or None,
                  size=int(size) if size and size.isdigit() else None, final_url=answer.url)
    if answer.status >= 400:
        return {**result, "status": "broken", "problem": "http_error", "detail": str(answer.status)}
    if wrong_type(expected_type, content_type):
        return {**result, "status": "broken", "problem": "wrong_type", "detail": content_type,
                "expected": _media_type(expected_type)}
    return {**result, "status": "ok"}
