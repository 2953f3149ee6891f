"""Indexing a dataset again after a save, safe against a purge at the same time.

CKAN's ``dataset_purge`` removes the dataset from the index first and deletes its rows afterwards. A job
(a file's check or load, freshness upkeep) or another save that read the dataset in between and indexed it
after that removal leaves a search hit for a dataset that is gone. With several web processes and workers
this happened under load (bench/RESULTS-cluster.md). Two halves close it:

- ``reindex`` holds a key-share lock on the dataset's row while it reads and indexes it: a purge that has
  not yet deleted the row waits for it, one that has makes it find nothing to index;
- ``forget_purged`` (chained ``dataset_purge``, logic/action.py) removes the dataset from the index once
  more after the purge has committed, for writers that index without that lock (CKAN's own saves).
"""
from __future__ import annotations

import ckan.model as model
from ckan.lib import search


def reindex(package_id: str) -> bool:
    """Index the dataset again if it still exists; commit. False if it was purged meanwhile."""
    row = (model.Session.query(model.Package.id).filter(model.Package.id == package_id)
           .with_for_update(key_share=True).one_or_none())
    if row is None:
        model.Session.rollback()
        return False
    try:
        search.rebuild(package_id)
    finally:
        model.Session.commit()  # releases the lock whether or not the index took it
    return True


def forget_purged(package_id: str) -> None:
    search.index_for(model.Package).remove_dict({"id": package_id})
