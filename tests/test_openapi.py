"""OpenAPI descriptions: every DataStore table's (``/openapi/datastore/<id>.json``) and the portal's own
(``/openapi/kalmar.json``), validated with openapi-spec-validator and followed for real against the test
portal; CORS for public tables only; the catalog's data services pointing to them; the "Utforska API" page.
(The explorer in a real browser, with a call run from it: test_browser.py.)"""
from __future__ import annotations

import html
import json
import re

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_openapi
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import shacl

from .examples import DATA_LINK
from .helpers import run_worker, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                                     "clean_datastore_tables", "with_test_worker")

TABLE = ("kommunkod,kommun,andel,antal,datum\n"
         "0880,Kalmar,3.5,1200,2024-06-01\n"
         "0881,Nybro,12.25,87,2024-06-02\n"
         "0860,Hultsfred,,5,\n"
         "0861,Mönsterås,1.0,3,2024-06-03\n"
         "0862,Emmaboda,2.0,4,2024-06-04\n").encode()


@pytest.fixture
def clean_datastore_tables():
    from ckanext.datastore.tests import helpers

    engine = helpers.db.get_write_engine()
    helpers.clear_db(helpers.orm.scoped_session(helpers.orm.sessionmaker(bind=engine)))


@pytest.fixture
def token(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun", email="oppnadata@kalmar.se")
    return token


def _table(app, api, cli, token, name="kommuner", private=False):
    dataset = api("package_create", token=token, name=name, title=name.title(), notes="x",
                  owner_org="kalmar-kommun", classification_confirmed=True, private=private,
                  resources=[DATA_LINK])["result"]
    resource = upload(app, token, dataset["id"], TABLE, filename=f"{name}.csv")
    run_worker(cli)
    return dataset, resource


def _description(app, resource_id, headers=None, status=200):
    response = app.get(f"/openapi/datastore/{resource_id}.json", headers=headers or {})
    assert response.status_code == status, response.body[:500]
    return response


def _local(url: str) -> str:
    site = tk.config["ckan.site_url"].rstrip("/")
    assert url.startswith(site), url
    return url[len(site):]


def _parameters(operation):
    return {p["name"]: p for p in operation["parameters"]}


def test_a_table_description_is_valid_and_its_example_gives_the_first_rows(app, api, cli, token):
    dataset, resource = _table(app, api, cli, token)
    response = _description(app, resource["id"])
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    doc = response.json
    validate_openapi(doc)
    server = doc["servers"][0]["url"]
    assert server == tk.config["ckan.site_url"].rstrip("/")
    assert "/en" not in server and doc == _description(app, resource["id"]).json
    assert app.get(f"/en/openapi/datastore/{resource['id']}.json").json["servers"] == doc["servers"]

    # The search example: its parameters' examples (resource_id, limit) give the example answer's rows.
    search = doc["paths"]["/api/3/action/datastore_search"]["get"]
    params = {name: p["example"] for name, p in _parameters(search).items() if "example" in p}
    assert params == {"resource_id": resource["id"], "limit": 3}
    answer = app.get("/api/3/action/datastore_search", query_string=params).json["result"]
    example = search["responses"]["200"]["content"]["application/json"]["example"]["result"]
    assert answer["records"] == example["records"]
    assert [r["kommun"] for r in example["records"]] == ["Kalmar", "Nybro", "Hultsfred"]  # the table's own rows
    # Every column, typed as the DataStore answers it: the real rows are valid records.
    record_schema = {**doc["components"]["schemas"]["Record"], "components": doc["components"]}
    assert set(record_schema["properties"]) == {"_id", "kommunkod", "kommun", "andel", "antal", "datum"}
    everything = app.get("/api/3/action/datastore_search", query_string={"resource_id": resource["id"]}).json
    for record in everything["result"]["records"]:
        OAS30Validator(record_schema).validate(record)
    # A filter over a described column, as the description's filters parameter says.
    filters = _parameters(search)["filters"]
    assert "kommun" in filters["content"]["application/json"]["schema"]["properties"]
    assert filters["content"]["application/json"]["example"] == {}  # what "Try it out" starts from
    printed = filters["content"]["application/json"]["schema"]["example"]
    assert printed == {"kommunkod": "0880"}  # the first row's first text value
    assert json.dumps(printed, ensure_ascii=False) in filters["description"]
    found = app.get("/api/3/action/datastore_search", query_string={
        "resource_id": resource["id"], "filters": json.dumps(printed)}).json["result"]["records"]
    assert found and all(r[k] == v for r in found for k, v in printed.items())
    # Sorted and paged by the described parameters.
    paged = app.get("/api/3/action/datastore_search", query_string={
        "resource_id": resource["id"], "sort": "kommun asc", "limit": 2, "offset": 1}).json["result"]["records"]
    assert [r["kommun"] for r in paged] == ["Hultsfred", "Kalmar"]

    # The SQL example answers with rows; the dump offers the portal's formats, each of which answers.
    sql = _parameters(doc["paths"]["/api/3/action/datastore_search_sql"]["get"])["sql"]["example"]
    assert app.get("/api/3/action/datastore_search_sql", query_string={"sql": sql}).json["result"]["records"]
    dump = doc["paths"]["/datastore/dump/{resource_id}"]["get"]
    formats = _parameters(dump)["format"]["schema"]["enum"]
    assert set(formats) == {"csv", "tsv", "json", "xml", "xlsx"}
    media_types = set(dump["responses"]["200"]["content"])
    for fmt in formats:
        got = app.get(f"/datastore/dump/{resource['id']}", query_string={"format": fmt})
        assert got.status_code == 200, (fmt, got.body[:200])
        assert got.headers["Content-Type"].split(";")[0] in media_types, (fmt, got.headers["Content-Type"])


def test_cors_preflight_for_a_public_table(app, api, cli, token):
    _, resource = _table(app, api, cli, token)
    preflight = app.options(f"/openapi/datastore/{resource['id']}.json",
                            headers={"Origin": "https://www.dataportal.se", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_a_private_tables_description_follows_the_datasets_access(app, api, cli, token, user_factory,
                                                                   api_token_factory):
    _, resource = _table(app, api, cli, token, name="hemlig", private=True)
    outsider = api_token_factory(user=user_factory()["id"])["token"]
    for headers in ({}, {"Authorization": outsider}):
        refused = app.get(f"/openapi/datastore/{resource['id']}.json",
                          headers={**headers, "Origin": "https://www.dataportal.se"})
        assert refused.status_code in (403, 404)
        assert "Access-Control-Allow-Origin" not in refused.headers
        assert "Hultsfred" not in refused.body and "kommunkod" not in refused.body
        preflight = app.options(f"/openapi/datastore/{resource['id']}.json", headers={
            **headers, "Origin": "https://www.dataportal.se", "Access-Control-Request-Method": "GET"})
        assert "Access-Control-Allow-Origin" not in preflight.headers
        explorer = app.get(f"/dataset/hemlig/resource/{resource['id']}/utforska-api", headers=headers)
        assert explorer.status_code in (403, 404)
    # Its editors may read it, but no other site may fetch it with their browser.
    own = _description(app, resource["id"], headers={"Authorization": token})
    validate_openapi(own.json)
    assert "Access-Control-Allow-Origin" not in own.headers
    assert "no-store" in own.headers["Cache-Control"]


def test_a_file_without_a_table_has_no_description(app, api, token):
    dataset = api("package_create", token=token, name="lank", title="Länk", notes="x", owner_org="kalmar-kommun",
                  classification_confirmed=True, private=False, resources=[DATA_LINK])["result"]
    assert app.get(f"/openapi/datastore/{dataset['resources'][0]['id']}.json").status_code == 404
    assert app.get("/openapi/datastore/finns-inte.json").status_code == 404


def test_the_catalog_points_each_table_to_its_openapi_description(app, api, cli, token):
    api("organization_create", token=token, name="region-kalmar-lan", title="Region Kalmar län",
        dcat_type="http://purl.org/adms/publishertype/RegionalAuthority", email="region@example.org")
    dataset = api("package_create", token=token, name="kommuner", title="Kommuner", notes="x",
                  owner_org="kalmar-kommun", classification_confirmed=True, private=False,
                  contact_email="oppnadata@kalmar.se", resources=[DATA_LINK])["result"]
    resource = upload(app, token, dataset["id"], TABLE, filename="kommuner.csv")
    # The dataset's part is kept before its table is loaded: loading it must change what the catalog says.
    before = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    assert not list(before.objects(None, DCAT.accessService))
    run_worker(cli)
    graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    description = URIRef(f"{tk.config['ckan.site_url'].rstrip('/')}/openapi/datastore/{resource['id']}.json")
    services = list(graph.objects(None, DCAT.accessService))
    assert len(services) == 1
    service = services[0]
    assert (service, RDF.type, DCAT.DataService) in graph
    assert (service, DCAT.endpointDescription, description) in graph
    distribution = next(graph.subjects(DCAT.accessService, service))
    assert (distribution, DCTERMS.conformsTo, description) in graph  # DIGG's recommendation 13: both places
    assert (description, RDF.type, DCTERMS.Standard) in graph
    dataset_ref = next(graph.subjects(DCAT.distribution, distribution))
    assert (dataset_ref, DCTERMS.conformsTo, description) not in graph  # not on the dataset (rec. 13)
    assert shacl.validate(graph) == []
    # The address in the catalog is the description itself, valid and fetchable cross-origin.
    response = app.get(_local(str(description)))
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    validate_openapi(response.json)
    # The RDF/XML catalog that dataportal.se harvests says the same.
    xml = Graph().parse(data=app.get("/catalog.rdf").body, format="xml")
    assert (service, DCAT.endpointDescription, description) in xml


def test_the_api_box_links_to_the_description_and_the_explorer(app, api, cli, token):
    dataset, resource = _table(app, api, cli, token)
    page = app.get(f"/dataset/kommuner/resource/{resource['id']}").body
    box = html.unescape(page[page.index('id="kalmar-api"'):])
    box = box[:box.index("</section>")]
    assert f"{tk.config['ckan.site_url'].rstrip('/')}/openapi/datastore/{resource['id']}.json" in box
    explorer = re.search(r'href="([^"]*/utforska-api)"', box).group(1)
    assert "Utforska API" in box
    shown = app.get(explorer)
    assert shown.status_code == 200
    text = shown.body
    assert "Utforska API: kommuner.csv" in html.unescape(text)
    assert f"/openapi/datastore/{resource['id']}.json" in text
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', text)
    assert all(not s.startswith(("http://", "https://", "//")) or s.startswith(tk.config["ckan.site_url"])
               for s in scripts), scripts  # no outside CDN
    bundle = next(s for s in scripts if s.endswith("swagger-ui-bundle.js"))
    assert app.get(bundle).status_code == 200 and "SwaggerUIBundle" in app.get(bundle).body
    english = app.get(f"/en/dataset/kommuner/resource/{resource['id']}/utforska-api").body
    assert "Explore the API: kommuner.csv" in html.unescape(english)


def test_the_portals_own_description_covers_every_registered_action(app, api, cli, token):
    response = app.get("/openapi/kalmar.json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    doc = response.json
    validate_openapi(doc)
    assert doc["servers"][0]["url"] == tk.config["ckan.site_url"].rstrip("/")
    registered = set(p.get_plugin("kalmar_oppnadata").get_actions())
    assert {"agenda2030_summary", "quality_show", "specification_show", "question_create"} <= registered
    assert {path.rsplit("/", 1)[-1] for path in doc["paths"]} == registered
    # Arguments from the actions' schemas: required ones are required, and leaving one out is a 409 naming it.
    show = doc["paths"]["/api/3/action/specification_show"]["get"]
    assert _parameters(show)["uri"]["required"] is True
    missing = app.get("/api/3/action/specification_show")
    assert missing.status_code == 409 and "uri" in missing.json["error"]
    # Every read-only action without required arguments or a login answers as described; those that need
    # a login say so, and refuse an anonymous caller.
    assert doc["paths"]["/api/3/action/question_list"]["get"]["security"] == [{"apiToken": []}]
    for path, item in doc["paths"].items():
        operation = item.get("get")
        if operation and not any(p.get("required") for p in operation.get("parameters", [])):
            got = app.get(path)
            if operation.get("security") == [{"apiToken": []}]:
                assert got.status_code == 403, path
            else:
                assert got.status_code == 200 and got.json["success"] is True, path

    # package_search with the portal's field names: the described fq example finds the dataset.
    api("package_create", token=token, name="vatten", title="Vatten", notes="x", owner_org="kalmar-kommun",
        classification_confirmed=True, private=False, sdg=["6"], resources=[DATA_LINK])
    search = doc["paths"]["/api/3/action/package_search"]["get"]
    fq = _parameters(search)["fq"]
    assert fq["example"] == "vocab_sdg:6"
    fields = doc["components"]["schemas"]["SearchFields"]["properties"]
    assert {"vocab_sdg", "vocab_theme", "vocab_conforms_to", "freshness", "organization", "res_format"} <= set(fields)
    assert fields["vocab_sdg"]["enum"] == [str(n) for n in range(1, 18)]
    found = app.get("/api/3/action/package_search", query_string={"fq": fq["example"]}).json["result"]
    assert [d["name"] for d in found["results"]] == ["vatten"]
    faceted = app.get("/api/3/action/package_search", query_string={
        "facet.field": json.dumps(["vocab_sdg", "freshness"])}).json["result"]["facets"]
    assert faceted["vocab_sdg"] == {"6": 1}
    preflight = app.options("/openapi/kalmar.json", headers={"Origin": "https://example.org",
                                                              "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_help_show_answers_each_actions_own_documentation(app, api):
    # CKAN wraps a chained action in functools.partial, and help_show answered with that class's docstring.
    search = api("help_show", name="package_search")["result"]
    assert not search.startswith("partial(") and ":param q:" in search  # CKAN's own documentation
    for name in p.get_plugin("kalmar_oppnadata").get_actions():
        doc = app.get("/api/3/action/help_show", query_string={"name": name}).json["result"]
        assert doc and "functools.partial" not in doc and "new function with partial application" not in doc, name
    question = api("help_show", name="question_create")["result"]
    assert ":param package_id: the dataset's id or name" in question
    assert api("help_show", status=404, name="no_such_action")["success"] is False


def test_actions_that_check_their_own_arguments_are_described_from_their_docstrings(app, api, token):
    doc = app.get("/openapi/kalmar.json").json
    validate_openapi(doc)
    body = doc["paths"]["/api/3/action/question_create"]["post"]["requestBody"]["content"]["application/json"]
    assert set(body["schema"]["properties"]) == {"package_id", "message", "email", "name", "kind"}
    assert body["schema"]["required"] == ["package_id", "message", "email"]
    assert ":param" not in doc["paths"]["/api/3/action/question_create"]["post"]["description"]
    reuse = doc["paths"]["/api/3/action/reuse_create"]["post"]["requestBody"]["content"]
    assert reuse["application/json"]["schema"]["properties"]["datasets"]["type"] == "array"
    assert "image_upload" not in reuse["application/json"]["schema"]["properties"]  # a file: multipart only
    assert reuse["multipart/form-data"]["schema"]["properties"]["image_upload"]["format"] == "binary"
    listed = {a["name"]: a for a in doc["paths"]["/api/3/action/data_request_list"]["get"]["parameters"]}
    assert listed["waiting"]["schema"]["type"] == "boolean" and listed["waiting"]["required"] is False
    # The dataset as package_create takes it: what it refuses without, and the resources.
    dataset = doc["components"]["schemas"]["Dataset"]
    assert {"title", "name", "notes", "owner_org"} <= set(dataset["required"])
    assert dataset["properties"]["resources"]["type"] == "array" and "url" in \
        dataset["properties"]["resources"]["items"]["properties"]
    refused = api("package_create", token=token, status=409, title="x")["error"]
    assert {"name", "owner_org"} <= set(refused)
    # Free values get no list of allowed values (they were the specifications' URIs).
    fields = doc["components"]["schemas"]["SearchFields"]["properties"]
    assert "enum" not in fields["vocab_keywords_en"] and "enum" not in fields["vocab_applicable_legislation"]
    assert "https://dataportal.se/specifications/badplatser/1.0" in fields["vocab_conforms_to"]["enum"]


@pytest.mark.parametrize("action, named", [
    ("question_create", {"package_id"}), ("data_request_support", {"id"}), ("data_request_comment", {"id"}),
    ("reuse_moderate", {"id"}), ("question_list", {"package_id", "owner_org"})])
def test_a_missing_argument_is_a_409_naming_it(api, token, action, named):
    # Was a 404 "not found" (or for question_list a 403) that named nothing.
    error = api(action, token=token, status=409, **{"kind": "question"} if action == "question_create" else
                {"state": "x"} if action == "reuse_moderate" else {"text": "x"})["error"]
    assert set(error) - {"__type"} == named, error
    assert error["__type"] == "Validation Error"
