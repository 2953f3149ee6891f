"""High-value datasets (EU regulation 2023/138): the HVD catalog at /catalog/hvd.{rdf,ttl,jsonld}, what its
datasets, distributions and data services carry (DCAT-AP-SE 3.0.1 with DCAT-AP HVD), SEMIC's HVD shapes, and
the form's explanation."""
from __future__ import annotations

import copy
import hashlib
from importlib import resources

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ckan.cli.cli import ckan as ckan_cli
from ckanext.dcat.profiles import DCAT, DCATAP, DCT, FOAF, VCARD

from ckanext.kalmar_oppnadata.catalog import shacl

from .examples import DATA_LINK, FULL
from .helpers import run_worker, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues",
                                     "clean_datastore_tables", "with_test_worker")

HVD = URIRef("http://data.europa.eu/eli/reg_impl/2023/138/oj")
GEOSPATIAL = URIRef("http://data.europa.eu/bna/c_ac64a52d")
MOBILITY = "http://data.europa.eu/bna/c_b79e35eb"
ELI_LEGAL_RESOURCE = URIRef("http://data.europa.eu/eli/ontology#LegalResource")
FORMATS = (("rdf", "xml"), ("ttl", "turtle"), ("jsonld", "json-ld"))


@pytest.fixture
def clean_datastore_tables():
    from ckanext.datastore.tests import helpers

    engine = helpers.db.get_write_engine()
    helpers.clear_db(helpers.orm.scoped_session(helpers.orm.sessionmaker(bind=engine)))


@pytest.fixture
def hvd_portal(app, api, cli, sysadmin_with_token):
    """Kalmar kommun with a public HVD dataset whose CSV is in the DataStore (a data service), a public
    dataset that is not HVD, and a private dataset in an HVD category."""
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="region-kalmar-lan", title="Region Kalmar län",
        dcat_type="http://purl.org/adms/publishertype/RegionalAuthority", email="region@example.org")
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun", identifier="212000-0746",
        email="oppnadata@kalmar.se")
    hvd = api("package_create", token=token, owner_org="kalmar-kommun", tags=[{"name": "bad"}],
              resources=[DATA_LINK], **copy.deepcopy(FULL))["result"]
    table = upload(app, token, hvd["id"], "place_id,name\n1,Stensö\n2,Norra\n".encode())
    run_worker(cli)
    other = api("package_create", token=token, owner_org="kalmar-kommun", name="energi", title="Energianvändning",
                notes="Kommunens energianvändning.", classification_confirmed=True, private=False,
                resources=[DATA_LINK])["result"]
    private = api("package_create", token=token, owner_org="kalmar-kommun", name="hemlig-hvd",
                  title="Hemlig värdefull", notes="Får inte synas.", private=True, classification_confirmed=True,
                  hvd_category=MOBILITY, resources=[DATA_LINK])["result"]
    return {"token": token, "hvd": hvd, "table": table, "other": other, "private": private}


def graph_of(app, url: str, fmt: str = "xml") -> Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body[:500]
    return Graph().parse(data=response.body, format=fmt)


def test_hvd_catalog_has_only_the_public_hvd_datasets(app, hvd_portal):
    for ext, parser in FORMATS:
        response = app.get(f"/catalog/hvd.{ext}")
        assert response.status_code == 200
        assert hvd_portal["private"]["id"] not in response.body and "Hemlig" not in response.body
        graph = Graph().parse(data=response.body, format=parser)
        datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
        assert [str(d).rsplit("/", 1)[-1] for d in datasets] == [hvd_portal["hvd"]["id"]], ext
        catalog = graph.value(predicate=RDF.type, object=DCAT.Catalog)
        assert str(catalog) == "http://test.ckan.net/catalog/hvd.rdf"
        assert set(graph.objects(catalog, DCAT.dataset)) == datasets
        assert (catalog, DCATAP.applicableLegislation, HVD) in graph
        assert Literal("High-value datasets – Open data in Kalmar County", lang="en") in set(
            graph.objects(catalog, DCT.title))
    # The complete catalog has both public datasets, the HVD one marked as such.
    complete = graph_of(app, "/catalog.rdf")
    assert len(set(complete.subjects(RDF.type, DCAT.Dataset))) == 2
    assert shacl.hvd_datasets(complete) == shacl.hvd_datasets(graph_of(app, "/catalog/hvd.rdf"))


def test_hvd_dataset_distributions_and_data_service_carry_what_hvd_requires(app, hvd_portal):
    graph = graph_of(app, "/catalog/hvd.rdf")
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    assert (dataset, DCATAP.applicableLegislation, HVD) in graph
    assert (HVD, RDF.type, ELI_LEGAL_RESOURCE) in graph
    assert (dataset, DCATAP.hvdCategory, GEOSPATIAL) in graph
    assert (GEOSPATIAL, RDF.type, SKOS.Concept) in graph
    assert (GEOSPATIAL, SKOS.prefLabel, Literal("Geospatial", lang="en")) in graph
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in graph and (contact, RDF.type, VCARD.Kind) in graph
    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 2
    for distribution in distributions:
        assert (distribution, DCATAP.applicableLegislation, HVD) in graph
    services = list(graph.objects(None, DCAT.accessService))
    assert len(services) == 1  # the uploaded table in the DataStore
    service = services[0]
    page = URIRef(f"http://test.ckan.net/dataset/{hvd_portal['hvd']['id']}/resource/{hvd_portal['table']['id']}")
    assert (service, DCATAP.applicableLegislation, HVD) in graph
    assert (service, DCATAP.hvdCategory, GEOSPATIAL) in graph
    assert (service, DCAT.contactPoint, contact) in graph
    assert (service, FOAF.page, page) in graph and (page, RDF.type, FOAF.Document) in graph
    assert (service, DCAT.servesDataset, dataset) in graph
    assert graph.value(service, DCAT.endpointURL) is not None


def test_hvd_catalog_passes_semic_hvd_shapes_shacl_and_swedish_rules(app, hvd_portal):
    for ext, parser in FORMATS:
        graph = graph_of(app, f"/catalog/hvd.{ext}", parser)
        assert len(shacl.hvd_subgraph(graph)) > 0
        assert shacl.hvd_findings(graph) == [], ext
        assert shacl.shacl_findings(graph) == [], ext
        assert shacl.swedish_findings(graph) == [], ext
    assert shacl.validate(graph_of(app, "/catalog.rdf")) == []


def test_hvd_shapes_find_what_is_missing(app, hvd_portal):
    """The check can fail: without the data service's documentation, category and contact point, and
    without a distribution's legislation, SEMIC's shapes report each."""
    graph = graph_of(app, "/catalog/hvd.rdf")
    service = next(graph.objects(None, DCAT.accessService))
    distribution = next(graph.subjects(DCAT.accessService, service))
    for predicate in (FOAF.page, DCATAP.hvdCategory, DCAT.contactPoint):
        graph.remove((service, predicate, None))
    graph.remove((distribution, DCATAP.applicableLegislation, None))
    text = "\n".join(str(f) for f in shacl.hvd_findings(graph))
    for path in ("foaf/0.1/page", "r5r/hvdCategory", "dcat#contactPoint", "r5r/applicableLegislation"):
        assert path in text, path
    assert str(distribution) in text


def test_private_hvd_dataset_leaves_no_trace(app, api, hvd_portal):
    api("package_patch", token=hvd_portal["token"], id=hvd_portal["hvd"]["id"], private=True)
    for ext, parser in FORMATS:
        body = app.get(f"/catalog/hvd.{ext}").body
        assert hvd_portal["hvd"]["id"] not in body and hvd_portal["private"]["id"] not in body
        assert not list(Graph().parse(data=body, format=parser).subjects(RDF.type, DCAT.Dataset))


def test_validate_catalog_checks_the_hvd_catalog(cli, hvd_portal):
    result = cli.invoke(ckan_cli, ["kalmar", "validate-catalog"])
    assert result.exit_code == 0, result.output
    assert "Checked the catalog of high-value datasets" in result.output
    assert "1 high-value dataset(s)" in result.output
    result = cli.invoke(ckan_cli, ["kalmar", "validate-catalog", "--hvd"])
    assert result.exit_code == 0, result.output
    assert "the portal's catalog" not in result.output


def test_validate_catalog_reports_an_hvd_service_without_documentation(cli, tmp_path):
    bad = tmp_path / "hvd.ttl"
    bad.write_text("""
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix dcatap: <http://data.europa.eu/r5r/> .
        <http://x.example/ds> a dcat:Dataset ; dct:title "Värdefull"@sv ; dct:description "x"@sv ;
          dcatap:applicableLegislation <http://data.europa.eu/eli/reg_impl/2023/138/oj> ;
          dcat:distribution <http://x.example/dist> .
        <http://x.example/dist> a dcat:Distribution ; dcat:accessURL <http://x.example/file.csv> ;
          dcat:accessService <http://x.example/api> .
        <http://x.example/api> a dcat:DataService ; dct:title "API"@sv ; dcat:endpointURL <http://x.example/api> .
    """)
    result = cli.invoke(ckan_cli, ["kalmar", "validate-catalog", "--file", str(bad)])
    assert result.exit_code == 1
    assert "[HVD] http://x.example/api" in result.output and "foaf/0.1/page" in result.output
    assert "[HVD] http://x.example/ds" in result.output and "hvdCategory" in result.output


def test_packaged_hvd_shapes_are_semics_file():
    """The copy in catalog/shapes/ is SEMIC's hvd-SHACL.ttl byte for byte (sha256 in shapes/README.md)."""
    data = resources.files("ckanext.kalmar_oppnadata.catalog").joinpath(
        "shapes", shacl.HVD_SHAPE_FILE).read_bytes()
    assert hashlib.sha256(data).hexdigest() == "5fbcaace00b2e1272bcff66c3b6eb7b55ff2932869094b239a617a29b69b15fc"


def test_form_explains_what_a_high_value_dataset_requires(app, api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun", email="oppnadata@kalmar.se")
    page = app.get("/dataset/new", headers={"Authorization": token}).body
    for text in ("Värdefull datamängd (EU)", "genomförandeförordning 2023/138", "avgiftsfri",
                 "minst lika fri som CC BY 4.0", "både som fil att ladda ned och via API", "kontaktpunkt",
                 "katalogen över värdefulla datamängder", "Geospatiala data"):
        assert text in page, text
    english = app.get("/en/dataset/new", headers={"Authorization": token}).body
    for text in ("High-value dataset (EU)", "implementing regulation 2023/138", "free of charge",
                 "at least as open as CC BY 4.0", "through an API"):
        assert text in english, text
