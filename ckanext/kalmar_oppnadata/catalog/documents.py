"""Complete DCAT-AP-SE catalogs: every public, active dataset in one document (the national harvester
does not follow Hydra pages), for the whole portal or one organization; and the catalog of the public
high-value datasets (catalog/hvd.py).

Datasets are read from the search index as an anonymous visitor would see them, so private datasets,
drafts and deleted datasets can never enter a catalog, whoever asks.
"""
from __future__ import annotations

import functools
import re
from typing import IO, Any, Iterator

from rdflib import Graph, URIRef

import ckan.plugins.toolkit as tk
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import catalog_uri, dataset_uri

from ckanext.kalmar_oppnadata.catalog import caching, hvd, keeping, listing, parts, serializers
from ckanext.kalmar_oppnadata.registers.organizations import organization
from ckanext.kalmar_oppnadata.search.paging import all_datasets

serializers.register()
FORMATS = {
    "rdf": ("xml", "application/rdf+xml"),
    "xml": ("xml", "application/rdf+xml"),
    "ttl": (serializers.FORMAT, "text/turtle"),  # Turtle in time proportional to the catalog
    "jsonld": ("json-ld", "application/ld+json"),
}


def public_datasets(fq: str | None = None) -> Iterator[dict[str, Any]]:
    """All public, active datasets (optionally filtered), as an anonymous visitor finds them."""
    return all_datasets({"user": "", "ignore_auth": True}, fq=fq or "", fq_list=["-dataset_type:harvest"],
                        include_private=False, include_drafts=False, include_deleted=False)


def _dates(datasets: list[dict[str, Any]]) -> dict[str, str]:
    if not datasets:
        return {}
    return {"issued": min(d["metadata_created"] for d in datasets),
            "modified": max(d["metadata_modified"] for d in datasets)}


class CatalogSerializer(RDFSerializer):
    """ckanext-dcat's serializer, but the catalog keeps the URI it is given (``catalog["uri"]``), so
    each organization's catalog is a resource of its own rather than the portal's.

    Each dataset's triples are made in a graph of their own and then added to the catalog's: ckanext-dcat's
    DCAT-AP 3 step rewrites ``dcat:byteSize`` by scanning every ``dcat:byteSize`` triple of the graph it is
    given, which on the catalog's graph means every distribution so far, so a catalog cost the square of
    its size (bench/findings.md)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._organizations: dict[str, dict[str, Any] | None] = {}  # read once per serializer, for its profiles

    def _load_profiles(self, profile_names):
        # ckanext-dcat looks the profiles up among the installed packages' entry points each time a
        # serializer is made (about 30 ms of CPU); the installed packages do not change while a process runs.
        return list(_profiles(tuple(profile_names)))

    def dataset_graph(self, dataset_dict) -> tuple[Graph, URIRef]:
        """One dataset's triples in a graph of their own (binding the catalog's namespaces), and its URI.

        As ckanext-dcat's ``graph_from_dataset``, with the profiles writing into a part's graph
        (``parts.new_graph``) and sharing the organizations this serializer has read."""
        dataset_ref = URIRef(dataset_uri(dataset_dict))
        graph = parts.new_graph()
        for profile_class in self._profiles:
            profile = profile_class(graph, compatibility_mode=self.compatibility_mode)
            if hasattr(profile, "share_organizations"):
                profile.share_organizations(self._organizations)
            profile.graph_from_dataset(dataset_dict, dataset_ref)
        return graph, dataset_ref

    def graph_from_dataset(self, dataset_dict):
        graph, dataset_ref = self.dataset_graph(dataset_dict)
        self.g += graph
        return dataset_ref

    def graph_from_catalog(self, catalog_dict=None):
        catalog_ref = URIRef((catalog_dict or {}).get("uri") or catalog_uri())
        for profile_class in self._profiles:
            profile_class(self.g, compatibility_mode=self.compatibility_mode).graph_from_catalog(
                catalog_dict, catalog_ref)
        return catalog_ref


@functools.lru_cache(maxsize=8)
def _profiles(profile_names: tuple[str, ...]) -> tuple[type, ...]:
    return tuple(RDFSerializer._load_profiles(None, list(profile_names)))


def serialize(catalog: dict[str, Any], datasets: list[dict[str, Any]], fmt: str) -> tuple[str, str]:
    rdf_format, content_type = FORMATS[fmt]
    body = CatalogSerializer().serialize_catalog({**_dates(datasets), **catalog}, datasets, _format=rdf_format)
    return body, content_type


def portal_catalog_dict() -> dict[str, Any]:
    """The portal's catalog: published by the region (``ckanext.kalmar_oppnadata.catalog_publisher``)."""
    site_title = tk.config.get("ckan.site_title")
    return {
        "title": site_title,
        "title_en": "Open data in Kalmar County",
        "description": tk.config.get("ckan.site_description") or
        "Öppna data från kommunerna och regionen i Kalmar län.",
        "description_en": "Open data from the municipalities and the region of Kalmar County, Sweden.",
        "homepage": tk.config.get("ckan.site_url"),
        "publisher": organization(tk.config.get("ckanext.kalmar_oppnadata.catalog_publisher")),
    }


def portal_catalog(fmt: str) -> tuple[str, str]:
    """The whole portal's catalog, built now."""
    return serialize(portal_catalog_dict(), list(public_datasets()), fmt)


def assemble(catalog: dict[str, Any], fq: str, fmt: str, out: IO[str]) -> caching.Built:
    """The catalog of the public datasets matching ``fq``, streamed to ``out`` from the kept parts (those
    missing or out of date made first, ``catalog/keeping.py``)."""
    fmt = "rdf" if fmt == "xml" else fmt
    entries = listing.kept_listing(fq)
    organizations = caching.organization_states()
    code = caching.code_state()
    made = keeping.make_parts(entries, organizations, code, formats=(fmt,))
    present = keeping.references(entries, organizations, code)
    serializer = CatalogSerializer()
    serializer.g = parts.new_graph()
    catalog_ref = serializer.graph_from_catalog({**_dates([ref for _, ref in present]), **catalog})
    listed = [entry for entry, _ in present]
    parts.write_document(fmt, serializer.g, str(catalog_ref), [ref["uri"] for _, ref in present],
                         keeping.kept_parts(fmt, listed, organizations, code), out)
    return caching.Built([entry.id for entry in listed], made)


def _fingerprint(fq: str) -> str:
    """The public datasets matching ``fq``: how many, the newest change of a catalog digest (not the newest
    indexing, which what the jobs record on a resource also moves), and the changes shortly before it."""
    at = listing.state(fq)
    return caching.fingerprint_of(fq, str(at.count), at.newest, listing.recent(fq, at.newest))


def _public_ids(fq: str) -> set[str]:
    return {entry.id for entry in listing.listing(fq)}


# The kept documents' names (``caching.cached_file``), here only
def portal_name(fmt: str) -> str:
    return f"catalog-{fmt}"


def organization_name(org_id: str, fmt: str) -> str:
    return f"catalog-{org_id}-{fmt}"


def hvd_name(fmt: str) -> str:
    return f"catalog-hvd-{fmt}"


_KEPT_NAME = re.compile(r"catalog-(?:(hvd)|([0-9a-f-]{36}))-(\w+)")


def kept_documents() -> tuple[set[str], set[tuple[str, str]]]:
    """The formats of the HVD catalog and the (organization id, format) pairs of which a version is kept."""
    hvd_formats: set[str] = set()
    organizations: set[tuple[str, str]] = set()
    for name in caching.kept_names("catalog-"):
        if match := _KEPT_NAME.fullmatch(name):
            if match.group(1):
                hvd_formats.add(match.group(3))
            else:
                organizations.add((match.group(2), match.group(3)))
    return hvd_formats, organizations


def portal_catalog_file(fmt: str) -> caching.Kept:
    """The whole portal's catalog as a kept file, assembled again only when what it shows changed."""
    return caching.cached_file(portal_name(fmt), lambda: _fingerprint(""),
                               lambda out: assemble(portal_catalog_dict(), "", fmt, out),
                               still_public=lambda: _public_ids(""))


def organization_catalog_file(org: dict[str, Any], fmt: str) -> caching.Kept:
    """One organization's catalog as a kept file (see ``portal_catalog_file``)."""
    fq = _organization_fq(org)
    return caching.cached_file(organization_name(org["id"], fmt), lambda: _fingerprint(fq),
                               lambda out: assemble(organization_catalog_dict(org), fq, fmt, out),
                               still_public=lambda: _public_ids(fq))


def hvd_catalog_file(fmt: str) -> caching.Kept:
    """The catalog of the public high-value datasets (``/catalog/hvd.rdf``): the same kept parts as the
    complete catalog, for the datasets with an HVD category (catalog/hvd.py)."""
    return caching.cached_file(hvd_name(fmt), lambda: _fingerprint(hvd.INDEX_QUERY),
                               lambda out: assemble(hvd.catalog_dict(portal_catalog_dict()), hvd.INDEX_QUERY, fmt,
                                                    out),
                               still_public=lambda: _public_ids(hvd.INDEX_QUERY))


def hvd_catalog(fmt: str) -> tuple[str, str]:
    """The catalog of the public high-value datasets, built now as a whole."""
    return serialize(hvd.catalog_dict(portal_catalog_dict()), list(public_datasets(fq=hvd.INDEX_QUERY)), fmt)


def _organization_fq(org: dict[str, Any]) -> str:
    return f'owner_org:"{org["id"]}"'


def organization_catalog_dict(org: dict[str, Any]) -> dict[str, Any]:
    """One organization's catalog: its datasets, published by it (for its /psidata page)."""
    return {
        "uri": tk.url_for("kalmar_organization.catalog", id=org["name"], _format="rdf", _external=True),
        "title": f"Öppna data från {org['title']}",
        "title_en": f"Open data from {org['title']}",
        "description": org.get("description") or
        f"Datamängder som {org['title']} publicerar på {tk.config.get('ckan.site_title')}.",
        "homepage": tk.url_for("organization.read", id=org["name"], _external=True),
        "spatial_uri": org.get("geonames_uri"),
        "publisher": org,
    }


def organization_catalog(org: dict[str, Any], fmt: str) -> tuple[str, str]:
    """One organization's catalog, built now as a whole."""
    return serialize(organization_catalog_dict(org), list(public_datasets(fq=_organization_fq(org))), fmt)
