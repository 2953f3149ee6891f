"""Complete DCAT catalogs: every public, active dataset in one document (the national harvester
does not follow Hydra pages), for the whole portal or one organization.

Datasets are read from the search index as an anonymous visitor would see them, so private datasets,
drafts and deleted datasets can never enter a catalog, whoever asks.
"""
from __future__ import annotations

from typing import Any, Iterator

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer

FORMATS = {
    "rdf": ("xml", "application/rdf+xml"),
    "xml": ("xml", "application/rdf+xml"),
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
}
PAGE_SIZE = 500


def public_datasets(fq: str | None = None) -> Iterator[dict[str, Any]]:
    """All public, active datasets (optionally filtered), in a stable order."""
    start = 0
    while True:
        result = tk.get_action("package_search")(
            {"user": "", "ignore_auth": True},
            {
                "q": "*:*",
                "fq": fq or "",
                "fq_list": ["-dataset_type:harvest"],
                "include_private": False,
                "include_drafts": False,
                "include_deleted": False,
                "sort": "name asc",
                "rows": PAGE_SIZE,
                "start": start,
            },
        )
        yield from result["results"]
        start += PAGE_SIZE
        if start >= result["count"]:
            return


def serialize_catalog(catalog: dict[str, Any], fmt: str, fq: str | None = None) -> tuple[str, str]:
    """Serialize the complete catalog; returns (body, content type). ``fmt`` is a key of FORMATS."""
    rdf_format, content_type = FORMATS[fmt]
    serializer = RDFSerializer()
    body = serializer.serialize_catalog(catalog, list(public_datasets(fq)), _format=rdf_format)
    return body, content_type


def organization_catalog(org: dict[str, Any], fmt: str) -> tuple[str, str]:
    catalog = {
        "uri": tk.url_for("kalmar_organization.catalog", id=org["name"], _format="rdf", _external=True),
        "title": tk._("Open data from {organization}").format(organization=org["title"]),
        "description": org.get("description")
        or tk._("Datasets published by {organization} on {portal}").format(
            organization=org["title"], portal=tk.config.get("ckan.site_title")
        ),
        "homepage": tk.url_for("organization.read", id=org["name"], _external=True),
    }
    return serialize_catalog(catalog, fmt, fq=f'owner_org:"{org["id"]}"')
