"""The DCAT-AP-SE 3.0.1 profile: complete catalogs, SHACL and Swedish rules, triples, parsing, round trip."""
from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ckan.cli.cli import ckan as ckan_cli
from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.dcat.profiles import DCAT, DCATAP, DCT, FOAF, SPDX, VCARD

from ckanext.kalmar_oppnadata.catalog import mapping, shacl

from .examples import DIGG_EXAMPLES, FULL, FULL_RESOURCE

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

GSP_WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")
KALMAR_PUBLISHER = URIRef("http://dataportal.se/organisation/SE2120000746")


def graph_of(app, url: str, fmt: str = "xml") -> Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body[:500]
    graph = Graph()
    graph.parse(data=response.body, format=fmt)
    return graph


def dataset_ref(graph: Graph, dataset_id: str) -> URIRef:
    return next(d for d in graph.subjects(RDF.type, DCAT.Dataset) if str(d).endswith(dataset_id))


class TestCatalog:
    def test_catalog_rdf_passes_shacl_and_the_swedish_rules(self, app, catalog_portal):
        graph = graph_of(app, "/catalog.rdf")
        assert shacl.shacl_findings(graph) == []
        assert shacl.swedish_findings(graph) == []

    def test_organization_catalogs_pass_too(self, app, catalog_portal):
        for org in ("kalmar-kommun", "nybro-kommun"):
            graph = graph_of(app, f"/organization/{org}/catalog.rdf")
            assert shacl.validate(graph) == [], org

    def test_complete_catalog_without_paging_and_only_public_datasets(self, app, catalog_portal):
        graph = graph_of(app, "/catalog.rdf")
        datasets = {str(d).rsplit("/", 1)[-1] for d in graph.subjects(RDF.type, DCAT.Dataset)}
        assert datasets == {catalog_portal["full"]["id"], catalog_portal["nybro_dataset"]["id"]}
        assert not list(graph.subjects(RDF.type, DCAT.CatalogRecord))
        assert "hydra" not in app.get("/catalog.rdf").body
        for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
            assert len(graph_of(app, f"/catalog.{fmt}", parser)) == len(graph)
        # The private dataset is in no catalog.
        for url in ("/catalog.ttl", "/organization/kalmar-kommun/catalog.ttl", "/catalog/paged.ttl"):
            body = app.get(url).body
            assert catalog_portal["private"]["id"] not in body and "Hemligt utkast" not in body, url

    @pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "1")
    def test_stays_complete_when_ckanext_dcat_would_page(self, app, catalog_portal):
        assert len(list(graph_of(app, "/catalog.rdf").subjects(RDF.type, DCAT.Dataset))) == 2
        assert len(list(graph_of(app, "/catalog/paged.rdf").subjects(RDF.type, DCAT.Dataset))) == 1

    def test_catalog_properties(self, app, catalog_portal):
        graph = graph_of(app, "/catalog.rdf")
        catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
        assert (catalog, DCT.license, URIRef("http://creativecommons.org/publicdomain/zero/1.0/")) in graph
        assert (catalog, DCT.language, URIRef("http://publications.europa.eu/resource/authority/language/SWE")) in graph
        themes = URIRef("http://publications.europa.eu/resource/authority/data-theme")
        assert (catalog, DCAT.themeTaxonomy, themes) in graph
        assert Literal("Öppna data i Kalmar län", lang="sv") in set(graph.objects(catalog, DCT.title))
        publisher = graph.value(catalog, DCT.publisher)
        assert str(publisher).endswith(f"/organization/{catalog_portal['region']['id']}")  # orgnr unknown: portal URI
        assert (publisher, FOAF.name, Literal("Region Kalmar län", lang="sv")) in graph
        assert (publisher, DCT.type, URIRef("http://purl.org/adms/publishertype/RegionalAuthority")) in graph
        assert graph.value(catalog, DCT.issued) is not None and graph.value(catalog, DCT.modified) is not None

    def test_organization_catalog_is_its_own_resource_published_by_it(self, app, catalog_portal):
        graph = graph_of(app, "/organization/kalmar-kommun/catalog.rdf")
        catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
        assert str(catalog) == "http://test.ckan.net/organization/kalmar-kommun/catalog.rdf"
        assert graph.value(catalog, DCT.publisher) == KALMAR_PUBLISHER

    def test_organization_changes_show_in_the_next_catalog(self, app, api, catalog_portal):
        api("organization_patch", token=catalog_portal["token"], id="kalmar-kommun", title="Kalmar kommun (nytt namn)",
            identifier="212000-0795")
        graph = graph_of(app, "/catalog.rdf")
        new_uri = URIRef("http://dataportal.se/organisation/SE2120000795")
        assert graph.value(dataset_ref(graph, catalog_portal["full"]["id"]), DCT.publisher) == new_uri
        assert (new_uri, FOAF.name, Literal("Kalmar kommun (nytt namn)", lang="sv")) in graph
        assert (KALMAR_PUBLISHER, None, None) not in graph


class TestDatasetTriples:
    @pytest.fixture
    def graph(self, app, catalog_portal):
        return graph_of(app, "/catalog.rdf")

    def test_publisher_described_once_as_a_swedish_organization(self, graph, catalog_portal):
        ds = dataset_ref(graph, catalog_portal["full"]["id"])
        assert graph.value(ds, DCT.publisher) == KALMAR_PUBLISHER
        assert (KALMAR_PUBLISHER, RDF.type, FOAF.Organization) in graph
        assert list(graph.objects(KALMAR_PUBLISHER, FOAF.name)) == [Literal("Kalmar kommun", lang="sv")]
        assert graph.value(KALMAR_PUBLISHER, DCT.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
        assert graph.value(KALMAR_PUBLISHER, DCT.identifier) == Literal("212000-0746")
        nybro = graph.value(dataset_ref(graph, catalog_portal["nybro_dataset"]["id"]), DCT.publisher)
        assert str(nybro) == f"http://test.ckan.net/organization/{catalog_portal['nybro']['id']}"

    def test_contact_point_is_its_own_vcard_organization(self, graph, catalog_portal):
        ds = dataset_ref(graph, catalog_portal["full"]["id"])
        contact = graph.value(ds, DCAT.contactPoint)
        assert isinstance(contact, URIRef) and contact != KALMAR_PUBLISHER
        assert (contact, RDF.type, VCARD.Organization) in graph
        assert graph.value(contact, VCARD.fn) == Literal("Kalmar kommun, fritidsförvaltningen")
        assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:fritid@kalmar.se")

    def test_language_tagged_text(self, graph, catalog_portal):
        ds = dataset_ref(graph, catalog_portal["full"]["id"])
        assert set(graph.objects(ds, DCT.title)) == {Literal(FULL["title"], lang="sv"),
                                                     Literal(FULL["title_en"], lang="en")}
        assert set(graph.objects(ds, DCT.description)) == {Literal(FULL["notes"], lang="sv"),
                                                           Literal(FULL["notes_en"], lang="en")}
        assert set(graph.objects(ds, DCAT.keyword)) == {Literal("bad", lang="sv"), Literal("bathing", lang="en"),
                                                        Literal("beach", lang="en")}

    def test_controlled_values_as_eu_uris_and_goals_as_un_subjects(self, graph, catalog_portal):
        ds = dataset_ref(graph, catalog_portal["full"]["id"])
        eu = "http://publications.europa.eu/resource/authority/"
        assert set(graph.objects(ds, DCAT.theme)) == {URIRef(eu + "data-theme/ENVI"), URIRef(eu + "data-theme/REGI")}
        assert graph.value(ds, DCT.accessRights) == URIRef(eu + "access-right/PUBLIC")
        assert graph.value(ds, DCT.accrualPeriodicity) == URIRef(eu + "frequency/ANNUAL")
        assert set(graph.objects(ds, DCT.language)) == {URIRef(eu + "language/SWE"), URIRef(eu + "language/ENG")}
        assert set(graph.objects(ds, DCT.subject)) == {URIRef("http://metadata.un.org/sdg/6"),
                                                       URIRef("http://metadata.un.org/sdg/11")}
        assert graph.value(ds, DCT.conformsTo) == URIRef("https://dataportal.se/specifications/badplatser/1.0")
        assert graph.value(ds, DCATAP.hvdCategory) == URIRef("http://data.europa.eu/bna/c_ac64a52d")
        assert graph.value(ds, DCATAP.applicableLegislation) == URIRef("http://data.europa.eu/eli/reg_impl/2023/138/oj")

    def test_spatial_temporal_and_dates(self, graph, catalog_portal):
        ds = dataset_ref(graph, catalog_portal["full"]["id"])
        places = set(graph.objects(ds, DCT.spatial))
        assert URIRef("http://sws.geonames.org/2702260") in places
        location = next(p for p in places if isinstance(p, BNode))
        bbox = graph.value(location, DCAT.bbox)
        assert bbox.datatype == GSP_WKT and str(bbox).startswith("POLYGON((16.2 56.6")
        assert graph.value(location, DCAT.centroid).datatype == GSP_WKT
        period = graph.value(ds, DCT.temporal)
        assert graph.value(period, DCAT.startDate) == Literal("2024-05-01", datatype=XSD.date)
        assert graph.value(period, DCAT.endDate) == Literal("2024-09-30", datatype=XSD.date)
        assert graph.value(ds, DCT.issued) == Literal("2024-04-15", datatype=XSD.date)
        assert graph.value(ds, DCT.modified) == Literal("2024-06-01", datatype=XSD.date)

    def test_distributions(self, graph, catalog_portal):
        ds = dataset_ref(graph, catalog_portal["full"]["id"])
        distributions = list(graph.objects(ds, DCAT.distribution))
        assert len(distributions) == 2 and all(isinstance(d, URIRef) for d in distributions)
        link = next(d for d in distributions if graph.value(d, DCAT.downloadURL) is None)
        upload = next(d for d in distributions if graph.value(d, DCAT.downloadURL) is not None)
        assert graph.value(link, DCT["format"]) == Literal("text/csv")
        assert graph.value(link, DCAT.mediaType) == URIRef("http://www.iana.org/assignments/media-types/text/csv")
        assert graph.value(link, DCT.license) == URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
        assert graph.value(link, DCAT.byteSize) == Literal("1234", datatype=XSD.nonNegativeInteger)
        assert graph.value(link, DCAT.accessURL) == URIRef(FULL_RESOURCE["url"])
        assert graph.value(link, DCATAP.availability) == URIRef(FULL_RESOURCE["availability"])
        assert graph.value(link, URIRef("http://www.w3.org/ns/adms#status")) == URIRef(FULL_RESOURCE["status"])
        checksum = graph.value(link, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == FULL_RESOURCE["hash"]
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha1
        # The upload inherits the dataset's CC BY 4.0 and is downloadable from the portal.
        assert graph.value(upload, DCT.license) == URIRef("http://creativecommons.org/licenses/by/4.0/")
        assert str(graph.value(upload, DCAT.downloadURL)).startswith("http://test.ckan.net/dataset/")
        assert graph.value(upload, DCAT.accessURL) == graph.value(upload, DCAT.downloadURL)
        assert graph.value(upload, DCAT.byteSize) == Literal(str(len("place_id,name\n1,Stensö\n".encode())),
                                                             datatype=XSD.nonNegativeInteger)
        assert graph.value(upload, DCT.title) == Literal("Badplatser (CSV)", lang="sv")

    def test_all_iris_absolute_and_no_blank_nodes_for_named_things(self, graph):
        for cls in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution):
            assert not any(isinstance(n, BNode) for n in graph.subjects(RDF.type, cls))
        for prop in (DCT.publisher, DCAT.contactPoint):
            assert not any(isinstance(n, BNode) for n in graph.objects(None, prop))
        for s, p, o in graph:
            for term in (s, o):
                if isinstance(term, URIRef):
                    assert str(term).split(":", 1)[0] in ("http", "https", "mailto", "tel"), term


class TestValidationCatchesProblems:
    def test_each_swedish_rule_fires(self, app, catalog_portal):
        graph = graph_of(app, "/catalog.rdf")
        ds = dataset_ref(graph, catalog_portal["full"]["id"])
        graph.add((ds, DCT.title, Literal("utan språk")))
        graph.add((URIRef("http://x.example/record"), RDF.type, DCAT.CatalogRecord))
        graph.add((ds, DCT.license, URIRef("https://creativecommons.org/licenses/by/4.0/deed.sv")))
        graph.remove((KALMAR_PUBLISHER, None, None))
        wrong = URIRef("http://dataportal.se/organisation/SE2120000747")
        graph.remove((ds, DCT.publisher, None))
        graph.add((ds, DCT.publisher, wrong))
        graph.add((wrong, DCT.identifier, Literal("212000-0746")))
        graph.add((wrong, RDF.type, FOAF.Agent))
        blank = BNode()
        graph.add((blank, RDF.type, DCAT.Distribution))
        rules = {f.rule for f in shacl.swedish_findings(graph)}
        assert {"language tag", "CatalogRecord", "licence URI", "publisher URI", "publisher", "blank node"} <= rules
        findings = shacl.shacl_findings(graph)
        assert any("dcat#accessURL" in f.message for f in findings)
        assert any("dcterms:type" in f.message or "terms/type" in f.message for f in findings)


class TestParsing:
    def _parse(self, text: str, fmt: str = "turtle") -> list[dict]:
        parser = RDFParser(profiles=["dcat_ap_se"])
        parser.parse(text, _format=fmt)
        return list(parser.datasets())

    def test_diggs_examples_import_into_our_schema(self, api, catalog_portal):
        for name in ("dcat-ap-se-rekommenderat.ttl", "dcat-ap-se-obligatoriskt.ttl"):
            (parsed,) = self._parse((DIGG_EXAMPLES / name).read_text("utf-8"))
            created = api("package_create", token=catalog_portal["token"], owner_org=catalog_portal["nybro"]["id"],
                          name=name.removesuffix(".ttl"), **parsed)["result"]
            assert created["uri"] == "https://example.com/dataset1"
            assert created["contact_email"].startswith("oppnadata@")
        recommended = api("package_show", token=catalog_portal["token"], id="dcat-ap-se-rekommenderat")["result"]
        assert recommended["title"] == "Bibliotek i Sverige" and recommended["title_en"] == "Libraries in Sweden"
        assert recommended["theme"] == ["http://publications.europa.eu/resource/authority/data-theme/EDUC"]
        assert recommended["contact_phone"] == "+46012345678"
        assert recommended["spatial_uri"] == "http://sws.geonames.org/2661886"
        assert [t["name"] for t in recommended["tags"]] == ["bibliotek"] and recommended["keywords_en"] == ["library"]
        assert (recommended["temporal_start"], recommended["temporal_end"]) == ("2010-01-01", "2012-01-01")
        # DIGG's outdated availability URI maps to the EU table.
        assert recommended["resources"][0]["availability"].endswith("planned-availability/EXPERIMENTAL")
        assert recommended["resources"][0]["mimetype"] == "text/csv"

    def test_serialize_parse_compare_round_trip(self, api, catalog_portal):
        shown = api("package_show", id=catalog_portal["full"]["id"])["result"]
        rdf = RDFSerializer(profiles=["dcat_ap_se"]).serialize_dataset(shown, _format="turtle")
        (parsed,) = self._parse(rdf)
        for field in mapping.DATASET_FIELDS:
            if field in ("uri", "identifier"):
                continue
            expected = shown.get(field)
            if field == "tags":
                expected = [{"name": t["name"]} for t in shown["tags"]]
            if field == "contact_phone":  # exported as a tel: URI, digits only
                assert parsed[field] == "+" + "".join(c for c in expected if c.isdigit())
                continue
            if field == "spatial":
                assert mapping.wkt_bbox(parsed["spatial"]) == mapping.wkt_bbox(expected) if \
                    parsed["spatial"].startswith("{") else parsed["spatial"].startswith("POLYGON"), parsed["spatial"]
                continue
            assert parsed.get(field) == expected, field
        assert parsed["uri"].endswith(shown["id"])
        by_url = {r["url"]: r for r in parsed["resources"]}
        for resource in shown["resources"]:
            got = by_url[resource["url"]]
            for field in ("name", "mimetype", "license", "availability", "status", "conforms_to", "size", "hash"):
                want = resource.get(field) or (shown["license_url"] if field == "license" else None)
                if want in (None, "", []):
                    continue
                assert str(got.get(field)) == str(want), field

    def test_parsed_round_trip_creates_the_same_dataset(self, api, catalog_portal):
        shown = api("package_show", id=catalog_portal["full"]["id"])["result"]
        rdf = RDFSerializer(profiles=["dcat_ap_se"]).serialize_dataset(shown, _format="xml")
        (parsed,) = self._parse(rdf, "xml")
        parsed.update(name="kopia", classification_confirmed=True, private=False)
        copy_ = api("package_create", token=catalog_portal["token"], owner_org=catalog_portal["kalmar"]["id"],
                    **parsed)["result"]
        for field in ("title", "title_en", "notes_en", "theme", "sdg", "language", "access_rights", "frequency",
                      "hvd_category", "temporal_start", "temporal_end", "spatial_uri", "license_id", "conforms_to"):
            assert copy_[field] == shown[field], field

    def test_malformed_rdf_is_a_clear_error(self):
        from ckanext.dcat.exceptions import RDFParserException

        with pytest.raises(RDFParserException):
            self._parse("<rdf:RDF this is not xml", "xml")


class TestValidateCatalogCommand:
    def test_good_catalog_exits_zero(self, cli, catalog_portal):
        result = cli.invoke(ckan_cli, ["kalmar", "validate-catalog"])
        assert result.exit_code == 0, result.output
        assert "No problems found" in result.output
        result = cli.invoke(ckan_cli, ["kalmar", "validate-catalog", "-o", "kalmar-kommun"])
        assert result.exit_code == 0, result.output

    def test_bad_catalog_exits_non_zero_and_says_why(self, cli, tmp_path):
        bad = tmp_path / "bad.ttl"
        bad.write_text("""
            @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <http://x.example/catalog> a dcat:Catalog ; dct:title "Katalog" ; dct:description "x"@sv ;
              dcat:dataset <http://x.example/ds> .
            <http://x.example/ds> a dcat:Dataset ; dct:title "Utan utgivare" ; dct:description "x"@sv ;
              dct:publisher [ a <http://xmlns.com/foaf/0.1/Agent> ] .
            <http://x.example/record> a dcat:CatalogRecord .
        """)
        result = cli.invoke(ckan_cli, ["kalmar", "validate-catalog", "--file", str(bad)])
        assert result.exit_code == 1
        for text in ("dcat:CatalogRecord is not allowed", "publisher has no URI", "has no language tag",
                     "licence must be http://creativecommons.org/publicdomain/zero/1.0/", "problem(s)"):
            assert text in result.output, text


def test_dataset_page_links_to_its_rdf(app, catalog_portal):
    page = app.get(f"/dataset/{catalog_portal['full']['name']}").body
    assert "Metadata enligt DCAT-AP-SE" in page
    for fmt in ("rdf", "ttl", "jsonld"):
        assert f"/dataset/{catalog_portal['full']['name']}.{fmt}" in page
    graph = graph_of(app, f"/dataset/{catalog_portal['full']['name']}.rdf")
    assert (None, RDF.type, DCAT.Dataset) in graph
    # A private dataset's RDF is not served to visitors.
    assert app.get(f"/dataset/{catalog_portal['private']['name']}.rdf").status_code in (403, 404)
