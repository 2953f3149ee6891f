"""The OpenAPI description of a DataStore table (openapi/table.py), built from given columns and rows and
checked with openapi-spec-validator; its examples validate against its own schemas."""
from __future__ import annotations

from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from ckanext.kalmar_oppnadata.openapi import table

FIELDS = [{"id": "_id", "type": "int"}, {"id": "kommunkod", "type": "text"}, {"id": "andel", "type": "numeric"},
          {"id": "antal", "type": "int8"}, {"id": "datum", "type": "date"}, {"id": "taggar", "type": "_text"},
          {"id": "_full_text", "type": "tsvector"}]
ROWS = [{"_id": 1, "kommunkod": "0880", "andel": 3.5, "antal": 1200, "datum": "2024-06-01T00:00:00",
         "taggar": ["a"], "_full_text": "'0880'"},
        {"_id": 2, "kommunkod": "0881", "andel": None, "antal": 87, "datum": None, "taggar": None,
         "_full_text": "'0881'"}]
RESOURCE = {"id": "r1", "name": "kommuner.csv", "last_modified": "2026-11-30T10:00:00"}
DATASET = {"name": "kommuner", "title": "Kommuner", "license_id": "CC0-1.0", "license_title": "CC0 1.0",
           "license_url": "http://creativecommons.org/publicdomain/zero/1.0/"}


def describe(rows=ROWS):
    return table.describe(RESOURCE, DATASET, FIELDS, rows, "http://test.ckan.net",
                          "http://test.ckan.net/dataset/kommuner/resource/r1", 32000)


def test_the_description_is_valid_openapi_3_and_leaves_the_full_text_column_out():
    doc = describe()
    validate(doc)
    assert doc["servers"] == [{"url": "http://test.ckan.net", "description": "Portalen"}]
    record = doc["components"]["schemas"]["Record"]
    assert set(record["properties"]) == {"_id", "kommunkod", "andel", "antal", "datum", "taggar"}
    assert record["properties"]["andel"]["type"] == "number"
    assert record["properties"]["taggar"]["items"]["type"] == "string"
    example = doc["paths"]["/api/3/action/datastore_search"]["get"]["responses"]["200"]["content"][
        "application/json"]["example"]["result"]["records"]
    assert example == [{k: v for k, v in r.items() if k != "_full_text"} for r in ROWS]
    for row in example:
        OAS30Validator({**record, "components": doc["components"]}).validate(row)


def test_examples_come_from_the_first_row_and_name_the_columns():
    doc = describe()
    search = {p["name"]: p for p in doc["paths"]["/api/3/action/datastore_search"]["get"]["parameters"]}
    assert search["filters"]["content"]["application/json"]["schema"]["example"] == {"kommunkod": "0880"}
    sql = doc["paths"]["/api/3/action/datastore_search_sql"]["get"]["parameters"][0]["example"]
    assert sql == 'SELECT "kommunkod", "andel", "antal", "datum", "taggar" FROM "r1" LIMIT 5'


def test_an_empty_table_is_still_described():
    doc = describe(rows=[])
    validate(doc)
    search = {p["name"]: p for p in doc["paths"]["/api/3/action/datastore_search"]["get"]["parameters"]}
    assert search["filters"]["content"]["application/json"]["schema"]["example"] == {}
