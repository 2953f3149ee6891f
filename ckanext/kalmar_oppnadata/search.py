"""Search: controlled-vocabulary fields in the index and their facets with readable names.

Each vocabulary field is indexed into CKAN's multivalued ``vocab_<field>`` Solr fields (already in
CKAN's schema, so no custom Solr schema), and facet items are given the vocabulary's label in the
visitor's language instead of a bare code or URI.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from . import specifications, vocabularies
from .logic.validators import as_list

# Dataset field → vocabulary (None: free URIs, labelled from the specification register).
INDEXED_FIELDS: dict[str, str | None] = {
    "sdg": "sdg",
    "theme": "data-theme",
    "access_rights": "access-right",
    "hvd_category": "hvd-category",
    "conforms_to": None,
}


def facet_field(field: str) -> str:
    return f"vocab_{field}"


def index_vocabularies(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: add ``vocab_<field>`` lists from the validated dataset."""
    validated = pkg_dict.get("validated_data_dict")
    data = json.loads(validated) if isinstance(validated, str) else (validated or pkg_dict)
    for field in INDEXED_FIELDS:
        values = [str(v) for v in as_list(data.get(field))]
        if values:
            pkg_dict[facet_field(field)] = values
    return pkg_dict


def current_language() -> str:
    try:
        return tk.h.lang() or "sv"
    except RuntimeError:  # outside a web request (CLI, jobs)
        return tk.config.get("ckan.locale_default") or "sv"


def label(field: str, value: str, lang: str) -> str:
    vocabulary = INDEXED_FIELDS.get(field)
    if vocabulary == "sdg":
        concept = vocabularies.get("sdg").get(value)
        return f"{concept.code}. {concept.label(lang)}" if concept else value
    if vocabulary:
        return vocabularies.get(vocabulary).label(value, lang)
    spec = specifications.get(value)
    return spec["name"] if spec else value


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """``after_dataset_search``: readable display names for the vocabulary facets."""
    facets = search_results.get("search_facets") or {}
    if not any(facet_field(f) in facets for f in INDEXED_FIELDS):
        return search_results
    lang = current_language()
    for field in INDEXED_FIELDS:
        for item in facets.get(facet_field(field), {}).get("items", []):
            item["display_name"] = label(field, item["name"], lang)
    return search_results


def add_facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset and organization pages' facets: goals, themes and specifications after the core ones."""
    facets_dict[facet_field("sdg")] = tk._("Global goals")
    facets_dict[facet_field("theme")] = tk._("Data themes")
    facets_dict[facet_field("conforms_to")] = tk._("Specifications")
    return facets_dict
