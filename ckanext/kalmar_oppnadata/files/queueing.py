"""Which file jobs a saved dataset needs: the specification check of its CSV files (``checking``) and the
DataStore load of its table files (``loading``), each only for files whose record is missing or stale.

Called after the save has committed (``subscriptions``), and by ``ckan kalmar queue-pending`` for what
could not be queued at the time (Redis unreachable). Harvested datasets get none: their files are their
source's to check and serve.
"""
from __future__ import annotations

from typing import Any

from ckanext.kalmar_oppnadata.common import site_context
from ckanext.kalmar_oppnadata.files import checking, loading
from ckanext.kalmar_oppnadata.search import reindexing
from ckanext.kalmar_oppnadata.search.paging import all_datasets


def after_save(dataset: dict[str, Any]) -> int:
    """Queue what the dataset's files need now; how many jobs were queued."""
    if dataset.get("harvest_source_id"):
        return 0
    return checking.queue_checks(dataset) + loading.queue_loads(dataset)


def queue_pending() -> tuple[int, int]:
    """Queue every file check and DataStore load that is missing or stale, in every dataset (also private
    and draft ones). Returns (datasets looked at, jobs queued).

    The datasets are read from the search index, which has a job's record about a second after the job
    (``search/reindexing.py``); it is committed first, so that a job just done is not queued again (as
    happened when ``make run`` ran this while the worker did the demo's jobs)."""
    reindexing.make_searchable()
    seen = queued = 0
    for dataset in all_datasets(site_context(), include_private=True, include_drafts=True):
        seen += 1
        queued += after_save(dataset)
    return seen, queued
