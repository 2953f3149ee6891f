"""The OpenAPI 3 description of the portal's own API (``/openapi/kalmar.json``).

Every action the plugin registers (its ``get_actions``, so a new action is described without editing this
file), each with the arguments of its schema where it declares one (``logic/schema.py``, ``arguments``),
else those of its docstring's ``:param`` lines (the actions that check their own arguments), and
``package_search`` with the portal's own search fields: the vocabulary fields as indexed
(``search/indexing.py``: ``vocab_sdg``, ``vocab_theme``, ``vocab_conforms_to``, ...), ``freshness``,
``broken_links`` and CKAN's own facet fields, each with the values it takes.
"""
from __future__ import annotations

import inspect
import re
from typing import Any, Callable

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.freshness import status
from ckanext.kalmar_oppnadata.logic import schema as argument_schemas
from ckanext.kalmar_oppnadata.registers import requested_datasets, specifications, vocabularies
from ckanext.kalmar_oppnadata.search import indexing

OPENAPI_VERSION = "3.0.3"
PLUGIN = "kalmar_oppnadata"
# CKAN's own search fields the portal's search page filters on (``search.facets.default``).
CORE_SEARCH_FIELDS = {
    "organization": "Organisationens namn (kommunen, regionen eller bolaget), t.ex. kalmar-kommun",
    "groups": "En grupps namn",
    "tags": "Ett nyckelord",
    "res_format": "En resurs format, t.ex. CSV",
    "license_id": "Licensens id, t.ex. CC-BY-4.0",
}
VOCABULARY_DESCRIPTIONS = {
    "sdg": "Agenda 2030-mål som datamängden följer upp (1–17)",
    "theme": "EU:s datatema (URI)",
    "access_rights": "Åtkomsträttigheter (URI)",
    "hvd_category": "Kategori för värdefulla datamängder (URI)",
    "conforms_to": "Nationell specifikation som datamängden följer (URI)",
    "answers": "Efterfrågad datamängd som datamängden svarar mot (id)",
    "language": "Språk (URI)",
    "applicable_legislation": "Rättsakt som gäller för datamängden (ELI-URI)",
    "keywords_en": "Nyckelord på engelska",
}


def _values(field: str) -> list[str] | None:
    """The values a vocabulary field is indexed with; None for a field of free values (legislation, English
    keywords)."""
    vocabulary = indexing.INDEXED_FIELDS[field]
    if vocabulary == "requested":
        return [entry["id"] for entry in requested_datasets.requested_datasets()]
    if field == "conforms_to":
        return [spec["uri"] for spec in specifications.specifications() if spec.get("uri")]
    if vocabulary is None:
        return None
    vocab = vocabularies.get(vocabulary)
    return [vocab.stored(concept) for concept in vocab.concepts]


def search_fields() -> dict[str, dict[str, Any]]:
    """The fields ``fq`` and ``facet.field`` take, as JSON Schemas (name → schema with description)."""
    fields: dict[str, dict[str, Any]] = {
        name: {"type": "string", "description": text} for name, text in CORE_SEARCH_FIELDS.items()}
    for field in indexing.INDEXED_FIELDS:
        values = _values(field)
        fields[indexing.facet_field(field)] = {
            "type": "string", **({"enum": values} if values is not None else {}),
            "description": VOCABULARY_DESCRIPTIONS.get(field, field)
            + f" (i datamängdens fält {field}; fq={indexing.facet_field(field)}:…)"}
    fields[indexing.FRESHNESS_FIELD] = {
        "type": "string", "enum": list(status.STATES),
        "description": "Aktualitet: om datamängden uppdateras i tid enligt sin uppdateringsfrekvens"}
    fields[indexing.BROKEN_LINKS_FIELD] = {
        "type": "string", "description": "Antal länkade filer som inte gick att nå vid senaste kontrollen"}
    return fields


def _quoted(value: str) -> str:
    return f'"{value}"' if ":" in value or " " in value else value


def _package_search() -> dict[str, Any]:
    fields = search_fields()
    examples = [f"{indexing.facet_field('sdg')}:6", f"{indexing.FRESHNESS_FIELD}:{status.CURRENT}",
                f"{indexing.facet_field('theme')}:{_quoted(fields[indexing.facet_field('theme')]['enum'][0])}",
                "organization:kalmar-kommun", "res_format:CSV"]
    operation = {
        "operationId": "package_search", "tags": ["Sökning"],
        "summary": "Sök datamängder med portalens sökfält",
        "description": "CKAN:s package_search. I fq (Solr-filter) och facet.field används portalens egna "
                       "fältnamn: " + ", ".join(fields) + ". Värdena står i schemat SearchFields. Exempel: "
                       + "; ".join(f"fq={e}" for e in examples) + ".",
        "parameters": [
            {"name": "q", "in": "query", "description": "Fritext (Solr-syntax)", "schema": {"type": "string"}},
            {"name": "fq", "in": "query", "description": "Filter: fält:värde, t.ex. " + examples[0]
             + " (fälten: " + ", ".join(fields) + ")", "schema": {"type": "string"}, "example": examples[0]},
            {"name": "facet.field", "in": "query",
             "description": "Fält att räkna värden i, som JSON-lista, t.ex. [\"vocab_sdg\", \"organization\"]",
             "content": {"application/json": {"schema": {
                 "type": "array", "items": {"type": "string", "enum": list(fields)}}}}},
            {"name": "rows", "in": "query", "description": "Antal träffar", "schema": {
                "type": "integer", "minimum": 0, "maximum": int(tk.config.get("ckan.search.rows_max") or 1000),
                "default": 10}},
            {"name": "start", "in": "query", "description": "Hoppa över så många träffar",
             "schema": {"type": "integer", "minimum": 0, "default": 0}},
            {"name": "sort", "in": "query", "description": "T.ex. metadata_modified desc",
             "schema": {"type": "string"}},
            {"name": "ext_bbox", "in": "query", "description": "Kartsökning: minx,miny,maxx,maxy (WGS 84)",
             "schema": {"type": "string"}},
        ],
        "responses": {"200": _answer({"type": "object", "properties": {
            "count": {"type": "integer"}, "results": {"type": "array", "items": {"type": "object"}},
            "facets": {"type": "object"}, "search_facets": {"type": "object"}}}), **_ERRORS}}
    return operation


def _argument(name: str, validators: list[Any]) -> dict[str, Any]:
    """One argument of an action's schema as a JSON Schema, from its validators."""
    names = {getattr(v, "__name__", "") for v in validators}
    if "text_list_argument" in names:
        schema: dict[str, Any] = {"oneOf": [{"type": "array", "items": {"type": "string"}},
                                            {"type": "string", "description": "kommaseparerade"}]}
    else:
        schema = {"type": "string", "maxLength": argument_schemas.MAX_ARGUMENT_LENGTH}
    return {"name": name, "required": "not_empty" in names, "schema": schema}


# An action's docstring in CKAN's form (``:param name: (optional) what``, ``:type name: list of strings``),
# which is also what help_show answers: the arguments of the actions that check their own.
_DOC_FIELD = re.compile(r"^:(param|type) (\w+): *(.*(?:\n(?!:) +.*)*)", re.MULTILINE)
_DOC_TYPES = {"list of strings": {"type": "array", "items": {"type": "string"}}, "boolean": {"type": "boolean"},
              "file": {"type": "string", "format": "binary"}}


def _documented_arguments(doc: str) -> list[dict[str, Any]]:
    described: dict[str, str] = {}
    types: dict[str, str] = {}
    for kind, name, text in _DOC_FIELD.findall(doc):
        (described if kind == "param" else types)[name] = " ".join(text.split())
    arguments = []
    for name, text in described.items():
        schema = dict(_DOC_TYPES.get(types.get(name, ""), {"type": "string"}))
        optional = text.startswith("(optional)")
        schema["description"] = text.removeprefix("(optional)").strip()
        arguments.append({"name": name, "required": not optional, "schema": schema})
    return arguments


def _arguments(action: Callable[..., Any]) -> list[dict[str, Any]]:
    make = getattr(action, "argument_schema", None)
    if make is None:
        return []
    return [_argument(name, validators) for name, validators in make().items() if not name.startswith("__")]


def _dataset_fields() -> dict[str, Any]:
    """The dataset form's fields (ckanext-scheming's dataset schema), for package_create/update."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    dataset = scheming_get_dataset_schema("dataset") or {}
    properties = _described(dataset.get("dataset_fields", []))
    properties["private"] = {"type": "boolean", "description": "Privat (utkast), inte publicerad"}
    properties["resources"] = {"type": "array", "description": "Resurser (filer och länkar)", "items": {
        "type": "object", "properties": _described(dataset.get("resource_fields", []))}}
    # Required: what the form requires, what cannot be empty (the name in the address), and the organization
    # (the portal has no datasets without one).
    refusing = {"not_empty", "owner_org_validator"}
    required = [f["field_name"] for f in dataset.get("dataset_fields", [])
                if f.get("required") or refusing & set(str(f.get("validators", "")).split())]
    return {"type": "object", "properties": properties, **({"required": required} if required else {})}


def _described(fields: list[dict[str, Any]]) -> dict[str, Any]:
    properties = {}
    for field in fields:
        label = field.get("label")
        properties[field["field_name"]] = {"description": str(label.get("sv") if isinstance(label, dict)
                                                             else label or field["field_name"])}
    return properties


def _answer(result: dict[str, Any]) -> dict[str, Any]:
    return {"description": "Svaret (CKAN:s Action API)", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"success": {"type": "boolean"}, "result": result}}}}}


_ERRORS = {"403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"},
           "409": {"$ref": "#/components/responses/Error"}}


def _operation(name: str, action: Callable[..., Any]) -> dict[str, Any]:
    doc = inspect.getdoc(action) or ""
    if getattr(action, "chained_action", False) and not doc:
        doc = f"CKAN:s {name}, med portalens regler (se portalens källkod)."
    arguments = _arguments(action) or _documented_arguments(doc)
    doc = doc.split("\n:param ")[0].split("\n:returns:")[0].strip()  # the arguments are described below
    read_only = getattr(action, "side_effect_free", False)
    operation: dict[str, Any] = {"operationId": name, "tags": [name.split("_")[0]],
                                 "summary": doc.split("\n")[0][:120] or name, "description": doc,
                                 "responses": {"200": _answer({}), **_ERRORS}}
    if name in ("package_create", "package_update"):
        operation["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Dataset"}}}}
    elif read_only:
        operation["parameters"] = [{**a, "in": "query"} for a in arguments]
    else:
        operation["requestBody"] = {"content": {"application/json": {"schema": _body(arguments, files=False)}}}
        if any(a["schema"].get("format") == "binary" for a in arguments):  # a file: as multipart form data
            operation["requestBody"]["content"]["multipart/form-data"] = {"schema": _body(arguments, files=True)}
    if needs_login(name):
        operation["security"] = [{"apiToken": []}]
    elif not read_only:
        operation["security"] = [{"apiToken": []}, {}]  # optional: what an anonymous caller may do is less
    return {"get" if read_only else "post": operation}


def _body(arguments: list[dict[str, Any]], files: bool) -> dict[str, Any]:
    sent = [a for a in arguments if files or a["schema"].get("format") != "binary"]
    body: dict[str, Any] = {"type": "object", "properties": {a["name"]: a["schema"] for a in sent}}
    required = [a["name"] for a in sent if a["required"]]
    if required:
        body["required"] = required
    return body


def needs_login(action: str) -> bool:
    """Whether CKAN refuses the action to an anonymous caller before asking its auth function."""
    from ckan import authz

    auth = authz._AuthFunctions.get(action)  # the resolved auth function, the plugins' included
    return auth is not None and not getattr(auth, "auth_allow_anonymous_access", False)


def registered_actions() -> dict[str, Callable[..., Any]]:
    """The actions the plugin registers (``toolkit.blanket.actions``), by name."""
    return dict(sorted(p.get_plugin(PLUGIN).get_actions().items()))


def describe(server: str, description_url: str) -> dict[str, Any]:
    paths = {}
    for name, action in registered_actions().items():
        path = {"get": _package_search()} if name == "package_search" else _operation(name, action)
        paths[f"/api/3/action/{name}"] = path
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": f"{tk.config.get('ckan.site_title') or 'Öppna data'}: portalens API",
                 "version": "1",
                 "description": "Portalens egna åtgärder (Action API) och package_search med portalens "
                                f"sökfält. Beskrivningen: {description_url}. Varje tabell i DataStore har en "
                                "egen beskrivning: /openapi/datastore/<resursens id>.json."},
        "servers": [{"url": server, "description": "Portalen"}],
        "paths": paths,
        "components": {
            "schemas": {"SearchFields": {"type": "object", "properties": search_fields()},
                        "Dataset": _dataset_fields()},
            "securitySchemes": {"apiToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                                             "description": "En API-nyckel från din användarsida"}},
            "responses": {"Error": {"description": "Fel: ingen åtkomst (403), finns inte (404) eller ogiltiga "
                                                   "argument (409, felet namnger argumentet)",
                                    "content": {"application/json": {"schema": {"type": "object"}}}}},
        },
    }
