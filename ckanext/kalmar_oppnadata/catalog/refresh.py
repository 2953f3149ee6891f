"""Keeping the catalogs current in the background, so that the first visitor after a change does not wait.

After every save, deletion or organization edit (``subscriptions.py``, after the commit) one job is queued,
``kalmar-catalog-refresh``: it makes the parts the change touched (``keeping.make_parts``, every format
from one graph per dataset), then brings every kept catalog document up to date through the same path as
a request (``documents.*_file``): assembled from its parts, one build at a time across processes
(``caching.build_lock``).
The portal's complete catalog is refreshed in each format; an organization's catalog and the HVD catalog
only in the formats someone has asked for since the last deployment (a kept version of it is on disk).

The job is queued once: while one waits, further saves queue nothing (the waiting job will see them). It
enters the queue ``ckanext.kalmar_oppnadata.catalog_refresh_delay`` seconds after the save that scheduled
it, so that a burst of saves is followed by one refresh, not one per save (each assembles every kept
document). A request that comes before the job has run builds the document itself, as before; one that
comes while the job builds waits for that build rather than starting its own. Either way a catalog never
shows less than every save made before the request.
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import caching, documents, keeping, listing, parts
from ckanext.kalmar_oppnadata.jobs.queue import enqueue_unique

log = logging.getLogger(__name__)

JOB_ID = "kalmar-catalog-refresh"


def queue() -> int:
    """Queue the refresh unless one is already waiting; 1 if queued now."""
    return enqueue_unique(refresh, JOB_ID, "Katalogerna uppdateras efter en ändring", timeout=3600,
                          delay=tk.config.get("ckanext.kalmar_oppnadata.catalog_refresh_delay"))


def refresh() -> dict[str, str]:
    """Bring the kept catalogs up to date; what happened to each (kept, built, waited, stale)."""
    from ckanext.kalmar_oppnadata.registers.organizations import organization

    done: dict[str, str] = {}
    hvd_formats, organization_documents = documents.kept_documents()
    # Every format's parts from one graph per dataset; the documents then find them made.
    keeping.make_parts(listing.kept_listing(), caching.organization_states(), caching.code_state())
    for fmt in parts.FORMATS:
        done[documents.portal_name(fmt)] = documents.portal_catalog_file(fmt).how
    for fmt in sorted(hvd_formats & set(parts.FORMATS)):
        done[documents.hvd_name(fmt)] = documents.hvd_catalog_file(fmt).how
    for org_id, fmt in sorted(organization_documents):
        org = organization(org_id)
        if org and org.get("state") == "active" and fmt in parts.FORMATS:
            done[documents.organization_name(org_id, fmt)] = documents.organization_catalog_file(org, fmt).how
    log.info("catalogs refreshed: %s", done)
    return done
