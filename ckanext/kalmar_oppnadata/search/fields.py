"""Search field names a person can guess (``before_dataset_search``, ``after_dataset_search``).

The vocabulary fields are indexed as ``vocab_<field>`` (indexing.py), but a developer who reads a dataset
from ``package_show`` writes ``sdg:6``, ``theme:…`` or ``conforms_to:…``. Those names are rewritten to the
indexed fields in ``q``, ``fq``, ``fq_list`` and ``facet.field``, and the facets come back under the name that
was asked for. A few names that are no field at all (``kommun``, ``goal``, …) are refused with the field to
use instead, rather than answered with a silent 0 (Solr accepts any field name).
"""
from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
from ckanext.spatial.lib import normalize_bbox

from ckanext.kalmar_oppnadata.search.indexing import INDEXED_FIELDS, facet_field

# The dataset field a person writes → the field in the index.
ALIASES: dict[str, str] = {field: facet_field(field) for field in INDEXED_FIELDS}

# Names that are no field, and the one to use instead (the name shown in the guide, /utvecklare).
NOT_FIELDS: dict[str, str] = {
    "municipality": "organization", "kommun": "organization", "organisation": "organization",
    "goal": "sdg", "goals": "sdg", "agenda2030": "sdg",
    "themes": "theme", "tema": "theme",
    "specification": "conforms_to", "specifikation": "conforms_to",
}

# A field name: a word right before ":" that is not the tail of a longer name or an escaped value.
_FIELD = re.compile(r"(?<![\w.\\])([A-Za-z_]\w*)(?=:)")
# Quoted phrases are values, never field names.
_QUOTED = re.compile(r'"(?:\\.|[^"\\])*"')

# Where the names asked for in facet.field are kept until the facets come back (extras never reach Solr).
_ASKED = "kalmar_facet_names"


def _rewrite_unquoted(text: str, param: str) -> str:
    def field(match: re.Match) -> str:
        name = match.group(1)
        if name in NOT_FIELDS:
            raise tk.ValidationError({param: [tk._('There is no search field "{name}": use "{field}"').format(
                name=name, field=NOT_FIELDS[name])]})
        return ALIASES.get(name, name)

    return _FIELD.sub(field, text)


def rewrite_query(text: str, param: str = "fq") -> str:
    """``sdg:6 theme:"…ENVI"`` → ``vocab_sdg:6 vocab_theme:"…ENVI"``; quoted values are left alone."""
    out, last = [], 0
    for quoted in _QUOTED.finditer(text):
        out += [_rewrite_unquoted(text[last:quoted.start()], param), quoted.group()]
        last = quoted.end()
    out.append(_rewrite_unquoted(text[last:], param))
    return "".join(out)


def _facet_name(name: str) -> str:
    if name in NOT_FIELDS:
        raise tk.ValidationError({"facet.field": [tk._('There is no search field "{name}": use "{field}"').format(
            name=name, field=NOT_FIELDS[name])]})
    return ALIASES.get(name, name)


def before_search(search_params: dict[str, Any]) -> dict[str, Any]:
    check_bbox(search_params)
    for param in ("q", "fq"):
        if isinstance(search_params.get(param), str):
            search_params[param] = rewrite_query(search_params[param], param)
    if isinstance(search_params.get("fq_list"), str):
        search_params["fq_list"] = _one_or_json_list(search_params["fq_list"])
    if isinstance(search_params.get("fq_list"), list):
        search_params["fq_list"] = [rewrite_query(fq, "fq_list") if isinstance(fq, str) else fq
                                    for fq in search_params["fq_list"]]
    asked = search_params.get("facet.field")
    if isinstance(asked, list) and any(isinstance(name, str) and name in ALIASES.keys() | NOT_FIELDS.keys()
                                       for name in asked):
        indexed = [_facet_name(name) for name in asked]
        search_params["facet.field"] = list(dict.fromkeys(indexed))
        search_params.setdefault("extras", {})[_ASKED] = {
            "aliases": {name: field for name, field in zip(asked, indexed) if name != field},
            "asked": list(asked)}
    return search_params


def _one_or_json_list(text: str) -> list[Any]:
    """``fq_list`` given once over GET is text: a JSON list (``["sdg:6"]``, as ``facet.field`` takes it) or
    one filter. CKAN would send each of its characters to Solr as a filter of its own."""
    try:
        values = json.loads(text)
    except ValueError:
        return [text]
    return values if isinstance(values, list) else [text]


def after_search(search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
    """The facets asked for as ``sdg`` come back as ``sdg`` (CKAN keys them by the field searched)."""
    asked = (search_params.get("extras") or {}).get(_ASKED) or {}
    for key in ("facets", "search_facets"):
        facets = search_results.get(key) or {}
        for name, indexed in asked.get("aliases", {}).items():
            if indexed not in facets:
                continue
            facets[name] = copy.deepcopy(facets[indexed])
            if key == "search_facets":
                facets[name]["title"] = name
        for indexed in set(asked.get("aliases", {}).values()) - set(asked.get("asked", [])):
            facets.pop(indexed, None)
    return search_results


def _bbox_error() -> str:
    return tk._("Give ext_bbox as four numbers, minx,miny,maxx,maxy: longitudes and latitudes in degrees "
                "(WGS 84), e.g. 16.2,56.6,16.5,56.8")


def _box(value: Any) -> dict[str, float] | None:
    """The box of ``ext_bbox`` as ckanext-spatial reads it, or None unless its corners are in order and in
    WGS 84's range (a box given the wrong way round would find nothing, without a word)."""
    box = normalize_bbox(value)
    if box and -180 <= box["minx"] <= box["maxx"] <= 180 and -90 <= box["miny"] <= box["maxy"] <= 90:
        return box
    return None


def check_bbox(search_params: dict[str, Any]) -> None:
    """ckanext-spatial refuses a bad ``ext_bbox`` with an English search error under a Swedish prefix; the
    portal refuses it first, in the caller's language, naming the parameter."""
    bbox = (search_params.get("extras") or {}).get("ext_bbox")
    if bbox and not _box(bbox):
        raise tk.ValidationError({"ext_bbox": [_bbox_error()]})


def search_page_redirect(endpoint: str | None, args) -> str | None:
    """The search and organization pages take their filters from the address (``?sdg=6``): the address with
    the indexed names (``?vocab_sdg=6``), so that the facet shows the filter as chosen; None if it has none.
    A name that is no field, or a bad box, is answered with a 400 page that says what to write instead."""
    if endpoint not in ("dataset.search", "organization.read"):
        return None
    for key in args:
        if key in NOT_FIELDS:
            tk.abort(400, tk._('There is no search field "{name}": use "{field}"').format(
                name=key, field=NOT_FIELDS[key]))
    if args.get("ext_bbox") and not _box(args["ext_bbox"]):
        tk.abort(400, _bbox_error())
    if not any(key in ALIASES for key in args):
        return None
    params = [(ALIASES.get(key, key), value) for key, values in args.lists() for value in values]
    return tk.url_for(endpoint, **(tk.request.view_args or {})) + "?" + urlencode(params)
