"""Which public datasets a catalog covers: read from the index as an anonymous visitor finds them, and kept
between builds, so that after a few saves the next document does not list every dataset again.

**A full listing** (``listing``) reads each public, active dataset's id, owner, catalog digest and dates
(``keeping``), 1,000 at a time in id order, each page starting after the last id of the one before: its
cost grows with the catalog, not with its square, as Solr's ``start`` offsets would.

**A kept listing** (``kept_listing``, for the catalog documents) is a full listing saved in a file per query
(``kalmar-cache/listings/``, shared by every process, written atomically) with the state of the public set
it was read at: how many datasets, and the newest change of a catalog digest (``keeping.CHANGED_FIELD``).
The next listing reads only the datasets whose digest changed since then (less ``MARGIN``: a save takes
its change time before its index commit, so a save can reach the index a little after a later one) and
puts them over the kept entries. That is the listing only if

- the public set's state is the same before and after reading the changes (nothing entered, left or
  changed meanwhile), and
- the kept entries with the changes are exactly as many as the public datasets.

Every public dataset is then listed with its current digest: one that changed, or became public (a save,
which changes the digest), since the kept listing is among the changes; any other was public then with
the same digest, so it is among the kept entries. A dataset that left the public set (made private,
deleted, withdrawn) is still among the kept entries but not counted, so the counts differ and every
dataset is listed again: it is never in a document made after it left.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import tempfile
from typing import Any, NamedTuple

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import caching
from ckanext.kalmar_oppnadata.catalog.keeping import CHANGED_FIELD, DIGEST_FIELD, OWNER_FIELD

log = logging.getLogger(__name__)

PAGE = 1000  # datasets per search (CKAN's default ckan.search.rows_max)
MARGIN = datetime.timedelta(minutes=10)  # how much later than a later save's a save may reach the index
_FIELDS = ["id", "metadata_created", "metadata_modified", DIGEST_FIELD, OWNER_FIELD]


class Entry(NamedTuple):
    """One public dataset as a document lists it: what its part's key and the catalog's dates need."""
    id: str
    owner_org: str
    digest: str
    created: str
    modified: str


def _search(fq: str, *more: str, rows: int, sort: str = "id asc", fl: list[str] | None = None) -> dict[str, Any]:
    query = caching.anonymous_query(fq)
    return tk.get_action("package_search")({"user": "", "ignore_auth": True}, {
        **query, "fq_list": [*query["fq_list"], *more], "rows": rows, "sort": sort, "fl": fl or _FIELDS})


def _entry(row: dict[str, Any]) -> Entry:
    digest, owner = (_first(row.get(field)) for field in (DIGEST_FIELD, OWNER_FIELD))
    return Entry(row["id"], owner or "", digest or f"modified:{row.get('metadata_modified')}",
                 str(row.get("metadata_created") or ""), str(row.get("metadata_modified") or ""))


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def listing(fq: str = "") -> list[Entry]:
    """The public, active datasets matching ``fq``, as an anonymous visitor finds them (in id order)."""
    entries: list[Entry] = []
    after: str | None = None
    while True:
        rows = _search(fq, *([f'id:{{"{after}" TO *]'] if after else []), rows=PAGE)["results"]
        entries.extend(_entry(row) for row in rows)
        if len(rows) < PAGE:
            return entries
        after = rows[-1]["id"]


class State(NamedTuple):
    """The public set matching a query: how many datasets, and the newest change of a catalog digest."""
    count: int
    newest: str


def state(fq: str = "") -> State:
    return State(*caching.public_state(fq, CHANGED_FIELD))


def recent(fq: str, newest: str) -> str:
    """The public datasets whose catalog digest changed at most ``MARGIN`` before ``newest`` (the newest
    change), with their digests, as a hash: for the catalogs' fingerprint, so that a save reaching the
    index after a later one (its change time older than the newest, the count as it was) is seen."""
    if not newest:
        return ""
    result = _search(fq, f"{CHANGED_FIELD}:[{_since(newest)} TO *]", rows=PAGE, fl=["id", DIGEST_FIELD])
    seen = [[row["id"], _first(row.get(DIGEST_FIELD))] for row in result["results"]]
    return hashlib.sha256(json.dumps([result["count"], seen]).encode()).hexdigest()


def _file(fq: str) -> str:
    return str(caching.directory() / "listings" / f"{hashlib.sha256(fq.encode()).hexdigest()[:24]}.tsv")


# A kept listing's file: its query (JSON) and state on the first line, then one entry a line, its fields
# separated by tabs (ids, digests and dates have none).
def _read(fq: str) -> tuple[State, list[Entry]] | None:
    try:
        with open(_file(fq), encoding="utf-8") as f:
            first, *lines = f.read().splitlines()
        kept_fq, count, newest = json.loads(first)
        if kept_fq != fq:
            return None
        return State(count, newest), [Entry(*line.split("\t")) for line in lines]
    except (OSError, ValueError, TypeError):
        return None


def _save(fq: str, at: State, entries: list[Entry]) -> None:
    path = _file(fq)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".listing.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps([fq, *at]) + "\n")
        out.writelines("\t".join(entry) + "\n" for entry in entries)
    os.replace(tmp, path)


def _since(newest: str) -> str:
    """Solr's date of ``MARGIN`` before ``newest`` (Solr's own date format)."""
    at = datetime.datetime.strptime(newest[:19], "%Y-%m-%dT%H:%M:%S") - MARGIN
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _changes(fq: str, kept: tuple[State, list[Entry]] | None) -> tuple[State, list[Entry]] | None:
    """The kept entries with the changes since put over them, if that is the listing (module notes), and
    the state it is the listing of."""
    if kept is None or not kept[0].newest:
        return None
    before = state(fq)
    result = _search(fq, f"{CHANGED_FIELD}:[{_since(kept[0].newest)} TO *]", rows=PAGE)
    if result["count"] >= PAGE:
        return None  # as many changes as a full listing's page: list them all
    entries = {entry.id: entry for entry in kept[1]}
    entries.update((row["id"], _entry(row)) for row in result["results"])
    if state(fq) != before or len(entries) != before.count:
        return None
    return before, sorted(entries.values())


def kept_listing(fq: str = "") -> list[Entry]:
    """As ``listing``, from the kept listing of ``fq`` and the changes since when it can (module notes)."""
    changed = _changes(fq, _read(fq))
    if changed is not None:
        at, entries = changed
    else:
        at = state(fq)
        entries = listing(fq)
        if state(fq) != at or len(entries) != at.count:
            return entries  # the public set changed while it was read: used once, not kept
    _save(fq, at, entries)
    return entries
