"""Linked data that resolves: dataset pages answer RDF clients (Accept header, or .ttl/.rdf/.jsonld) with the
dataset's DCAT-AP-SE description, the same as its part in the catalog, and never for a dataset the asker may
not see; the controlled vocabularies at /vokabular/<name> as pages (Swedish, English under /en/) and SKOS."""
from __future__ import annotations

import copy

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from ckanext.dcat.profiles import DCAT, DCT, FOAF

from .examples import DATA_LINK, FULL

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

RDF_TYPES = (("text/turtle", "turtle", "ttl"), ("application/rdf+xml", "xml", "rdf"),
             ("application/ld+json", "json-ld", "jsonld"))
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SITE = "http://test.ckan.net"


@pytest.fixture
def portal(api, sysadmin_with_token, user_factory, api_token_factory):
    """The region (the catalog's publisher), Kalmar kommun with one public HVD dataset, a private dataset
    in an HVD category and a draft; an editor of another organization."""
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="region-kalmar-lan", title="Region Kalmar län",
        dcat_type="http://purl.org/adms/publishertype/RegionalAuthority", email="region@example.org")
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun", identifier="212000-0746",
        email="oppnadata@kalmar.se")
    api("organization_create", token=token, name="nybro-kommun", title="Nybro kommun", email="oppnadata@nybro.se")
    public = api("package_create", token=token, owner_org="kalmar-kommun", tags=[{"name": "bad"}],
                 resources=[DATA_LINK], **copy.deepcopy(FULL))["result"]
    private = api("package_create", token=token, owner_org="kalmar-kommun", name="hemlig-hvd",
                  title="Hemlighet värdefull", notes="Får inte synas.", private=True, classification_confirmed=True,
                  hvd_category="http://data.europa.eu/bna/c_b79e35eb", resources=[DATA_LINK])["result"]
    draft = api("package_create", token=token, owner_org="kalmar-kommun", name="hemlig-utkast",
                title="Hemlighet utkast", notes="Får inte synas.", state="draft", private=False,
                classification_confirmed=True, hvd_category="http://data.europa.eu/bna/c_b79e35eb")["result"]
    outsider = user_factory()
    api("organization_member_create", token=token, id="nybro-kommun", username=outsider["name"], role="editor")
    return {"token": token, "public": public, "private": private, "draft": draft,
            "outsider": api_token_factory(user=outsider["id"])["token"]}


def _catalog_part(app, dataset_id: str) -> Graph:
    """The dataset's triples in the complete catalog: everything but the catalog's own description (the
    catalog node and its publisher, the region), with one public dataset in it."""
    catalog = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
    ref = next(catalog.subjects(RDF.type, DCAT.Catalog))
    header = {ref, catalog.value(ref, DCT.publisher)}
    homepage = catalog.value(ref, FOAF.homepage)
    assert [str(d).rsplit("/", 1)[-1] for d in catalog.subjects(RDF.type, DCAT.Dataset)] == [dataset_id]
    part = Graph()
    for triple in catalog:
        if triple[0] not in header and triple != (homepage, RDF.type, FOAF.Document):
            part.add(triple)
    return part


class TestDatasetContentNegotiation:
    def test_accept_header_gets_the_description_in_the_catalog(self, app, portal):
        name, dataset_id = portal["public"]["name"], portal["public"]["id"]
        part = _catalog_part(app, dataset_id)
        for media_type, parser, ext in RDF_TYPES:
            for path in (f"/dataset/{name}", f"/dataset/{dataset_id}", f"/en/dataset/{name}"):
                response = app.get(path, headers={"Accept": media_type})
                assert response.status_code == 200, (path, media_type)
                assert response.headers["Content-Type"].startswith(media_type)
                assert "Accept" in response.headers.get("Vary", "")
                graph = Graph().parse(data=response.body, format=parser)
                assert (URIRef(f"{SITE}/dataset/{dataset_id}"), RDF.type, DCAT.Dataset) in graph
                assert isomorphic(graph, part), (path, media_type)
            by_name = Graph().parse(data=app.get(f"/dataset/{name}.{ext}").body, format=parser)
            assert isomorphic(by_name, part), ext

    def test_browsers_still_get_the_page(self, app, portal):
        for headers in ({"Accept": BROWSER_ACCEPT}, {}, {"Accept": "*/*"}):
            response = app.get(f"/dataset/{portal['public']['name']}", headers=headers)
            assert response.status_code == 200
            assert response.headers["Content-Type"].startswith("text/html")
            assert "Badplatser i Kalmar kommun" in response.body
        assert "Accept" in app.get(f"/dataset/{portal['public']['name']}").headers.get("Vary", "")

    def test_rdf_preferred_by_quality(self, app, portal):
        response = app.get(f"/dataset/{portal['public']['name']}",
                           headers={"Accept": "text/html;q=0.5, text/turtle;q=0.9"})
        assert response.headers["Content-Type"].startswith("text/turtle")

    @pytest.mark.parametrize("who", ["anonymous", "editor of another organization"])
    def test_private_and_draft_datasets_never_answer(self, app, portal, who):
        headers = {"Authorization": portal["outsider"]} if who != "anonymous" else {}
        for key in ("private", "draft"):
            dataset = portal[key]
            for media_type, _, ext in RDF_TYPES:
                for path in (f"/dataset/{dataset['name']}", f"/dataset/{dataset['id']}",
                             f"/en/dataset/{dataset['name']}"):
                    response = app.get(path, headers={**headers, "Accept": media_type})
                    assert response.status_code == 404, (path, media_type)
                    assert "Hemlighet" not in response.body
                    if dataset["id"] not in path:  # the 404 page echoes its own address (language menu)
                        assert dataset["id"] not in response.body
                response = app.get(f"/dataset/{dataset['name']}.{ext}", headers=headers)
                assert response.status_code == 404
                assert "Hemlighet" not in response.body

    def test_those_who_may_see_a_private_dataset_get_its_description(self, app, portal):
        response = app.get(f"/dataset/{portal['private']['name']}",
                           headers={"Authorization": portal["token"], "Accept": "text/turtle"})
        assert response.status_code == 200
        graph = Graph().parse(data=response.body, format="turtle")
        dataset = URIRef(f"{SITE}/dataset/{portal['private']['id']}")
        assert (dataset, DCT.title, Literal("Hemlighet värdefull", lang="sv")) in graph
        # ... and it is in no catalog.
        for url in ("/catalog.ttl", "/catalog/hvd.ttl"):
            assert portal["private"]["id"] not in app.get(url).body

    def test_description_follows_an_edit(self, app, api, portal):
        api("package_patch", token=portal["token"], id=portal["public"]["id"], title="Badplatser (nytt namn)")
        response = app.get(f"/dataset/{portal['public']['name']}", headers={"Accept": "text/turtle"})
        graph = Graph().parse(data=response.body, format="turtle")
        assert Literal("Badplatser (nytt namn)", lang="sv") in set(graph.objects(None, DCT.title))
        assert isomorphic(graph, _catalog_part(app, portal["public"]["id"]))


class TestVocabularies:
    def test_index_lists_every_vocabulary_in_both_languages(self, app):
        page = app.get("/vokabular").body
        assert "Kontrollerade vokabulärer" in page
        for name in ("sdg", "data-theme", "hvd-category", "access-right", "frequency", "language",
                     "planned-availability", "distribution-status"):
            assert f'href="/vokabular/{name}"' in page, name
        assert "Globala målen (Agenda 2030)" in page
        english = app.get("/en/vokabular").body
        assert "Controlled vocabularies" in english and "Sustainable Development Goals (Agenda 2030)" in english

    def test_goals_page_in_swedish_and_english(self, app):
        page = app.get("/vokabular/sdg", headers={"Accept": BROWSER_ACCEPT})
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        body = page.body
        assert "Globala målen (Agenda 2030)" in body and "Ingen fattigdom" in body
        assert body.count('href="http://metadata.un.org/sdg/') == 17
        assert f'href="{SITE}/vokabular/sdg/6"' in body and 'id="6"' in body
        assert "portalens egen" in body
        english = app.get("/en/vokabular/sdg").body
        assert "No poverty" in english and "Clean water and sanitation" in english
        assert "This vocabulary is the portal's own" in english

    def test_goals_as_skos_by_accept_header_and_suffix(self, app):
        graphs = []
        for media_type, parser, ext in RDF_TYPES:
            response = app.get("/vokabular/sdg", headers={"Accept": media_type})
            assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
            graph = Graph().parse(data=response.body, format=parser)
            by_suffix = Graph().parse(data=app.get(f"/vokabular/sdg.{ext}").body, format=parser)
            assert isomorphic(graph, by_suffix)
            graphs.append(graph)
        assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])
        graph = graphs[0]
        scheme = URIRef(f"{SITE}/vokabular/sdg/")
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
        concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        assert len(concepts) == 17
        goal = URIRef(f"{SITE}/vokabular/sdg/6")
        assert (goal, SKOS.inScheme, scheme) in graph
        assert (goal, SKOS.exactMatch, URIRef("http://metadata.un.org/sdg/6")) in graph
        assert (goal, SKOS.prefLabel, Literal("Rent vatten och sanitet för alla", lang="sv")) in graph
        assert (goal, SKOS.prefLabel, Literal("Clean water and sanitation", lang="en")) in graph

    def test_every_goal_iri_resolves(self, app):
        graph = Graph().parse(data=app.get("/vokabular/sdg.ttl").body, format="turtle")
        for concept in graph.subjects(RDF.type, SKOS.Concept):
            path = str(concept).removeprefix(SITE)
            described = Graph().parse(data=app.get(path, headers={"Accept": "text/turtle"}).body, format="turtle")
            assert set(described) == set(graph.triples((concept, None, None))), path
            page = app.get(path, headers={"Accept": BROWSER_ACCEPT}, follow_redirects=False)
            assert page.status_code == 303
            code = path.rsplit("/", 1)[-1]
            assert page.headers["Location"].endswith(f"/vokabular/sdg#{code}")
        assert app.get("/vokabular/sdg/18", headers={"Accept": "text/turtle"}).status_code == 404

    def test_catalog_goals_are_the_exact_matches_of_the_served_concepts(self, app, portal):
        served = Graph().parse(data=app.get("/vokabular/sdg.ttl").body, format="turtle")
        catalog = Graph().parse(data=app.get("/catalog.ttl").body, format="turtle")
        subjects = {s for s in catalog.objects(None, DCT.subject) if "metadata.un.org" in str(s)}
        assert subjects == {URIRef("http://metadata.un.org/sdg/6"), URIRef("http://metadata.un.org/sdg/11")}
        assert subjects <= set(served.objects(None, SKOS.exactMatch))

    def test_eu_vocabularies_are_listed_with_links_out_not_owned(self, app):
        page = app.get("/vokabular/data-theme").body
        assert "tillhör EU" in page
        assert 'href="http://publications.europa.eu/resource/authority/data-theme/ENVI"' in page
        assert "Miljö" in page
        graph = Graph().parse(data=app.get("/vokabular/data-theme", headers={"Accept": "application/rdf+xml"}).body,
                              format="xml")
        concepts = set(graph.subjects(RDF.type, SKOS.Concept))
        assert len(concepts) == 13
        assert all(str(c).startswith("http://publications.europa.eu/resource/authority/data-theme/") for c in concepts)
        assert not [t for t in graph if SITE in str(t[0]) or "vocabulary.invalid" in str(t[0])]
        hvd = Graph().parse(data=app.get("/vokabular/hvd-category.ttl").body, format="turtle")
        geospatial = URIRef("http://data.europa.eu/bna/c_ac64a52d")
        assert (geospatial, SKOS.prefLabel, Literal("Geospatiala data", lang="sv")) in hvd
        assert "Companies and company ownership" in app.get("/en/vokabular/hvd-category").body
        assert app.get("/vokabular/data-theme/ENVI", headers={"Accept": "text/turtle"}).status_code == 404

    def test_unknown_vocabulary_is_a_swedish_404(self, app):
        response = app.get("/vokabular/okand")
        assert response.status_code == 404
        assert "Det finns ingen vokabulär okand" in response.body
        assert app.get("/vokabular/sdg.n3").status_code == 404
