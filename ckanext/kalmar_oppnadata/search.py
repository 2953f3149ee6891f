"""Search: controlled-vocabulary fields in the index and their facets with readable names.

Each vocabulary field is indexed into CKAN's multivalued ``vocab_<field>`` Solr fields (already in
CKAN's schema, so no custom Solr schema), and facet items are given the vocabulary's label in the
visitor's language instead of a bare code or URI.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from shapely.geometry import box, mapping, shape

from . import requested_datasets, specifications, vocabularies
from .logic.validators import as_list

# ckanext-spatial's solr-bbox backend ranks by overlapping *area*, so an extent without area (a point,
# a line along a meridian) would never be found. Such extents are indexed as a box this much wider
# (degrees, about 50 m); the stored extent is untouched.
DEGENERATE_PADDING = 0.0005

# Dataset field → vocabulary (None: free URIs, labelled from the specification register).
INDEXED_FIELDS: dict[str, str | None] = {
    "sdg": "sdg",
    "theme": "data-theme",
    "access_rights": "access-right",
    "hvd_category": "hvd-category",
    "conforms_to": None,
    "answers": "requested",
}


SEARCH_PAGE = 1000


def all_datasets(context: dict[str, Any], **query: Any):
    """Every dataset ``package_search`` gives the caller for ``query``, page by page, in a stable order."""
    start = 0
    while True:
        result = tk.get_action("package_search")(
            dict(context), {"q": "*:*", "sort": "name asc", **query, "rows": SEARCH_PAGE, "start": start})
        yield from result["results"]
        start += SEARCH_PAGE
        if start >= result["count"]:
            return


def facet_field(field: str) -> str:
    return f"vocab_{field}"


def index_vocabularies(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: add ``vocab_<field>`` lists from the validated dataset."""
    validated = pkg_dict.get("validated_data_dict")
    data = json.loads(validated) if isinstance(validated, str) else (validated or pkg_dict)
    for field in INDEXED_FIELDS:
        values = [str(v) for v in as_list(data.get(field))]
        if field == "answers":
            values = answered_requests(data)
        if values:
            pkg_dict[facet_field(field)] = values
    return pkg_dict


def answered_requests(dataset: dict[str, Any]) -> list[str]:
    """The requested datasets a dataset answers: those it names, and those of its specifications."""
    answers = [str(v) for v in as_list(dataset.get("answers"))]
    for uri in as_list(dataset.get("conforms_to")):
        spec = specifications.get(str(uri))
        answers += spec.get("requested", []) if spec else []
    return sorted(set(answers))


def current_language() -> str:
    try:
        return tk.h.lang() or "sv"
    except RuntimeError:  # outside a web request (CLI, jobs)
        return tk.config.get("ckan.locale_default") or "sv"


def index_extent(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: give area to extents that have none, whether ckanext-spatial has
    already turned the extent into ``minx…maxy`` (it ran first) or will do so from the geometry."""
    if all(k in pkg_dict for k in ("minx", "miny", "maxx", "maxy")):
        minx, miny, maxx, maxy = (float(pkg_dict[k]) for k in ("minx", "miny", "maxx", "maxy"))
        if maxx - minx < DEGENERATE_PADDING or maxy - miny < DEGENERATE_PADDING:
            pkg_dict.update(minx=minx - DEGENERATE_PADDING, miny=miny - DEGENERATE_PADDING,
                            maxx=maxx + DEGENERATE_PADDING, maxy=maxy + DEGENERATE_PADDING)
            pkg_dict["bbox_area"] = (pkg_dict["maxx"] - pkg_dict["minx"]) * (pkg_dict["maxy"] - pkg_dict["miny"])
        return pkg_dict
    text = pkg_dict.get("extras_spatial") or pkg_dict.get("spatial")
    if not text:
        return pkg_dict
    try:
        minx, miny, maxx, maxy = shape(json.loads(text)).bounds
    except Exception:  # stored extents are validated; anything else is ckanext-spatial's to report
        return pkg_dict
    if maxx - minx < DEGENERATE_PADDING or maxy - miny < DEGENERATE_PADDING:
        padded = box(minx - DEGENERATE_PADDING, miny - DEGENERATE_PADDING,
                     maxx + DEGENERATE_PADDING, maxy + DEGENERATE_PADDING)
        # Both keys of the index document (ckanext-spatial reads one or the other by version).
        pkg_dict["extras_spatial"] = pkg_dict["spatial"] = json.dumps(mapping(padded))
    return pkg_dict


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
