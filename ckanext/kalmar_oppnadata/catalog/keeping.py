"""Kept parts: each public dataset's description, serialized once and reused until what it depends on changes.

A part (``catalog/parts.py``) is kept as a file per dataset and format under the storage directory
(``kalmar-cache/parts/<dataset id>/<key>.<format>``, shared by every CKAN process, written atomically),
named by its *key*:
a hash of

- the dataset's **catalog digest**: a hash of the dataset as indexed, leaving out what the portal's own
  jobs record on its resources (``files/records.py``: they are not in the catalog). It is computed when
  the dataset is indexed and stored in the index (``DIGEST_FIELD``), so that listing the public datasets
  with their digests (``catalog/listing.py``) is one search per thousand datasets, without reading them;
- its **organization** as stored (the publisher is written into every dataset's description; the
  organization's id is stored in the index beside the digest, ``OWNER_FIELD``);
- the **code state**: the extension's code, registers and the settings the documents use
  (``caching.code_state``).

A save changes the digest of the dataset it saved, an organization's edit the key of its datasets' parts,
a deployment every key. Whatever changed is rebuilt, the rest read from the files. A dataset that
leaves the public set (made private, deleted, withdrawn) is no longer listed, so no document built after
that has its part, whatever is still on disk (``forget`` removes its files when it is seen gone).
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import caching, parts

if TYPE_CHECKING:
    from ckanext.kalmar_oppnadata.catalog.listing import Entry

log = logging.getLogger(__name__)

DIGEST_FIELD = "vocab_catalog_digest"  # CKAN's schema stores vocab_* (multivalued strings), never in `text`
# When the dataset's catalog digest last changed (CKAN's schema: *_date, one sortable date): the catalogs'
# fingerprint watches the newest of these, not the index time, which the jobs' records also move.
CHANGED_FIELD = "catalog_changed_date"
_CHANGED_KEY = "kalmar:catalog:changed:"  # Redis: "<digest> <when>" per dataset, the digest's last change
OWNER_FIELD = "vocab_catalog_owner"  # the owner's id (CKAN's schema does not store ``owner_org``)
SHOWN_ONLY = ("freshness",)  # added to a dataset when it is shown, not part of what it says
FETCH = 100  # datasets read in one search when their parts are made
REFERENCE = "ref"  # beside the parts: each dataset's URI and dates, for the catalog's header


def dataset_digest(dataset: dict[str, Any]) -> str:
    """A hash of what the catalog says of ``dataset`` may depend on: the dataset as validated, without the
    records the portal's jobs keep on its resources (a load status, a file-check report)."""
    from ckanext.kalmar_oppnadata.files import records

    # ``freshness`` is said by package_show at the time of asking (freshness/), never in the catalog.
    view = {**{k: v for k, v in dataset.items() if k not in SHOWN_ONLY},
            "resources": [{k: v for k, v in resource.items() if k not in records.FIELDS}
                          for resource in dataset.get("resources") or []]}
    return hashlib.sha256(json.dumps(view, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _changed_at(dataset_id: str, digest: str) -> str:
    """When ``digest`` became the dataset's digest (Solr's date format): kept in Redis, shared by every
    process; now if it is new, or if Redis cannot say (the catalogs are then assembled again, never stale)."""
    from redis.exceptions import RedisError

    from ckan.lib.redis import connect_to_redis

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    try:
        redis = connect_to_redis()
        known = (redis.get(_CHANGED_KEY + dataset_id) or b"").decode().split(" ")
        if len(known) == 2 and known[0] == digest:
            return known[1]
        redis.set(_CHANGED_KEY + dataset_id, f"{digest} {now}")
    except RedisError as error:
        log.warning("the catalog digest's change time is not kept (Redis: %s)", error)
    return now


def index_digest(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: store the dataset's catalog digest in the index, and when it last changed."""
    validated = pkg_dict.get("validated_data_dict")
    if isinstance(validated, str):
        digest = dataset_digest(json.loads(validated))
        pkg_dict[DIGEST_FIELD] = [digest]
        pkg_dict[CHANGED_FIELD] = _changed_at(pkg_dict["id"], digest)
    if pkg_dict.get("owner_org"):
        pkg_dict[OWNER_FIELD] = [pkg_dict["owner_org"]]
    return pkg_dict


def _datasets(ids: list[str]) -> Iterator[dict[str, Any]]:
    """The datasets ``ids`` that are still public, as the whole catalog reads them (from the index)."""
    for at in range(0, len(ids), FETCH):
        chunk = ids[at:at + FETCH]
        result = tk.get_action("package_search")({"user": "", "ignore_auth": True}, {
            **caching.anonymous_query("id:(" + " OR ".join(f'"{i}"' for i in chunk) + ")"), "rows": len(chunk)})
        yield from result["results"]


def part_key(entry: Entry, organization_states: dict[str, str], code: str) -> str:
    return _key(entry.digest, organization_states.get(entry.owner_org, ""), code)


@functools.lru_cache(maxsize=1 << 17)  # a document asks for each of its datasets' keys three times
def _key(digest: str, organization_state: str, code: str) -> str:
    return hashlib.sha256("\x1f".join((digest, organization_state, code)).encode()).hexdigest()[:24]


def directory() -> Path:
    return Path(_root(tk.config.get("ckan.storage_path") or ""))


@functools.lru_cache(maxsize=4)
def _root(storage_path: str) -> str:
    return str(caching.directory() / "parts")


def _folder() -> str:
    return _root(tk.config.get("ckan.storage_path") or "")


def _path(fmt: str, dataset_id: str, key: str, folder: str | None = None) -> str:
    """One directory per dataset (``parts/<id>/<key>.<format>``): finding a dataset's older parts never
    scans the others'. (A string: a catalog looks up thousands; ``folder``, ``_folder()`` read once.)"""
    return f"{folder or _folder()}/{dataset_id}/{key}.{fmt}"


def _write(path: str, text: str) -> None:
    folder, name = os.path.split(path)
    os.makedirs(folder, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)


def _drop_others(dataset_id: str, keep: str | None) -> None:
    """Remove a dataset's parts of any key but ``keep``."""
    try:
        files = list((directory() / dataset_id).iterdir())
    except FileNotFoundError:
        return
    for old in files:
        if keep is None or not old.name.startswith(f"{keep}."):
            try:
                old.unlink()
            except OSError:
                pass


def make_parts(entries: Iterable[Entry], organization_states: dict[str, str], code: str,
               formats: Iterable[str] = parts.FORMATS) -> int:
    """Make the parts in ``formats`` of the entries that have none under their current key; how many
    datasets' parts were made. A request makes only its document's format (a cold catalog then costs one
    serialization per dataset, as a whole build does); the background refresh makes all three from one
    graph (``catalog/refresh.py``)."""
    formats = tuple(formats)
    folder = _folder()

    def missing(entry: Entry) -> tuple[str, ...]:
        key = part_key(entry, organization_states, code)
        return tuple(fmt for fmt in (*formats, REFERENCE) if not os.path.exists(_path(fmt, entry.id, key, folder)))

    wanted = {e.id: (e, todo) for e in entries if (todo := missing(e))}
    if not wanted:
        return 0
    from ckanext.kalmar_oppnadata.catalog.documents import CatalogSerializer

    serializer = CatalogSerializer()  # one for all: ckanext-dcat reads its profiles' entry points on creation
    made = 0
    for dataset in _datasets(list(wanted)):
        entry, todo = wanted[dataset["id"]]
        key = part_key(entry, organization_states, code)
        graph, ref = serializer.dataset_graph(dataset)
        _drop_others(entry.id, key)
        for fmt in todo:
            if fmt != REFERENCE:
                _write(_path(fmt, entry.id, key), parts.part(fmt, graph))
        # Last, so that a dataset with a reference has its parts in the formats asked for so far: what the
        # catalog's header says of it.
        _write(_path(REFERENCE, entry.id, key), json.dumps({
            "uri": str(ref), "metadata_created": dataset.get("metadata_created"),
            "metadata_modified": dataset.get("metadata_modified")}))
        made += 1
    return made


# The references read so far, by (dataset id, key): a part's reference never changes (a change makes a new
# key), so each process reads each one once. About 200 bytes each; dropped whole past _HELD.
_references: dict[tuple[str, str], dict[str, Any]] = {}
_HELD = 200_000


def references(entries: Iterable[Entry], organization_states: dict[str, str],
               code: str) -> list[tuple[Entry, dict[str, Any]]]:
    """The entries that have parts, each with its dataset's URI and dates (for the catalog's header)."""
    found = []
    folder = _folder()
    if len(_references) > _HELD:
        _references.clear()
    for entry in entries:
        key = part_key(entry, organization_states, code)
        ref = _references.get((entry.id, key))
        if ref is None:
            try:
                with open(_path(REFERENCE, entry.id, key, folder), encoding="utf-8") as f:
                    ref = _references[(entry.id, key)] = json.loads(f.read())
            except FileNotFoundError:
                continue  # left the public set between the listing and the reading of its dataset
        found.append((entry, ref))
    return found


def kept_parts(fmt: str, entries: Iterable[Entry], organization_states: dict[str, str],
               code: str) -> Iterator[bytes]:
    """Each entry's part in ``fmt`` (UTF-8), read one at a time (an entry without one, because it left the
    public set after it was listed, is left out)."""
    folder = _folder()
    for entry in entries:
        try:
            with open(_path(fmt, entry.id, part_key(entry, organization_states, code), folder), "rb") as f:
                yield f.read()
        except FileNotFoundError:
            continue


def forget(dataset_id: str) -> None:
    """Remove a dataset's kept parts (it is no longer public)."""
    shutil.rmtree(directory() / dataset_id, ignore_errors=True)
