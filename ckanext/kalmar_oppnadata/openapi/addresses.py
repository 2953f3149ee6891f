"""The addresses of the OpenAPI documents and of the explorer page, locale-free and absolute (built from
``ckan.site_url``): the catalog, the API box and the documents themselves name them the same way."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

BLUEPRINT = "kalmar_openapi"


def site_url() -> str:
    """The portal's address without a trailing slash (the server of every description)."""
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def table_description(resource_id: str) -> str:
    """``/openapi/datastore/<resource_id>.json``: the OpenAPI description of one DataStore table."""
    return f"{site_url()}/openapi/datastore/{resource_id}.json"


def portal_description() -> str:
    """``/openapi/kalmar.json``: the OpenAPI description of the portal's own actions and search fields."""
    return f"{site_url()}/openapi/kalmar.json"


def explorer(dataset: str, resource_id: str) -> str:
    """The "Utforska API" page of a table (in the portal's default language; ``/en/`` before it for English)."""
    return f"{site_url()}/dataset/{dataset}/resource/{resource_id}/utforska-api"
