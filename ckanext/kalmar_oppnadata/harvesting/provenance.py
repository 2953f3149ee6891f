"""Which harvest source a dataset came from.

ckanext-harvest records every imported dataset as a harvest object; the current one of a dataset names its
source. Reading it from there (rather than from anything sent with the dataset) means no save through the
API or the form can mark a dataset as harvested, or unmark it.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model


def source_of(dataset_id: str | None) -> dict[str, Any] | None:
    """``{"id", "title", "url"}`` of the source the dataset is currently harvested from, or None."""
    if not dataset_id:
        return None
    from ckanext.harvest.model import HarvestObject, HarvestSource

    row = (model.Session.query(HarvestSource.id, HarvestSource.title, HarvestSource.url)
           .join(HarvestObject, HarvestObject.harvest_source_id == HarvestSource.id)
           .filter(HarvestObject.package_id == dataset_id, HarvestObject.current.is_(True))
           .first())
    return {"id": row.id, "title": row.title or row.url, "url": row.url} if row else None


def holders_of_uri(uri: str) -> list[dict[str, Any]]:
    """Active datasets that carry ``uri`` as their DCAT URI or as the harvester's guid, with their source."""
    rows = (model.Session.query(model.Package.id, model.Package.name, model.Package.owner_org)
            .filter(model.Package.state == "active", model.Package.type == "dataset")
            .filter((model.Package.extras["uri"].astext == uri) | (model.Package.extras["guid"].astext == uri))
            .all())
    return [{"id": r.id, "name": r.name, "owner_org": r.owner_org, "source": source_of(r.id)} for r in rows]
