"""Byte size and SHA-1 checksum of uploaded resource files (DCAT ``dcat:byteSize``, ``spdx:checksum``).

Computed from the upload stream before CKAN stores it, so it works whatever storage backend is used.
"""
from __future__ import annotations

import hashlib
from typing import Any

CHUNK = 1024 * 1024


def _stream(upload: Any):
    stream = getattr(upload, "stream", None) or getattr(upload, "file", None)
    return stream if stream is not None and hasattr(stream, "read") and hasattr(stream, "seek") else None


def record_checksum(resource: dict[str, Any]) -> None:
    """Set ``hash`` (SHA-1, hex) and ``size`` from the resource's upload, if it has one."""
    stream = _stream(resource.get("upload"))
    if stream is None:
        return
    sha1, size = hashlib.sha1(), 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        sha1.update(chunk)
        size += len(chunk)
    stream.seek(0)
    resource["hash"] = sha1.hexdigest()
    resource["size"] = size


def forget_stale_checksum(current: dict[str, Any], resource: dict[str, Any]) -> None:
    """A resource whose file is replaced by another link loses the old file's checksum and size."""
    if _stream(resource.get("upload")) is not None:
        return
    if resource.get("url") and resource.get("url") != current.get("url"):
        if resource.get("hash") == current.get("hash"):
            resource.pop("hash", None)
        if resource.get("size") == current.get("size"):
            resource.pop("size", None)
