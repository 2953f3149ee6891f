"""What time alone changes: datasets whose freshness moved on (current → due soon → overdue) since they were
indexed are indexed again, so the search facet and the organization pages count them right.

The index holds, for every dataset, when its freshness next changes (``freshness_next_date``); ``refresh``
re-indexes those whose moment has passed. ``ckan kalmar upkeep`` runs it; the stack runs that every hour
and production from cron (docs/operations.md).
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import site_context
from ckanext.kalmar_oppnadata.search import reindexing

log = logging.getLogger(__name__)

PAGE = 500


def due_for_reindex() -> list[str]:
    ids: list[str] = []
    while True:
        found = tk.get_action("package_search")(site_context(), {
            "fq": "freshness_next_date:[* TO NOW]", "fl": "id", "rows": PAGE, "start": len(ids),
            "include_private": True, "include_drafts": True, "sort": "id asc"})
        ids += [d["id"] for d in found["results"]]
        if len(found["results"]) < PAGE:
            return ids


def refresh() -> int:
    ids = due_for_reindex()
    for package_id in ids:
        reindexing.reindex(package_id, commit=False)
    if ids:  # one commit for all of them
        reindexing.make_searchable()
        log.info("freshness: %d dataset(s) re-indexed", len(ids))
    return len(ids)
