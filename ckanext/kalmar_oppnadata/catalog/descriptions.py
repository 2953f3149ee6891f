"""One dataset's DCAT-AP-SE description, for its own addresses: ``/dataset/<name>`` asked for RDF (an
``Accept`` header of Turtle, RDF/XML or JSON-LD: content negotiation) and ``/dataset/<name>.{ttl,rdf,jsonld}``.

A public dataset's description is its part in the complete catalog (``keeping``: the same kept part, made
first if missing), so what a client reads at the dataset's address is what Sveriges dataportal harvests. A
private dataset or a draft is described only to those who may see it (``package_show`` as the asking user
decides; everyone else gets the same 404 as its page), made for them from the dataset as shown: it is in no
catalog.

ckanext-dcat's own content negotiation (``ckanext.dcat.enable_content_negotiation``) stays off: it
serializes ``package_show`` anew rather than the catalog's part, answers a private dataset with 403 (which
says that it exists), and takes over the start page and ``/dataset/new`` as well.
"""
from __future__ import annotations

from typing import Any

from rdflib import Graph

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import caching, keeping, listing, parts

# Media type → format, and format → (rdflib serializer, media type).
MEDIA_TYPES = {"text/turtle": "ttl", "application/rdf+xml": "rdf", "application/ld+json": "jsonld"}
FORMATS = {"ttl": ("turtle", "text/turtle"), "rdf": ("xml", "application/rdf+xml"),
           "xml": ("xml", "application/rdf+xml"), "jsonld": ("json-ld", "application/ld+json")}


def negotiated_format(accept: Any) -> str | None:
    """The RDF format an ``Accept`` header (werkzeug's ``MIMEAccept``) prefers to HTML, if any."""
    best = accept.best_match(["text/html", *MEDIA_TYPES])
    return MEDIA_TYPES.get(best)


def _prefixes() -> str:
    return "".join(f"@prefix {prefix}: <{uri}> .\n" for prefix, uri in parts.namespaces())


def kept_part(dataset_id: str) -> Graph | None:
    """The public dataset's part in the complete catalog, as a graph (None if it is not public)."""
    entries = listing.listing(f'id:"{dataset_id}"')
    if not entries:
        return None
    organizations, code = caching.organization_states(), caching.code_state()
    keeping.make_parts(entries, organizations, code)
    data = next(iter(keeping.kept_parts("ttl", entries, organizations, code)), None)
    if data is None:
        return None
    return parts.new_graph().parse(data=_prefixes() + data.decode("utf-8"), format="turtle")


def _made_now(dataset: dict[str, Any]) -> Graph:
    from ckanext.kalmar_oppnadata.catalog.documents import CatalogSerializer

    graph, _ = CatalogSerializer().dataset_graph(dataset)
    return graph


def description(id_or_name: str, user: str) -> Graph:
    """The dataset's description as ``user`` may see it; ``tk.ObjectNotFound`` if they may not."""
    try:
        dataset = tk.get_action("package_show")({"user": user}, {"id": id_or_name})
    except tk.NotAuthorized as error:
        raise tk.ObjectNotFound() from error
    public = not dataset.get("private") and dataset.get("state") == "active"
    graph = kept_part(dataset["id"]) if public else None
    return graph if graph is not None else _made_now(dataset)


def serialize(graph: Graph, fmt: str) -> tuple[str, str]:
    """The description in ``fmt`` (ttl, rdf/xml, jsonld), and its media type."""
    rdf_format, media_type = FORMATS[fmt]
    return graph.serialize(format=rdf_format), media_type
