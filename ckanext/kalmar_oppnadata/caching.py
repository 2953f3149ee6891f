"""Serving an unchanged catalog or overview without building it again.

Building the complete catalog of 10,000 datasets takes minutes and the public overview seconds
(bench/RESULTS.md), while both change only when what they show changes. Each is therefore kept under a
*fingerprint* of everything it is made from:

- the public, active datasets it covers: how many, and the newest ``metadata_modified`` among them (one
  Solr query of no rows). Any save, publication, withdrawal or deletion changes one or the other: a
  dataset entering the public set is saved at that moment, so it becomes the newest; one leaving it
  lowers the count;
- the organizations as stored (they are the catalogs' publishers), read from the database;
- the site settings the documents use, and the extension's code and package data (profile, mapping,
  vocabularies, registers), so that a deployment or an edited register is seen at once.

Catalogs are kept as files in the storage directory (shared by every CKAN process, written atomically);
the anonymous overview in the process's memory. Private data never enters either: both are built from
what an anonymous visitor may see, and callers who may see more get a document built for them.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

import ckan.model as model
import ckan.plugins.toolkit as tk

PACKAGE = Path(__file__).resolve().parent
# What the documents are made by, besides the data: watched by modification time.
_SOURCES = ("catalog.py", "overview.py", "quality.py", "requested_datasets.py", "specifications.py",
            "organizations.py", "dcat", "vocabularies", "data", "schemas")
_SETTINGS = ("ckan.site_url", "ckan.site_title", "ckan.site_description", "ckanext.dcat.base_uri",
             "ckanext.kalmar_oppnadata.catalog_publisher", "ckan.locale_default")

_memory: dict[str, tuple[str, Any]] = {}
_memory_lock = threading.Lock()


def _public_state(fq: str) -> tuple[int, str]:
    result = tk.get_action("package_search")(
        {"user": "", "ignore_auth": True},
        {"q": "*:*", "fq": fq, "fq_list": ["-dataset_type:harvest"], "rows": 1, "sort": "metadata_modified desc",
         "fl": "metadata_modified", "include_private": False})
    newest = result["results"][0].get("metadata_modified", "") if result["results"] else ""
    return result["count"], newest


def _organizations_state() -> str:
    rows = (model.Session.query(model.Group.id, model.Group.name, model.Group.title, model.Group.description,
                                model.Group.image_url, model.Group.state, model.Group.extras)
            .filter(model.Group.is_organization.is_(True)).order_by(model.Group.id).all())
    return hashlib.sha256(json.dumps([list(r) for r in rows], default=str).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def _package_files_state() -> float:
    """The newest modification of the extension's code and package data, read once per process (a
    changed deployment starts new processes)."""
    newest = 0.0
    for name in _SOURCES:
        path = PACKAGE / name
        paths = path.rglob("*") if path.is_dir() else [path]
        for p in paths:
            try:
                newest = max(newest, p.stat().st_mtime)
            except OSError:
                continue
    return newest


def _code_state() -> str:
    newest = _package_files_state()
    register = tk.config.get("ckanext.kalmar_oppnadata.specifications_file")  # the region may edit it
    if register and os.path.isfile(register):
        newest = max(newest, os.path.getmtime(register))
    return f"{newest:.6f}"


def fingerprint(fq: str = "") -> str:
    """What a public document over the datasets matching ``fq`` is made from, as a short hash."""
    count, newest = _public_state(fq)
    parts = [fq, str(count), newest, _organizations_state(), _code_state(),
             *[str(tk.config.get(k) or "") for k in _SETTINGS]]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _directory() -> Path:
    directory = Path(tk.config.get("ckan.storage_path") or tempfile.gettempdir()) / "kalmar-cache"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def cached_file(name: str, key: str, build: Callable[[], str]) -> Path:
    """The file of document ``name`` for ``key``, built (and older versions of it removed) when missing."""
    directory = _directory()
    path = directory / f"{name}.{key}"
    if path.exists():
        return path
    body = build()
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(body)
    os.replace(tmp, path)
    for old in directory.glob(f"{name}.*"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass
    return path


def cached_value(name: str, key: str, build: Callable[[], Any]) -> Any:
    """``build()`` kept in this process's memory under ``name`` until ``key`` changes."""
    with _memory_lock:
        held = _memory.get(name)
    if held and held[0] == key:
        return held[1]
    value = build()
    with _memory_lock:
        _memory[name] = (key, value)
    return value
