"""Bad input for everything the extension adds: wrong types, huge values, unicode edge cases, markup and
Solr syntax. Each gives a clear answer (never a 500), and the database is unchanged after each.

The dataset, resource and organization fields are covered field by field in test_dataset_schema.py and
test_organizations.py; malformed RDF in test_dcat.py. This file covers the actions and pages, and how text
is shown.
"""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

import ckan.model as model

from .examples import ACTIONS, BADPLATSER, DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


NASTY = [
    None, "", " ", 0, -1, 6.5, True, ["6"], {"id": "6"}, [[["x"]]],
    "0", "18", "6.0", "٦",  # Arabic-Indic six
    "x" * 100_000,
    "6\x00", "\x00",
    "å ä ö", "a\u0301\u0301\u0301", "\u202eevil\u202c", "\U0001F30D", "\ud800".encode("utf-8", "surrogatepass").decode(
        "utf-8", "replace"),
    "<script>alert(1)</script>", "javascript:alert(1)",
    '*:*', 'title:"unterminated', "name:[* TO", "{!lucene}*:*", ") OR (", "\\", "6 OR 1=1; DROP TABLE package",
    "../../etc/passwd", "%00", "http://", "urn:x",
]


def row_counts() -> dict[str, int]:
    model.Session.remove()
    return {table: model.Session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("package", "resource", '"group"', "member", "package_tag", "tag", "activity", '"user"')}


@pytest.fixture
def public_dataset_token(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
        email="oppnadata@kalmar.se")
    api("package_create", token=token, name="publik", title="Publik badplats", owner_org="kalmar-kommun",
        notes="x", private=False, classification_confirmed=True, conforms_to=[BADPLATSER], sdg=["6"],
        resources=[DATA_LINK])
    return token


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_answers_bad_arguments_clearly_and_changes_nothing(app, public_dataset_token, action):
    before = row_counts()
    parameters = set(ACTIONS[action]) | {"id", "q"}
    for value in NASTY:
        for parameter in parameters:
            response = app.post(f"/api/3/action/{action}", json={parameter: value})
            assert response.status_code in (200, 400, 404, 409), (action, parameter, repr(value)[:60],
                                                                   response.status_code, response.body[:300])
            body = response.json
            assert body["success"] is (response.status_code == 200)
            if not body["success"]:
                assert body["error"]["message"] if "message" in body["error"] else body["error"], body
        # The same as a query string, as a browser or curl sends it.
        if isinstance(value, str) and "\x00" not in value:
            response = app.get(f"/api/3/action/{action}", query_string={p: value for p in parameters})
            assert response.status_code in (200, 400, 404, 409), (action, repr(value)[:60], response.status_code)
    assert row_counts() == before


def test_wrong_arguments_name_the_field(api, public_dataset_token):
    assert api("specification_show", status=409)["error"]["uri"] == ["Värde saknas"]
    assert api("agenda2030_goal_show", status=409)["error"]["id"] == ["Värde saknas"]
    assert api("quality_show", id=["publik"], status=409)["error"]["id"] == ["Ska vara text"]
    assert api("tag_list", q={"a": 1}, status=409)["error"]["q"] == ["Ska vara text"]
    refused = api("agenda2030_suggest", conforms_to="x" * 3000, status=409)
    assert "Högst 2000 tecken" in refused["error"]["conforms_to"][0]
    assert api("agenda2030_goal_show", id=6)["result"]["goal"] == "6"  # a goal number may be a JSON number
    assert "18" in api("agenda2030_goal_show", id="18", status=404)["error"]["message"]
    assert api("specification_show", uri="https://example.se/okand", status=404)["error"]["message"]


def test_an_error_page_speaks_the_visitors_language(app, public_dataset_token):
    # Werkzeug's own words were shown: "404 Not Found", "The requested URL was not found on the server. ..."
    def text_of(response) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.body)).split())

    unknown = app.get("/sida-som-inte-finns")
    assert unknown.status_code == 404
    text = text_of(unknown)
    assert "Sidan hittades inte (fel 404)" in text
    assert "Det finns ingen sida på den här adressen." in text and "Sök bland datamängderna" in text
    assert "Not Found" not in text and "requested URL" not in text
    assert "<title>Sidan hittades inte" in unknown.body
    english = text_of(app.get("/en/sida-som-inte-finns"))
    assert "Page not found (error 404)" in english and "requested URL" not in english
    # A refusal's own message is kept, under the status's title.
    dataset = text_of(app.get("/dataset/finns-inte"))
    assert "Sidan hittades inte (fel 404) Datamängden finns inte" in dataset


@pytest.mark.parametrize("url", ["htp:/kalmar.se/lekplatser.csv", "kalmar.se/lekplatser.csv",
                                 "javascript:alert(1)", "https://kalmar.se/två ord.csv"])
def test_a_resource_link_that_is_no_web_address_is_refused_at_the_field(api, public_dataset_token, url):
    # "htp:/kalmar.se/…" was saved and published: a link nobody could follow, and a failed load in the API box.
    before = row_counts()
    error = api("resource_create", token=public_dataset_token, package_id="publik", url=url, status=409)["error"]
    assert error["url"] == ["Ange en fullständig webbadress som börjar med https:// eller http://"]
    assert row_counts() == before
    added = api("resource_create", token=public_dataset_token, package_id="publik",
                url="https://www.kalmar.se/lekplatser.csv")["result"]
    assert added["url"] == "https://www.kalmar.se/lekplatser.csv"


@pytest.mark.parametrize("path", [
    "/agenda2030/{}", "/organization/{}/psidata", "/organization/{}/catalog.rdf",
    "/organization/kalmar-kommun/catalog.{}", "/catalog.{}", "/dataset/{}", "/specifikationer?{}",
    "/oversikt?{}", "/dataset/?q={}", "/dataset/?vocab_sdg={}", "/dataset/?ext_bbox={}",
])
def test_every_page_answers_bad_addresses_without_a_server_error(app, public_dataset_token, path):
    before = row_counts()
    for value in NASTY:
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            continue
        response = app.get(path.format(value[:2000]))
        assert response.status_code in (200, 400, 404), (path, repr(value)[:60], response.status_code)
        assert "<script>alert(1)</script>" not in response.body
    assert row_counts() == before


MARKUP_TITLE = 'Badplatser <script>alert("t")</script> & <b>fet</b>'
MARKUP_NOTES = ("**Fet** text. <script>alert('n')</script> <img src=x onerror=alert('i')> "
                "[länk](javascript:alert('l')) <a href=\"javascript:alert('a')\">a</a>")


def test_markup_in_text_fields_is_escaped_and_markdown_sanitised(app, api, public_dataset_token):
    api("package_create", token=public_dataset_token, name="markup", title=MARKUP_TITLE, notes=MARKUP_NOTES,
        owner_org="kalmar-kommun", private=False, classification_confirmed=True, sdg=["6"],
        contact_name="Fritid <i>x</i>", tags=[{"name": "bad"}], resources=[DATA_LINK])
    for path in ("/dataset/markup", "/dataset/", "/agenda2030/6", "/organization/kalmar-kommun",
                 "/organization/kalmar-kommun/psidata", "/oversikt", "/"):
        page = app.get(path).body
        for forbidden in ("<script>alert", "onerror=", 'href="javascript:', "<b>fet</b>", "<i>x</i>"):
            assert forbidden not in page, (path, forbidden)
    page = app.get("/dataset/markup").body
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in page or "&lt;script&gt;" in page
    assert "<strong>Fet</strong>" in page  # markdown still works
    # In the catalog the text is data, unchanged: what a harvester gets back is what the editor wrote.
    graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    titles = {str(o) for o in graph.objects(None, DCTERMS.title)}
    assert MARKUP_TITLE in titles


UNICODE_TITLES = [
    "Vattenförbrukning i Högsby, Mönsterås och Torsås",
    "Cafe\u0301 och ka\u030aren",  # combining accents, kept as written
    "\u05de\u05d9\u05dd \u0645\u0627\u0621 water",  # right-to-left scripts
    "Utegym \U0001F3CB\ufe0f i Nybro",
]


@pytest.mark.parametrize("title", UNICODE_TITLES)
def test_unicode_round_trips_through_api_search_pages_and_catalog(app, api, public_dataset_token, title):
    created = api("package_create", token=public_dataset_token, name="unicode", title=title, notes=title,
                  owner_org="kalmar-kommun", private=False, classification_confirmed=True,
                  resources=[DATA_LINK])["result"]
    assert api("package_show", id="unicode")["result"]["title"] == title
    assert [d["title"] for d in api("package_search", q="name:unicode")["result"]["results"]] == [title]
    assert title in app.get("/dataset/unicode").body
    graph = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    assert Literal(title, lang="sv") in set(graph.objects(None, DCTERMS.title)) or \
        title in {str(o) for o in graph.objects(None, DCTERMS.title)}
    assert created["id"]


@pytest.mark.parametrize("value", ["a\x00b", "x" * 100_001])
def test_nul_and_huge_text_are_refused_at_the_field_and_nothing_is_saved(api, public_dataset_token, value):
    before = row_counts()
    error = api("package_create", token=public_dataset_token, status=409, name="fel", title=value, notes="x",
                owner_org="kalmar-kommun", private=False, classification_confirmed=True)["error"]
    assert "title" in error
    assert row_counts() == before


def test_dataset_pages_and_catalogs_survive_unusual_uris(app, api, public_dataset_token):
    """A URI field holding something odd but valid must not break the catalog for everyone."""
    api("package_create", token=public_dataset_token, name="udda", title="Udda", notes="x", owner_org="kalmar-kommun",
        private=False, classification_confirmed=True, url="https://www.kalmar.se/psidata?a=1&b=<2>",
        resources=[DATA_LINK])
    graph = Graph().parse(data=app.get("/catalog.rdf").body, format="xml")
    assert len(graph) > 0
    assert any(isinstance(o, URIRef) and "kalmar.se/psidata" in str(o) for o in graph.objects())
