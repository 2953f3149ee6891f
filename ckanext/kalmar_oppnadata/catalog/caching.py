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

**When Solr is down** the fingerprint cannot be read nor a document built. The last kept version is then
served, marked stale (``Kept.stale``), but only if no dataset changed in the database since the build of
that version started (each kept version records the newest change it saw, as its file's time):
a dataset made private just before the outage must never be served from an older document. (While Solr is
down no dataset can change: CKAN indexes each save before it commits.) Without such a version the caller
gets ``SearchUnavailable``.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, NamedTuple

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SolrConnectionError

from ckanext.kalmar_oppnadata.common import PACKAGE_DIR

# What the documents are made by, besides the data: the whole extension (code, registers, vocabularies,
# schemas, shapes), watched by modification time. Wider than strictly needed, so that nothing that shapes a
# document can be missed; a deployment changes it anyway.
PACKAGE = Path(PACKAGE_DIR)
_SETTINGS = ("ckan.site_url", "ckan.site_title", "ckan.site_description", "ckanext.dcat.base_uri",
             "ckanext.kalmar_oppnadata.catalog_publisher", "ckan.locale_default")

_memory: dict[str, tuple[str, Any, float]] = {}  # name → (fingerprint, value, the data's state it shows)
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
    for path in PACKAGE.rglob("*"):
        if "__pycache__" in path.parts:
            continue
        try:
            newest = max(newest, path.stat().st_mtime)
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


class SearchUnavailable(Exception):
    """Solr cannot be reached and no kept version may be served instead."""


class Kept(NamedTuple):
    path: Path
    stale: bool  # served from before an outage of Solr


def _last_change() -> float:
    """When a dataset last changed in the database (POSIX seconds; 0 if none)."""
    newest = model.Session.execute(sa.text("SELECT max(metadata_modified) FROM package")).scalar()
    return newest.replace(tzinfo=datetime.timezone.utc).timestamp() if newest else 0.0


def _last_kept(directory: Path, name: str) -> Path | None:
    kept = [p for p in directory.glob(f"{name}.*") if p.is_file()]
    if not kept:
        return None
    newest = max(kept, key=lambda p: p.stat().st_mtime)
    return newest if newest.stat().st_mtime >= _last_change() else None


def cached_file(name: str, key: Callable[[], str], build: Callable[[], str]) -> Kept:
    """The file of document ``name`` for the fingerprint ``key()``, built (and older versions of it removed)
    when missing. With Solr down, the last kept version (see the module's notes)."""
    directory = _directory()
    try:
        data_state = _last_change()  # before the build: a change during it makes this version stale
        path = directory / f"{name}.{key()}"
        if path.exists():
            return Kept(path, False)
        body = build()
    except (SearchError, SolrConnectionError) as error:
        last = _last_kept(directory, name)
        if last is None:
            raise SearchUnavailable(str(error)) from error
        return Kept(last, True)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(body)
    os.utime(tmp, (data_state, data_state))  # the file says what state of the data it shows
    os.replace(tmp, path)
    for old in directory.glob(f"{name}.*"):
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass
    return Kept(path, False)


def cached_value(name: str, key: Callable[[], str], build: Callable[[], Any]) -> Any:
    """``build()`` kept in this process's memory under ``name`` until ``key()`` changes. With Solr down,
    the value last kept (if no dataset changed since), else ``SearchUnavailable``."""
    with _memory_lock:
        held = _memory.get(name)
    try:
        data_state = _last_change()
        current = key()
        if held and held[0] == current:
            return held[1]
        value = build()
    except (SearchError, SolrConnectionError) as error:
        if held and held[2] >= _last_change():
            return held[1]
        raise SearchUnavailable(str(error)) from error
    with _memory_lock:
        _memory[name] = (current, value, data_state)
    return value
