"""The OpenAPI 3 description of one DataStore table, built from its own columns, types and first rows.

Three operations: ``datastore_search`` (filters, full-text ``q``, ``sort``, ``fields``, ``limit``,
``offset``), ``datastore_search_sql`` (read-only ``SELECT``) and the dump downloads
(``/datastore/dump/<id>``: CKAN's CSV, TSV, JSON and XML and the portal's XLSX, files/dumps.py). The
examples are the table's own: its first rows as the answer to the search example (``limit`` = that many
rows, CKAN's order being ``_id``), a filter on the first row's first text value, an SQL query naming the
first columns. A pure function of what the caller read (``describe``); the view reads it (openapi/views.py).
"""
from __future__ import annotations

import json
from typing import Any

from ckanext.kalmar_oppnadata.files import dumps
from ckanext.kalmar_oppnadata.files.api_box import select_example

OPENAPI_VERSION = "3.0.3"
EXAMPLE_ROWS = 3  # the first rows shown as the search example's answer
INTERNAL = ("_full_text",)  # the DataStore's own full-text column: never in an answer worth describing

# DataStore (PostgreSQL) column types as JSON Schema, as datastore_search answers them.
_TYPES: dict[str, dict[str, Any]] = {
    "text": {"type": "string"}, "varchar": {"type": "string"}, "name": {"type": "string"},
    "int": {"type": "integer"}, "int2": {"type": "integer"}, "int4": {"type": "integer"},
    "int8": {"type": "integer"}, "serial": {"type": "integer"},
    "numeric": {"type": "number"}, "float4": {"type": "number"}, "float8": {"type": "number"},
    "bool": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "timestamp": {"type": "string", "format": "date-time"},
    "timestamptz": {"type": "string", "format": "date-time"},
    "time": {"type": "string"},
    "json": {}, "jsonb": {},
}


def column_schema(column_type: str) -> dict[str, Any]:
    """A DataStore column type as a JSON Schema (OpenAPI 3.0): arrays (``_text``) of their element type;
    every value may be empty (``nullable``)."""
    if column_type.startswith("_"):
        return {"type": "array", "items": column_schema(column_type[1:]), "nullable": True}
    return {**_TYPES.get(column_type, {"type": "string"}), "nullable": True}


def _columns(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in fields if f["id"] not in INTERNAL]


def _own(fields: list[dict[str, Any]]) -> list[str]:
    return [f["id"] for f in fields if not f["id"].startswith("_")]


def _record_schema(fields: list[dict[str, Any]]) -> dict[str, Any]:
    properties = {}
    for field in _columns(fields):
        schema = column_schema(field["type"])
        label = (field.get("info") or {}).get("label") or (field.get("info") or {}).get("notes")
        description = f"Kolumnen {field['id']} ({field['type']})" + (f": {label}" if label else "")
        if field["id"] == "_id":
            schema, description = {"type": "integer"}, "Radens nummer i tabellen (DataStore)"
        properties[field["id"]] = {**schema, "description": description}
    return {"type": "object", "properties": properties}


def _filter_example(fields: list[dict[str, Any]], first: dict[str, Any]) -> dict[str, Any]:
    """A filter on the first row's first non-empty text value (else its first own column's value)."""
    candidates = [f["id"] for f in fields if f["type"] == "text" and first.get(f["id"]) not in (None, "")]
    candidates += [c for c in _own(fields) if first.get(c) not in (None, "")]
    return {candidates[0]: first[candidates[0]]} if candidates else {}


def _answer(result_schema: dict[str, Any], example: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": {
        "type": "object", "required": ["success", "result"],
        "properties": {"help": {"type": "string"}, "success": {"type": "boolean", "enum": [True]},
                       "result": result_schema}}}
    if example is not None:
        content["example"] = {"success": True, "result": example}
    return {"description": "Svaret (CKAN:s Action API)", "content": {"application/json": content}}


_ERRORS = {
    "403": {"$ref": "#/components/responses/Error"},
    "404": {"$ref": "#/components/responses/Error"},
    "409": {"$ref": "#/components/responses/Error"},
}


def _search(resource_id: str, fields: list[dict[str, Any]], records: list[dict[str, Any]],
            rows_max: int) -> dict[str, Any]:
    own = _own(fields)
    first = records[0] if records else {}
    filters = _filter_example(fields, first)
    sort_example = f"{own[0]} desc" if own else "_id desc"
    filter_schema = {"type": "object", "additionalProperties": False, "properties": {
        f["id"]: {"oneOf": [column_schema(f["type"]), {"type": "array", "items": column_schema(f["type"])}]}
        for f in _columns(fields)}}
    parameters = [
        {"name": "resource_id", "in": "query", "required": True, "description": "Tabellens id (resursens id)",
         "schema": {"type": "string", "enum": [resource_id]}, "example": resource_id},
        {"name": "q", "in": "query", "required": False,
         "description": "Fritextsökning i alla kolumner (eller ett JSON-objekt: kolumn → sökord).",
         "schema": {"type": "string"}},
        {"name": "filters", "in": "query", "required": False,
         "description": "Rader vars kolumner har exakt dessa värden, som JSON-objekt (kolumn → värde eller "
                        f"lista av värden), t.ex. {json.dumps(filters, ensure_ascii=False)}",
         # "Try it out" starts from the media type's example (no filter: the call answers with rows); the
         # schema's example is a filter on the first row.
         "content": {"application/json": {"schema": {**filter_schema, "example": filters}, "example": {}}}},
        {"name": "sort", "in": "query", "required": False,
         "description": "Ordning: kolumner med asc eller desc, kommaseparerade, t.ex. "
                        f"\"{sort_example}\". Kolumner: {', '.join(own)}. Utan sort: i radordning (_id).",
         "schema": {"type": "string"}},
        {"name": "fields", "in": "query", "required": False,
         "description": f"Bara dessa kolumner, kommaseparerade (av: {', '.join(['_id', *own])}).",
         "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "required": False,
         "description": f"Högst så många rader (exemplet: de {EXAMPLE_ROWS} första raderna).",
         "schema": {"type": "integer", "minimum": 0, "maximum": rows_max, "default": 100},
         "example": EXAMPLE_ROWS},
        {"name": "offset", "in": "query", "required": False, "description": "Hoppa över så många rader.",
         "schema": {"type": "integer", "minimum": 0, "default": 0}},
    ]
    result = {"type": "object", "properties": {
        "resource_id": {"type": "string"}, "total": {"type": "integer"},
        "records": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}},
        "fields": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}},
        "limit": {"type": "integer"}, "offset": {"type": "integer"}, "_links": {"type": "object"}}}
    example = {"resource_id": resource_id, "records": records[:EXAMPLE_ROWS],
               "fields": [{"id": f["id"], "type": f["type"]} for f in _columns(fields)], "limit": EXAMPLE_ROWS}
    return {"get": {
        "operationId": "datastore_search", "tags": ["Tabellen"],
        "summary": "Sök, filtrera och hämta rader",
        "description": "Rader ur tabellen, filtrerade, sökta och sorterade på dess kolumner. Exemplet "
                       f"(limit={EXAMPLE_ROWS}) ger tabellens första rader.",
        "parameters": parameters,
        "responses": {"200": _answer(result, example), **_ERRORS}}}


def _search_sql(resource_id: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    example = select_example(resource_id, fields)
    result = {"type": "object", "properties": {
        "records": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}},
        "fields": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}},
        "sql": {"type": "string"}}}
    return {"get": {
        "operationId": "datastore_search_sql", "tags": ["Tabellen"],
        "summary": "Fråga med SQL (bara läsning)",
        "description": f"En SELECT-fråga (PostgreSQL) mot tabellen \"{resource_id}\"; bara läsning, inga "
                       "ändringar. Tabellens namn är resursens id inom citattecken.",
        "parameters": [{"name": "sql", "in": "query", "required": True, "description": "SELECT-frågan",
                        "schema": {"type": "string"}, "example": example}],
        "responses": {"200": _answer(result), **_ERRORS}}}


def _dump(resource_id: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"get": {
        "operationId": "datastore_dump", "tags": ["Tabellen"],
        "summary": "Ladda ner hela tabellen",
        "description": "Hela tabellen (eller raderna som q, filters och sort väljer) som fil: CSV, TSV, JSON, "
                       "XML eller Excel (XLSX).",
        "parameters": [
            {"name": "resource_id", "in": "path", "required": True, "description": "Tabellens id",
             "schema": {"type": "string", "enum": [resource_id]}, "example": resource_id},
            {"name": "format", "in": "query", "required": False, "description": "Filformatet",
             "schema": {"type": "string", "enum": list(dumps.FORMATS), "default": "csv"}},
            {"name": "bom", "in": "query", "required": False,
             "description": "Byte order mark först i CSV/TSV (så att Excel läser UTF-8)",
             "schema": {"type": "boolean", "default": False}},
            {"name": "q", "in": "query", "required": False, "description": "Fritextsökning",
             "schema": {"type": "string"}},
            {"name": "filters", "in": "query", "required": False,
             "description": "Som i datastore_search: JSON-objekt kolumn → värde",
             "content": {"application/json": {"schema": {"type": "object"}, "example": {}}}},
            {"name": "sort", "in": "query", "required": False,
             "description": f"Som i datastore_search (kolumner: {', '.join(_own(fields))})",
             "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {"description": "Filen", "content": {
                media: {"schema": {"type": "string", "format": "binary"}} if fmt in ("xlsx",)
                else {"schema": {"type": "string"}} for fmt, media in dumps.MEDIA_TYPES.items()}},
            "400": {"description": "Okänt format"},
            "404": {"description": "Tabellen finns inte, eller du får inte läsa den"}}}}


def describe(resource: dict[str, Any], dataset: dict[str, Any], fields: list[dict[str, Any]],
             records: list[dict[str, Any]], server: str, page_url: str, rows_max: int) -> dict[str, Any]:
    """The OpenAPI document of the table ``resource`` (of ``dataset``), with ``fields`` and the first
    ``records`` as ``datastore_search`` answered them, served from ``server`` (the portal's address)."""
    rid = resource["id"]
    records = [{k: v for k, v in r.items() if k not in INTERNAL} for r in records]
    name = resource.get("name") or rid
    info: dict[str, Any] = {
        "title": f"API för {name} ({dataset.get('title') or dataset.get('name')})",
        "description": f"Tabellen {name} i datamängden {dataset.get('title') or dataset.get('name')}, "
                       "i portalens DataStore: sök och filtrera rader, fråga med SQL (bara läsning) eller "
                       "ladda ner hela tabellen. Ingen registrering behövs för öppna data.",
        "version": str(resource.get("last_modified") or resource.get("metadata_modified")
                       or resource.get("created") or "1"),
    }
    if dataset.get("license_title") or dataset.get("license_id"):
        info["license"] = {"name": dataset.get("license_title") or dataset["license_id"],
                           **({"url": dataset["license_url"]} if dataset.get("license_url") else {})}
    return {
        "openapi": OPENAPI_VERSION,
        "info": info,
        "externalDocs": {"description": "Resursens sida i portalen", "url": page_url},
        "servers": [{"url": server, "description": "Portalen"}],
        "tags": [{"name": "Tabellen", "description": f"Tabellen {name}"}],
        "paths": {
            "/api/3/action/datastore_search": _search(rid, fields, records, rows_max),
            "/api/3/action/datastore_search_sql": _search_sql(rid, fields),
            "/datastore/dump/{resource_id}": _dump(rid, fields),
        },
        "components": {
            "schemas": {
                "Record": _record_schema(fields),
                "Field": {"type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"},
                                                            "info": {"type": "object"}}},
            },
            "responses": {"Error": {"description": "Fel: ingen åtkomst (403), tabellen finns inte (404) eller "
                                                   "ogiltiga argument (409, felet namnger argumentet)",
                                    "content": {"application/json": {"schema": {
                                        "type": "object", "properties": {
                                            "success": {"type": "boolean", "enum": [False]},
                                            "error": {"type": "object"}}}}}}},
        },
    }
