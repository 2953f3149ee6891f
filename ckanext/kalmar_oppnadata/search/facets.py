"""Facets on the search pages: the vocabulary fields, with items named by the vocabulary's label in the
visitor's language instead of a bare code or URI."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language
from ckanext.kalmar_oppnadata.freshness import status
from ckanext.kalmar_oppnadata.harvesting import sources
from ckanext.kalmar_oppnadata.registers import licenses, requested_datasets, specifications, vocabularies
from ckanext.kalmar_oppnadata.search.indexing import FRESHNESS_FIELD, INDEXED_FIELDS, facet_field


def label(field: str, value: str, lang: str) -> str:
    vocabulary = INDEXED_FIELDS.get(field)
    if vocabulary == "requested":
        entry = requested_datasets.get(value)
        return (entry["name"] if lang == "sv" else entry["name_en"]) if entry else value
    if vocabulary == "sdg":
        concept = vocabularies.get("sdg").get(value)
        return f"{concept.code}. {concept.label(lang)}" if concept else value
    if vocabulary:
        return vocabularies.get(vocabulary).label(value, lang)
    spec = specifications.get(value)
    return spec["name"] if spec else value


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """``after_dataset_search``: readable display names for the vocabulary facets, and the licences' names
    in the visitor's language."""
    facets = search_results.get("search_facets") or {}
    for item in facets.get(FRESHNESS_FIELD, {}).get("items", []):
        item["display_name"] = tk._(status.STATES.get(item["name"], item["name"]))
    sources.label_facets(facets)
    if not any(facet_field(f) in facets for f in INDEXED_FIELDS) and "license_id" not in facets:
        return search_results
    lang = current_language()
    for field in INDEXED_FIELDS:
        for item in facets.get(facet_field(field), {}).get("items", []):
            item["display_name"] = label(field, item["name"], lang)
    for item in facets.get("license_id", {}).get("items", []):
        item["display_name"] = licenses.title(item["name"], lang) or item["display_name"]
    return search_results


def add_facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset and organization pages' facets: goals, themes and specifications after the core ones."""
    facets_dict[facet_field("sdg")] = tk._("Global goals")
    facets_dict[facet_field("theme")] = tk._("Data themes")
    facets_dict[facet_field("conforms_to")] = tk._("Specifications")
    facets_dict[FRESHNESS_FIELD] = tk._("Freshness")
    return facets_dict
