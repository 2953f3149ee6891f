"""The ``dcat_ap_se`` profile: DCAT-AP-SE 3.0.1 as Sveriges dataportal harvests it.

Each public method only composes named steps. The EU DCAT-AP 3 steps of ckanext-dcat run unchanged on a
Swedish view of the dataset (``mapping.for_export``); the Swedish steps add what the EU steps do not
know: the publisher typed foaf:Organization, the contact point's telephone, Agenda 2030 goals as
dcterms:subject, what DCAT-AP HVD asks of high-value datasets (``hvd``), and the catalog as DCAT-AP-SE
requires it (publisher, CC0 licence, language URIs).
"""
from __future__ import annotations

import json
import re
from typing import Any

from rdflib import BNode, Literal, URIRef

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, VCARD
from ckanext.dcat.profiles.base import namespaces
from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile

from ckanext.kalmar_oppnadata.catalog import hvd, mapping
from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.files import api_box
from ckanext.kalmar_oppnadata.registers import organizations, vocabularies

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
SWEDISH = "http://publications.europa.eu/resource/authority/language/SWE"
ENGLISH = "http://publications.europa.eu/resource/authority/language/ENG"
THEME_TAXONOMY = "http://publications.europa.eu/resource/authority/data-theme"
_INTERNATIONAL_PHONE = re.compile(r"^\+[0-9]{6,15}$")


class SwedishDCATAPProfile(EuropeanDCATAP3Profile):
    """DCAT-AP-SE 3.0.1 on top of ckanext-dcat's EU DCAT-AP 3 profile."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._organizations: dict[str, dict[str, Any] | None] = {}

    def share_organizations(self, read: dict[str, dict[str, Any] | None]) -> None:
        """Use the organizations a serializer has read for its other datasets (``documents.CatalogSerializer``:
        a profile is made for each dataset, so its own cache would read them again every time)."""
        self._organizations = read

    # ------------------------------------------------------------------------------ public methods
    def graph_from_dataset(self, dataset_dict, dataset_ref):
        organization = self._organization(dataset_dict)
        view = mapping.for_export(
            dataset_dict, organization, self._publisher_uri, contact_uri=f"{dataset_ref}#kontaktpunkt",
            dataset_uri=str(dataset_ref), endpoint_for=api_box.data_service,
        )
        view = hvd.for_export(view)
        super().graph_from_dataset(view, dataset_ref)
        self._graph_license(view, dataset_ref)
        self._graph_publisher_se(dataset_ref)
        self._graph_contact_se(view, dataset_ref)
        self._graph_goals(view, dataset_ref)
        self._graph_data_services_se(view)
        self._graph_hvd(view, dataset_ref)

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        self._graph_catalog_se(catalog_dict or {}, catalog_ref)
        hvd.add_catalog_triples(self.g, catalog_dict or {}, catalog_ref)

    def parse_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        dataset_dict = self._parse_languages_se(dataset_dict, dataset_ref)
        dataset_dict = self._parse_spatial_se(dataset_dict, dataset_ref)
        dataset_dict = self._parse_goals(dataset_dict, dataset_ref)
        dataset_dict = self._parse_contact_se(dataset_dict, dataset_ref)
        dataset_dict = self._parse_license(dataset_dict, dataset_ref)
        dataset_dict["uri"] = str(dataset_ref)
        # ckanext-dcat's parser keeps the dict it passed in, so the result replaces its content.
        ours = mapping.from_import(dataset_dict)
        dataset_dict.clear()
        dataset_dict.update(ours)
        return dataset_dict

    # ------------------------------------------------------------------------------- dataset steps
    def _organization(self, dataset_dict: dict[str, Any]) -> dict[str, Any] | None:
        """The dataset's organization with all its fields, read once per serialization (so an edited
        name or number shows up in the next catalog, and a catalog of 10,000 datasets reads 13)."""
        org_id = (dataset_dict.get("organization") or {}).get("id") or dataset_dict.get("owner_org")
        if not org_id:
            return None
        if org_id not in self._organizations:
            self._organizations[org_id] = organizations.organization(org_id)
        return self._organizations[org_id]

    def _graph_license(self, view, dataset_ref):
        """The dataset's own licence (DCAT 3 allows dct:license on any dcat:Resource): distributions
        carry theirs for DCAT-AP, this keeps the dataset's default when a distribution differs."""
        if view.get("license_url"):
            self.g.add((dataset_ref, DCT.license, URIRef(view["license_url"])))

    def _publisher_uri(self, dataset_dict):
        """From the organization already read (the plugin's IDCATURIGenerator gives other profiles the
        same URI, but would read the organization again for every dataset)."""
        return organizations.publisher_uri(self._organization(dataset_dict))

    def _graph_publisher_se(self, dataset_ref):
        """DCAT-AP-SE: publishers are organizations (foaf:Organization as well as foaf:Agent)."""
        for publisher in self.g.objects(dataset_ref, DCT.publisher):
            self.g.add((publisher, RDF.type, FOAF.Organization))

    def _graph_contact_se(self, view, dataset_ref):
        """The contact point's telephone, when given in international form (RFC 3966 tel: URI)."""
        phone = re.sub(r"[\s\-()]", "", str(view.get("contact_phone") or ""))
        if phone and _INTERNATIONAL_PHONE.match(phone):
            for contact in self.g.objects(dataset_ref, DCAT.contactPoint):
                self.g.add((contact, VCARD.hasTelephone, URIRef(f"tel:{phone}")))

    def _graph_goals(self, view, dataset_ref):
        """Agenda 2030 goals as dcterms:subject with the UN's SDG URIs."""
        sdg = vocabularies.get("sdg")
        for code in as_list(view.get("sdg")):
            concept = sdg.get(code)
            if concept and concept.exact_match:
                self.g.add((dataset_ref, DCT.subject, URIRef(concept.exact_match[0])))

    def _graph_data_services_se(self, view):
        """The DataStore API of each table distribution: its title and description, language-tagged."""
        for resource in view.get("resources", []):
            services = resource.get("access_services") or []
            if isinstance(services, str):  # the EU step stores back what it wrote, as JSON
                services = json.loads(services)
            for service in services:
                if not service.get("uri"):
                    continue
                node = URIRef(service["uri"])
                for key, predicate in (("title_translated", DCT.title), ("description_translated", DCT.description)):
                    for lang, text in (service.get(key) or {}).items():
                        self.g.add((node, predicate, Literal(text, lang=lang)))

    def _graph_hvd(self, view, dataset_ref):
        """High-value datasets: what DCAT-AP HVD asks beyond the EU steps (catalog/hvd.py)."""
        hvd.add_triples(self.g, view, dataset_ref)

    # ------------------------------------------------------------------------------- parse steps
    def _parse_goals(self, dataset_dict, dataset_ref):
        subjects = [str(s) for s in self.g.objects(dataset_ref, DCT.subject)]
        goals = mapping.goals_from_subjects(subjects)
        if goals:
            dataset_dict["sdg"] = goals
        return dataset_dict

    def _parse_license(self, dataset_dict, dataset_ref):
        """The dataset's licence if stated on it, else the one most of its distributions use."""
        stated = self.g.value(dataset_ref, DCT.license)
        if stated is None:
            used = [str(r.get("license")) for r in dataset_dict.get("resources", []) if r.get("license")]
            stated = max(used, key=used.count) if used else None
        if stated is not None:
            dataset_dict["license_id"] = str(stated)
        return dataset_dict

    def _parse_contact_se(self, dataset_dict, dataset_ref):
        """The contact point's telephone: a tel: URI, directly or as the vcard:hasValue of a node."""
        for contact in self.g.objects(dataset_ref, DCAT.contactPoint):
            for phone in self.g.objects(contact, VCARD.hasTelephone):
                value = self.g.value(phone, VCARD.hasValue) if isinstance(phone, BNode) else phone
                if value is not None:
                    dataset_dict["contact_phone"] = str(value).removeprefix("tel:")
        return dataset_dict

    def _texts(self, subject, predicate) -> dict[str, list[str]]:
        """Literals by language; untagged ones count as Swedish (the catalog language)."""
        texts: dict[str, list[str]] = {}
        for value in self.g.objects(subject, predicate):
            if isinstance(value, Literal):
                texts.setdefault(value.language or "sv", []).append(str(value))
        return texts

    def _parse_languages_se(self, dataset_dict, dataset_ref):
        """Swedish and English titles, descriptions and keywords (and resource names) by language tag."""
        for field, predicate in (("title", DCT.title), ("notes", DCT.description)):
            texts = self._texts(dataset_ref, predicate)
            if texts.get("sv"):
                dataset_dict[field] = texts["sv"][0]
            if texts.get("en"):
                dataset_dict[f"{field}_en"] = texts["en"][0]
        keywords = self._texts(dataset_ref, DCAT.keyword)
        dataset_dict["tags"] = [{"name": k} for k in sorted(keywords.get("sv", []))]
        dataset_dict["keywords_en"] = sorted(keywords.get("en", []))
        for resource in dataset_dict.get("resources", []):
            ref = URIRef(resource["uri"]) if resource.get("uri") else None
            if ref is None:
                continue
            for field, predicate in (("name", DCT.title), ("description", DCT.description)):
                texts = self._texts(ref, predicate)
                if texts.get("sv"):
                    resource[field] = texts["sv"][0]
        return dataset_dict

    def _parse_spatial_se(self, dataset_dict, dataset_ref):
        """The Geonames URI, and the extent: the exact geometry if given, else the bbox."""
        for place in self.g.objects(dataset_ref, DCT.spatial):
            if isinstance(place, URIRef) and "geonames.org" in str(place):
                dataset_dict["spatial_uri"] = str(place)
        for key in ("spatial", "spatial_bbox"):
            value = dataset_dict.get(key) or next(
                (e["value"] for e in dataset_dict.get("extras", []) if e["key"] == key), None)
            if value:
                dataset_dict["spatial"] = value
                break
        return dataset_dict

    # ------------------------------------------------------------------------------- catalog step
    def _graph_catalog_se(self, catalog_dict, catalog_ref):
        """dcat:Catalog as DCAT-AP-SE requires: titles in Swedish and English, the publisher (the region
        for the portal, the organization for its own catalog), CC0 for the metadata, EU language URIs."""
        g = self.g
        for prefix, namespace in namespaces.items():
            g.bind(prefix, namespace)
        g.add((catalog_ref, RDF.type, DCAT.Catalog))
        site_title = tk.config.get("ckan.site_title")
        self._add_triples_from_dict(
            {
                "title": mapping.language_map(catalog_dict.get("title") or site_title,
                                              catalog_dict.get("title_en")),
                "description": mapping.language_map(
                    catalog_dict.get("description") or tk.config.get("ckan.site_description")
                    or site_title, catalog_dict.get("description_en")),
                "homepage": catalog_dict.get("homepage") or tk.config.get("ckan.site_url"),
            },
            catalog_ref,
            [("title", DCT.title, None, Literal), ("description", DCT.description, None, Literal),
             ("homepage", FOAF.homepage, None, URIRef, FOAF.Document)],
        )
        g.add((catalog_ref, DCT.license, URIRef(CC0)))
        g.add((catalog_ref, DCT.language, URIRef(SWEDISH)))
        g.add((catalog_ref, DCT.language, URIRef(ENGLISH)))
        g.add((catalog_ref, DCAT.themeTaxonomy, URIRef(THEME_TAXONOMY)))
        if catalog_dict.get("spatial_uri"):
            g.add((catalog_ref, DCT.spatial, URIRef(catalog_dict["spatial_uri"])))
        for key, predicate in (("issued", DCT.issued), ("modified", DCT.modified)):
            if catalog_dict.get(key):
                self._add_date_triple(catalog_ref, predicate, catalog_dict[key])
        publisher = catalog_dict.get("publisher")
        if publisher:
            uri = URIRef(organizations.publisher_uri(publisher))
            g.add((catalog_ref, DCT.publisher, uri))
            g.add((uri, RDF.type, FOAF.Agent))
            g.add((uri, RDF.type, FOAF.Organization))
            self._add_triples_from_dict(
                mapping.publisher_agent(publisher, str(uri)), uri,
                [("name_translated", FOAF.name, None, Literal), ("type", DCT.type, None, URIRef),
                 ("identifier", DCT.identifier, None, Literal), ("url", FOAF.homepage, None, URIRef)],
            )

