"""The kept catalogs and overview (catalog/caching.py): an unchanged catalog is served from its file, and every
change to what it shows is in the next one."""
from __future__ import annotations

import datetime
import types

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckanext.kalmar_oppnadata.search import indexing

from .examples import DATA_LINK

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def titles(app, url: str = "/catalog.ttl") -> dict[str, str]:
    graph = Graph().parse(data=app.get(url).body, format="turtle")
    return {str(d).rsplit("/", 1)[-1]: next(str(t) for t in graph.objects(d, DCTERMS.title) if t.language == "sv")
            for d in graph.subjects(RDF.type, DCAT.Dataset)}


def test_unchanged_catalog_is_served_again_with_its_etag(app, catalog_portal):
    first = app.get("/catalog.rdf")
    again = app.get("/catalog.rdf")
    assert first.status_code == again.status_code == 200
    assert first.headers["ETag"] and first.headers["ETag"] == again.headers["ETag"]
    assert first.body == again.body
    assert first.headers["Content-Type"].startswith("application/rdf+xml")
    unchanged = app.get("/catalog.rdf", headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304


@pytest.mark.parametrize("path,content_type", [
    ("/catalog.rdf", "application/rdf+xml; charset=utf-8"), ("/catalog.ttl", "text/turtle; charset=utf-8"),
    ("/catalog.jsonld", "application/ld+json; charset=utf-8"),
    ("/organization/kalmar-kommun/catalog.ttl", "text/turtle; charset=utf-8")])
def test_kept_catalogs_name_their_media_type_and_charset_once(app, catalog_portal, path, content_type):
    # Werkzeug added a charset of its own to text/*: "text/turtle; charset=utf-8; charset=utf-8".
    assert app.get(path).headers["Content-Type"] == content_type


def test_every_change_is_in_the_next_catalog(app, api, catalog_portal):
    token, full = catalog_portal["token"], catalog_portal["full"]
    before = app.get("/catalog.ttl").headers["ETag"]
    assert titles(app)[full["id"]] == full["title"]

    api("package_patch", token=token, id=full["id"], title="Ny titel")
    assert titles(app)[full["id"]] == "Ny titel"
    assert app.get("/catalog.ttl").headers["ETag"] != before

    api("package_patch", token=token, id=full["id"], private=True)
    assert full["id"] not in titles(app)
    api("package_patch", token=token, id=full["id"], private=False)
    assert full["id"] in titles(app)

    api("package_delete", token=token, id=catalog_portal["nybro_dataset"]["id"])
    assert catalog_portal["nybro_dataset"]["id"] not in titles(app)
    assert catalog_portal["nybro_dataset"]["id"] not in titles(app, "/organization/nybro-kommun/catalog.ttl")


def test_overview_follows_changes_for_visitors(api, catalog_portal):
    def kalmar_count() -> int:
        overview = api("overview_show")["result"]
        return next(o["datasets"] for o in overview["organizations"] if o["name"] == "kalmar-kommun")

    assert kalmar_count() == 1  # "full"; the private draft is not counted
    api("package_create", token=catalog_portal["token"], owner_org=catalog_portal["kalmar"]["id"], name="ny",
        title="Ny", notes="Ny datamängd.", classification_confirmed=True, private=False, resources=[DATA_LINK])
    assert kalmar_count() == 2
    api("package_patch", token=catalog_portal["token"], id=catalog_portal["private"]["id"],
        classification_confirmed=True, private=False, resources=[DATA_LINK])  # public: it needs data
    assert kalmar_count() == 3


def test_the_index_time_the_kept_overview_watches_is_sent_by_ckan(api, catalog_portal, monkeypatch):
    """The kept overview and goal summary are keyed by the newest ``indexed_ts`` of the public datasets. Left
    to Solr (CKAN's schema: ``default="NOW"``), each replica of a SolrCloud collection wrote its own time, so
    the key changed with the replica that answered and the overview was built again on most requests
    (bench/cluster_state.py checks the replicas themselves). Here: with CKAN's clock set to a later moment,
    that moment is what the index holds and what a visitor's search sorts by."""
    later = datetime.datetime(2099, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)
    clock = types.SimpleNamespace(datetime=types.SimpleNamespace(now=lambda tz=None: later),
                                  timezone=datetime.timezone)
    monkeypatch.setattr(indexing, "datetime", clock)
    api("package_patch", token=catalog_portal["token"], id=catalog_portal["full"]["id"], notes="Ändrad.")

    newest = api("package_search", sort="indexed_ts desc", rows=1, fl="id,indexed_ts")["result"]["results"][0]
    assert newest == {"id": catalog_portal["full"]["id"], "indexed_ts": "2099-01-02T03:04:05.678Z"}


def test_turtle_and_rdfxml_catalogs_are_the_same_graph(app, catalog_portal):
    """The catalog's own Turtle writer (dcat/serializers.py) loses nothing against rdflib's RDF/XML."""
    from rdflib.compare import isomorphic

    turtle = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    rdfxml = Graph().parse(data=app.get("/catalog.rdf").body, format="xml")
    assert len(turtle) > 100 and isomorphic(turtle, rdfxml)
