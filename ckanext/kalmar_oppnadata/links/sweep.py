"""The scheduled link check: every linked file whose last check is older than
``ckanext.kalmar_oppnadata.link_check_days`` is checked, one at a time, with at least
``link_check_host_interval`` seconds between two requests to the same host, and the result recorded on the
resource by the portal's own job (so it is no change of the dataset). ``ckan kalmar upkeep`` queues it.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import recorded
from ckanext.kalmar_oppnadata.files import records
from ckanext.kalmar_oppnadata.links import checking

log = logging.getLogger(__name__)

FIELD = records.LINK_CHECK


def _linked(resource: model.Resource) -> bool:
    return resource.url_type != "upload" and (resource.url or "").lower().startswith(("http://", "https://"))


def due(now: datetime | None = None) -> list[model.Resource]:
    """The linked files of active datasets (public, private and drafts alike) not checked recently."""
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    cutoff = (now - timedelta(days=tk.config.get("ckanext.kalmar_oppnadata.link_check_days"))).isoformat()
    rows = (model.Session.query(model.Resource).join(model.Package, model.Package.id == model.Resource.package_id)
            .filter(model.Resource.state == "active", model.Package.state.in_(["active", "draft"]))
            .order_by(model.Resource.package_id, model.Resource.position))
    found = []
    for resource in rows:
        last = recorded(resource.extras or {}, FIELD)
        if _linked(resource) and (not last or str(last.get("checked_at", "")) < cutoff):
            found.append(resource)
    return found


def record(resource_id: str, result: dict[str, Any]) -> None:
    """The portal's own note on the resource (files/records.py): no change of the dataset, no activity."""
    records.write(resource_id, records.LINK_CHECK, result)


def sweep() -> int:
    """Check what is due; returns how many links were checked."""
    interval = tk.config.get("ckanext.kalmar_oppnadata.link_check_host_interval")
    last_request: dict[str, float] = {}
    targets = [(r.id, r.url, r.mimetype) for r in due()]
    model.Session.remove()  # no transaction held open while waiting on other servers
    for resource_id, url, mimetype in targets:
        host = (urlsplit(url).hostname or "").lower()
        wait = last_request.get(host, float("-inf")) + interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        result = checking.check(url, mimetype)
        last_request[host] = time.monotonic()
        record(resource_id, result)  # nothing, if the resource was deleted meanwhile
    log.info("link check: %d link(s) checked", len(targets))
    return len(targets)
