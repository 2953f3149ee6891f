"""Serving an unchanged catalog or overview without building it again.

Building the complete catalog of 10,000 datasets from nothing takes minutes and the public overview seconds
(bench/RESULTS.md), while both change only when what they show changes. Each is therefore kept under a
*fingerprint* of everything it is made from (a catalog is then assembled again from its kept per-dataset
parts, ``keeping``, of which only those a change touched are made again):

- the public, active datasets it covers: how many, and when the newest of them was indexed (``indexed_ts``,
  sent by ``search/indexing.index_time`` so that every Solr replica holds the same; one Solr query of one
  row). Any save, publication, withdrawal or deletion changes one or the other: a
  dataset entering the public set is indexed at that moment, so it becomes the newest; one leaving it
  lowers the count. What the portal's jobs record on a resource (``files/records.py``) is indexed too,
  without changing the dataset's ``metadata_modified``. The catalogs watch, instead of the index time,
  when a dataset's catalog digest last changed (``keeping.CHANGED_FIELD``), which those records leave as
  it was: they do not make a catalog be assembled again, while the overview, which shows them, follows them;
- the organizations as stored (they are the catalogs' publishers), read from the database;
- the site settings the documents use, and the extension's code and package data (profile, mapping,
  vocabularies, registers), so that a deployment or an edited register is seen at once.

Catalogs are kept as files in the storage directory (shared by every CKAN process, written atomically),
built by one process at a time (a PostgreSQL advisory lock per document: the others wait and serve what
it built); the anonymous overview in the process's memory. Private data never enters either: both are built from
what an anonymous visitor may see, and callers who may see more get a document built for them.

**When Solr is down** the fingerprint cannot be read nor a document built. The last kept version is then
served, marked stale (``Kept.stale``), but only if no dataset changed in the database since the build of
that version started (each kept version records the newest change it saw, as its file's time):
a dataset made private just before the outage must never be served from an older document. (While Solr is
down no dataset can change: CKAN indexes each save before it commits.) Without such a version the caller
gets ``SearchUnavailable``.
"""
from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any, Callable, NamedTuple

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SolrConnectionError

from ckanext.kalmar_oppnadata.common import PACKAGE_DIR
from ckanext.kalmar_oppnadata.jobs import locks

log = logging.getLogger(__name__)

# What the documents are made by, besides the data: the whole extension (code, registers, vocabularies,
# schemas, shapes), watched by modification time. Wider than strictly needed, so that nothing that shapes a
# document can be missed; a deployment changes it anyway.
PACKAGE = Path(PACKAGE_DIR)
_SETTINGS = ("ckan.site_url", "ckan.site_title", "ckan.site_description", "ckanext.dcat.base_uri",
             "ckanext.kalmar_oppnadata.catalog_publisher", "ckan.locale_default")

_memory: dict[str, tuple[str, Any, float]] = {}  # name → (fingerprint, value, the data's state it shows)
_memory_lock = threading.Lock()


def anonymous_query(fq: str) -> dict[str, Any]:
    """The search an anonymous visitor makes: public, active datasets matching ``fq``, no harvest sources."""
    return {"q": "*:*", "fq": fq, "fq_list": ["-dataset_type:harvest"], "include_private": False,
            "include_drafts": False, "include_deleted": False}


def public_state(fq: str, newest_field: str) -> tuple[int, str]:
    """How many public datasets match ``fq``, and the newest value of ``newest_field`` among them."""
    result = tk.get_action("package_search")({"user": "", "ignore_auth": True}, {
        **anonymous_query(fq), "rows": 1, "sort": f"{newest_field} desc", "fl": [newest_field]})
    newest = str(result["results"][0].get(newest_field) or "") if result["results"] else ""
    return result["count"], newest


def organization_states() -> dict[str, str]:
    """Each organization as stored (id → a hash of its row): a dataset's part depends on its own."""
    rows = (model.Session.query(model.Group.id, model.Group.name, model.Group.title, model.Group.description,
                                model.Group.image_url, model.Group.state, model.Group.extras)
            .filter(model.Group.is_organization.is_(True)).order_by(model.Group.id).all())
    return {row[0]: hashlib.sha256(json.dumps(list(row), default=str).encode()).hexdigest()[:32] for row in rows}


def _organizations_state() -> str:
    return hashlib.sha256(json.dumps(sorted(organization_states().items())).encode()).hexdigest()


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


def code_state() -> str:
    """The extension's code and package data, the specification register and the documents' settings."""
    return "\x1f".join([_code_state(), *[str(tk.config.get(k) or "") for k in _SETTINGS]])


def fingerprint(fq: str = "", newest_field: str = "indexed_ts") -> str:
    """What a public document over the datasets matching ``fq`` is made from, as a short hash: how many
    there are and the newest ``newest_field`` (the catalogs watch more, ``documents._fingerprint``)."""
    count, newest = public_state(fq, newest_field)
    return fingerprint_of(fq, str(count), newest)


def fingerprint_of(*data_state: str) -> str:
    """A short hash of ``data_state`` (what a document shows of the data), the organizations and the code
    state."""
    parts = [*data_state, _organizations_state(), code_state()]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def directory() -> Path:
    directory = Path(tk.config.get("ckan.storage_path") or tempfile.gettempdir()) / "kalmar-cache"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


class SearchUnavailable(Exception):
    """Solr cannot be reached and no kept version may be served instead."""


class BuildFailed(SearchUnavailable):
    """A document's build failed and its last good version would show a dataset no longer public (answered
    like an outage: 503, web/outages.py)."""


class Kept(NamedTuple):
    path: Path
    stale: bool  # served from before an outage of Solr, or after a failed build
    how: str = "kept"  # kept (found), built (by this request), waited (built by another while this waited), stale


def _last_change() -> float:
    """When a dataset last changed in the database (POSIX seconds; 0 if none)."""
    newest = model.Session.execute(sa.text("SELECT max(metadata_modified) FROM package")).scalar()
    return newest.replace(tzinfo=datetime.timezone.utc).timestamp() if newest else 0.0


def _versions(directory: Path, name: str) -> list[Path]:
    return [p for p in directory.glob(f"{name}.*") if p.is_file() and not p.name.endswith(".ids")]


def kept_names(prefix: str) -> set[str]:
    """The names starting with ``prefix`` of which a version is kept (a version is ``<name>.<fingerprint>``)."""
    return {p.name.rsplit(".", 1)[0] for p in directory().glob(f"{prefix}*.*")
            if p.is_file() and not p.name.endswith(".ids")}


def _last_kept(directory: Path, name: str) -> Path | None:
    kept = _versions(directory, name)
    if not kept:
        return None
    newest = max(kept, key=lambda p: p.stat().st_mtime)
    return newest if newest.stat().st_mtime >= _last_change() else None


# At most one build of a document at a time, across every process sharing the database (jobs/locks.py).
LOCK_WAIT = 900.0  # seconds a request waits for another's build before it gives up with an error


def build_lock(name: str) -> contextlib.AbstractContextManager[bool]:
    """Hold the build lock of document ``name``; yields whether another build was waited for."""
    return locks.one_at_a_time(name, LOCK_WAIT)


class Built(NamedTuple):
    """What a document's build reports: the datasets in it, and how many of their parts it had to make."""
    ids: list[str]
    parts_made: int


def _note_build(directory: Path, name: str, key: str, seconds: float, built: Built | None = None,
                error: str = "") -> None:
    """One line per build in ``builds.log`` (what the benchmark, the tests and the operator count)."""
    line = json.dumps({"at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                       "document": name, "key": key, "pid": os.getpid(), "seconds": round(seconds, 3),
                       **({"datasets": len(built.ids), "parts_made": built.parts_made} if built else {}),
                       **({"error": error} if error else {})})
    with open(directory / "builds.log", "a", encoding="utf-8") as log_file:
        log_file.write(line + "\n")


def _safe_previous(directory: Path, name: str, still_public: Callable[[], set[str]] | None) -> Path | None:
    """The last good version of ``name`` if serving it leaks nothing: every dataset in it is still public
    (its ``.ids`` list against ``still_public()``), or no dataset changed since it was built."""
    kept = _versions(directory, name)
    if not kept:
        return None
    newest = max(kept, key=lambda p: p.stat().st_mtime)
    ids_file = newest.with_name(newest.name + ".ids")
    if still_public is not None and ids_file.exists():
        if set(json.loads(ids_file.read_text())) <= still_public():
            return newest
        return None
    return newest if newest.stat().st_mtime >= _last_change() else None


def cached_file(name: str, key: Callable[[], str], build: Callable[[IO[str]], Built | None],
                still_public: Callable[[], set[str]] | None = None) -> Kept:
    """The file of document ``name`` for the fingerprint ``key()``, built when missing by ``build(out)``
    (which writes the document and may say what is in it, ``Built``), at most one build of
    ``name`` at a time across processes: a request that finds another building waits for it and then
    serves what it built. Older versions are removed once a new one is in place.

    If the build fails, the last good version is served (marked stale) if it leaks nothing
    (``_safe_previous``); with Solr down, the last version kept from before the outage (module notes)."""
    directory_ = directory()
    try:
        data_state = _last_change()  # before the build: a change during it makes this version stale
        current = key()
    except (SearchError, SolrConnectionError) as error:
        last = _last_kept(directory_, name)
        if last is None:
            raise SearchUnavailable(str(error)) from error
        return Kept(last, True, "stale")
    path = directory_ / f"{name}.{current}"
    if path.exists():
        return Kept(path, False)
    with build_lock(name) as waited:
        if path.exists():  # built by the request this one waited for
            return Kept(path, False, "waited" if waited else "kept")
        started = time.monotonic()
        handle, tmp = tempfile.mkstemp(dir=directory_, prefix=f".{name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                built = build(out)
        except Exception as error:
            os.unlink(tmp)
            _note_build(directory_, name, current, time.monotonic() - started, error=repr(error))
            searching = isinstance(error, (SearchError, SolrConnectionError))
            try:
                last = _last_kept(directory_, name) if searching else _safe_previous(directory_, name, still_public)
            except (SearchError, SolrConnectionError):
                last = _last_kept(directory_, name)
            if last is None:
                if searching:
                    raise SearchUnavailable(str(error)) from error
                log.exception("building %s failed, and no good version may be served", name)
                raise BuildFailed(str(error)) from error
            log.exception("building %s failed; serving the last good version %s", name, last.name)
            return Kept(last, True, "stale")
        os.utime(tmp, (data_state, data_state))  # the file says what state of the data it shows
        if built is not None:
            ids_tmp = Path(tmp + ".ids")
            ids_tmp.write_text(json.dumps(built.ids))
            os.replace(ids_tmp, path.with_name(path.name + ".ids"))
        os.replace(tmp, path)
        _note_build(directory_, name, current, time.monotonic() - started, built)
        for old in directory_.glob(f"{name}.*"):
            if old.name not in (path.name, path.name + ".ids"):
                try:
                    old.unlink()
                except OSError:
                    pass
    return Kept(path, False, "built")


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
