"""High-value datasets (EU implementing regulation 2023/138) in the catalog: DCAT-AP HVD on DCAT-AP-SE.

A dataset is a high-value dataset when its form names an HVD category (``hvd_category``); the portal then
sets its applicable legislation to the regulation's ELI (``registers.vocabularies.HVD_LEGISLATION``,
logic/validators.py). What DIGG's recommendation 14 and SEMIC's DCAT-AP HVD 3.0.0 ask of such a dataset,
its distributions and its data services (shared/reference/dataportal-api-hvd.md, c1–c3), and how:

- the dataset: applicable legislation and HVD category (ckanext-dcat's EU step writes both from the
  dataset's own fields), a contact point (the form requires one);
- every distribution: applicable legislation (``for_export`` gives the EU step the value);
- every data service (the DataStore API of a table, ``mapping._data_service``): applicable legislation
  (EU step), and here: the HVD category, the dataset's contact point, documentation (``foaf:page``) and
  the dataset it serves. The documentation is the table's resource page, whose API box documents the
  calls from the table's own columns; an operator who publishes a statement on the APIs' quality of
  service names it in ``ckanext.kalmar_oppnadata.api_documentation_url`` and it is added;
- the values typed as the HVD shapes check them: the regulation ``eli:LegalResource``, the category
  ``skos:Concept`` with its labels from the register, the documentation ``foaf:Document``, the contact
  point also ``vcard:Kind`` (it stays a ``vcard:Organization`` as DCAT-AP-SE asks), a data service's
  licence ``dct:LicenseDocument``.

These triples are part of each HVD dataset's description everywhere (the complete catalogs, its own RDF):
DIGG asks for HVD datasets to be marked in the catalog Sveriges dataportal harvests. The HVD catalog
(``/catalog/hvd.rdf``, catalog/documents.py) is the same kept parts, for the HVD datasets only.
"""
from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCATAP, VCARD

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.registers import vocabularies
from ckanext.kalmar_oppnadata.registers.vocabularies import HVD_LEGISLATION

ELI = "http://data.europa.eu/eli/ontology#"
HVD_SCHEME = "http://data.europa.eu/bna/asd487ae75"
INDEX_QUERY = "vocab_hvd_category:[* TO *]"  # the HVD datasets, in the search index (search/indexing.py)


def is_hvd(dataset: dict[str, Any]) -> bool:
    return bool(as_list(dataset.get("hvd_category")))


def _services(resource: dict[str, Any]) -> list[dict[str, Any]]:
    services = resource.get("access_services") or []
    return json.loads(services) if isinstance(services, str) else services  # the EU step stores JSON back


def for_export(view: dict[str, Any]) -> dict[str, Any]:
    """The EU steps' view (``mapping.for_export``) of an HVD dataset: applicable legislation on every
    distribution and data service. Other datasets unchanged."""
    if not is_hvd(view):
        return view
    view = {**view, "applicable_legislation": [HVD_LEGISLATION]}
    resources = []
    for resource in view.get("resources", []):
        services = [{**service, "applicable_legislation": [HVD_LEGISLATION]} for service in _services(resource)]
        resources.append({**resource, "applicable_legislation": [HVD_LEGISLATION],
                          **({"access_services": services} if services else {})})
    view["resources"] = resources
    return view


def documentation(resource: dict[str, Any]) -> list[str]:
    """The documentation of a table's data service: its resource page, and the operator's page on the
    APIs' quality of service when configured."""
    pages = [tk.url_for("resource.read", id=resource["package_id"], resource_id=resource["id"], _external=True,
                        locale="default")] if resource.get("package_id") and resource.get("id") else []
    configured = tk.config.get("ckanext.kalmar_oppnadata.api_documentation_url")
    return pages + ([configured] if configured else [])


def add_triples(g: Graph, view: dict[str, Any], dataset_ref: URIRef) -> None:
    """The HVD triples the EU steps do not write (module notes), for an HVD dataset's view."""
    if not is_hvd(view):
        return
    legislation = URIRef(HVD_LEGISLATION)
    g.add((legislation, RDF.type, URIRef(ELI + "LegalResource")))
    categories = [URIRef(c) for c in as_list(view.get("hvd_category"))]
    register = vocabularies.get("hvd-category")
    for category in categories:
        g.add((category, RDF.type, SKOS.Concept))
        g.add((category, SKOS.inScheme, URIRef(HVD_SCHEME)))
        concept = register.get(str(category))
        for lang, label in (concept.labels if concept else {}).items():
            g.add((category, SKOS.prefLabel, Literal(label, lang=lang or None)))
    contacts = list(g.objects(dataset_ref, DCAT.contactPoint))
    for contact in contacts:
        g.add((contact, RDF.type, VCARD.Kind))
    for resource in view.get("resources", []):
        for service in _services(resource):
            if not service.get("uri"):
                continue
            node = URIRef(service["uri"])
            g.add((node, DCAT.servesDataset, dataset_ref))
            for category in categories:
                g.add((node, DCATAP.hvdCategory, category))
            for contact in contacts:
                g.add((node, DCAT.contactPoint, contact))
            for page in documentation(resource):
                g.add((node, FOAF.page, URIRef(page)))
                g.add((URIRef(page), RDF.type, FOAF.Document))
            for licence in g.objects(node, DCTERMS.license):
                g.add((licence, RDF.type, DCTERMS.LicenseDocument))


def catalog_dict(portal: dict[str, Any]) -> dict[str, Any]:
    """The HVD catalog's own description, from the portal's (same publisher), marked with the regulation."""
    return {
        **portal,
        "uri": tk.url_for("kalmar_catalog.hvd", _format="rdf", _external=True, locale="default"),
        "title": f"Värdefulla datamängder – {portal['title']}",
        "title_en": "High-value datasets – Open data in Kalmar County",
        "description": "De datamängder på portalen som omfattas av EU:s genomförandeförordning 2023/138 om "
                       "värdefulla datamängder.",
        "description_en": "The datasets on the portal that fall under EU implementing regulation 2023/138 on "
                          "high-value datasets.",
        "applicable_legislation": [HVD_LEGISLATION],
    }


def add_catalog_triples(g: Graph, catalog_dict: dict[str, Any], catalog_ref: URIRef) -> None:
    """A reporting catalog of HVD datasets carries the applicable legislation too (SEMIC, c2)."""
    for legislation in as_list(catalog_dict.get("applicable_legislation")):
        g.add((catalog_ref, DCATAP.applicableLegislation, URIRef(legislation)))
        g.add((URIRef(legislation), RDF.type, URIRef(ELI + "LegalResource")))
