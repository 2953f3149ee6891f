"""Indexing a dataset again after a save, safe against a purge at the same time.

CKAN's ``dataset_purge`` removes the dataset from the index first and deletes its rows afterwards. A job
(a file's check or load, freshness upkeep) or another save that read the dataset in between and indexed it
after that removal leaves a search hit for a dataset that is gone. With several web processes and workers
this happened under load (bench/RESULTS-cluster.md). Two halves close it:

- ``reindex`` holds a key-share lock on the dataset's row while it reads and indexes it: a purge that has
  not yet deleted the row waits for it, one that has makes it find nothing to index;
- ``forget_purged`` (chained ``dataset_purge``, logic/action.py) removes the dataset from the index once
  more after the purge has committed, for writers that index without that lock (CKAN's own saves).

``reconcile`` (run by ``ckan kalmar upkeep``, every hour) mends what a dying process leaves: CKAN indexes a
new dataset before it commits it, so a web process killed in between leaves a search hit for a dataset
that never existed.
"""
from __future__ import annotations

import datetime
import logging

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search

log = logging.getLogger(__name__)


def reindex(package_id: str, commit: bool = True) -> bool:
    """Index the dataset again if it still exists. False if it was purged meanwhile.

    With ``commit`` the index commits at once, as after CKAN's saves: the next search has it, and every
    search after it starts on cold caches. Without it (what the jobs record about a file, which nobody
    searches for the moment it is written) it is searchable at the index's next commit: a save's, or the
    soft commit Solr makes within a second of an update without one (``autoSoftCommit`` in
    stack/solr/solrconfig.xml). Under load the jobs' records then share the saves' commits; each commit
    of its own cost more of Solr's CPU than the save that queued the jobs (bench/RESULTS-cluster.md)."""
    row = (model.Session.query(model.Package.id).filter(model.Package.id == package_id)
           .with_for_update(key_share=True).one_or_none())
    if row is None:
        model.Session.rollback()
        return False
    # CKAN's session keeps what it read across commits (expire_on_commit=False): a job that read the
    # dataset before an editor's save committed would index what it read. An upload in the form's last
    # step, whose load began before "Publicera" committed, indexed the dataset as a draft again: found by
    # nobody, in no catalog, while its page said it was published. Read it again from the database.
    model.Session.expire_all()
    try:
        if commit:
            search.rebuild(package_id)
        else:
            search.rebuild(package_ids=[package_id], defer_commit=True)
    finally:
        model.Session.commit()  # releases the lock whether or not the index took it
    return True


def make_searchable() -> None:
    """Commit the index now and wait until searches see it: what was indexed without a commit is found
    by the next search (a burst jobs worker before it returns, jobs/worker.py)."""
    search.make_connection().commit(softCommit=True)


def forget_purged(package_id: str) -> None:
    search.index_for(model.Package).remove_dict({"id": package_id})


# A save whose process died between CKAN's index write and its commit (a web process killed mid-request)
# leaves an index entry for a dataset the database never held. No request lasts longer than the web
# server's limit (uWSGI's harakiri, nginx's longest wait: 300 s), so an entry older than this without its
# row can no longer be committed.
ORPHAN_AGE = datetime.timedelta(minutes=6)


def reconcile(orphan_age: datetime.timedelta = ORPHAN_AGE) -> tuple[int, int]:
    """Make the index hold the datasets of the database: entries older than ``orphan_age`` of datasets the
    database does not hold are removed, active or draft datasets missing from the index are indexed.
    Returns (removed, indexed)."""
    connection = search.make_connection(decode_dates=False)
    site = f'+site_id:"{tk.config.get("ckan.site_id")}"'
    found = connection.search("*:*", fq=site, rows=0)
    docs = connection.search("*:*", fq=site, fl="id,indexed_ts", rows=max(found.hits, 1)).docs
    indexed = {doc["id"]: str(doc.get("indexed_ts") or "") for doc in docs}
    states = dict(model.Session.query(model.Package.id, model.Package.state))
    model.Session.rollback()
    before = (datetime.datetime.now(datetime.timezone.utc) - orphan_age).strftime("%Y-%m-%dT%H:%M:%S")
    removed = [i for i, at in indexed.items() if i not in states and at[:19] < before]
    for package_id in removed:
        forget_purged(package_id)
        log.warning("search index: removed %s, a dataset the database does not hold", package_id)
    missing = [i for i, state in states.items() if i not in indexed and state in ("active", "draft")]
    indexed_now = sum(reindex(package_id) for package_id in missing)
    if missing:
        log.warning("search index: indexed %d dataset(s) it did not hold", indexed_now)
    return len(removed), indexed_now
