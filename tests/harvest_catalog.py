"""A generated DCAT-AP-SE catalog of municipal datasets, as a municipality's own portal would publish it,
for the harvesting tests. Built as an rdflib graph; ``expected`` says what each dataset must become here."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

ORIGIN = "https://oppnadata.kalmar.example"
EU = "http://publications.europa.eu/resource/authority"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
KALMAR_GEONAMES = "http://sws.geonames.org/2702260"
THEMES = ["ENVI", "TRAN", "EDUC", "HEAL", "GOVE", "SOCI", "ECON", "ENER"]
FREQUENCIES = ["ANNUAL", "MONTHLY", "QUARTERLY", "IRREG"]
GOALS = ["3", "4", "6", "7", "11", "13", "15", "16"]
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


@dataclass
class Municipal:
    """One dataset of the source catalog; ``version`` changes its text (an edit at the source); ``files=False``
    gives it no distribution."""
    number: int
    version: int = 1
    valid: bool = True
    files: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uri(self) -> str:
        return f"{ORIGIN}/dataset/{self.number:03d}"

    @property
    def title(self) -> str:
        return f"Kommunal datamängd {self.number}" + (f" (utgåva {self.version})" if self.version > 1 else "")

    def expected(self) -> dict[str, Any]:
        """The dataset as the portal must show it after harvesting (package_show fields)."""
        n = self.number
        return {
            "uri": self.uri, "identifier": f"kalmar-{n:03d}", "title": self.title,
            "title_en": f"Municipal dataset {n}",
            "notes": f"Beskrivning av datamängd {n}, version {self.version}.",
            "tags": sorted([f"nyckelord{n}", "kalmar"] + (["uppdaterad"] if self.version > 1 else [])),
            "theme": [f"{EU}/data-theme/{THEMES[n % len(THEMES)]}"],
            "sdg": [GOALS[n % len(GOALS)]],
            "frequency": f"{EU}/frequency/{FREQUENCIES[n % len(FREQUENCIES)]}",
            "access_rights": f"{EU}/access-right/PUBLIC", "language": [f"{EU}/language/SWE"],
            "contact_name": "Kalmar kommun, öppna data", "contact_email": "oppnadata@kalmar.example",
            "spatial_uri": KALMAR_GEONAMES, "temporal_start": f"{2000 + n % 20}-01-01",
            "temporal_end": f"{2001 + n % 20}-12-31", "issued": "2024-03-01", "url": f"{ORIGIN}/sida/{n:03d}",
            "resources": [{"uri": f"{self.uri}/distribution/{k}", "name": f"Fil {k} av datamängd {n}",
                           "url": f"{ORIGIN}/filer/{n:03d}-{k}.csv", "mimetype": "text/csv", "license": CC0}
                          for k in range(1, 2 + n % 3 + 1) if self.files],
        }


def catalog(datasets: list[Municipal], fmt: str = "turtle") -> str:
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.bind("vcard", VCARD)
    cat = URIRef(f"{ORIGIN}/katalog")
    publisher = URIRef("http://dataportal.se/organisation/SE2120000746")
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal("Kalmar kommuns öppna data", lang="sv")))
    g.add((cat, DCTERMS.description, Literal("Kommunens egen katalog.", lang="sv")))
    g.add((cat, DCTERMS.publisher, publisher))
    g.add((cat, DCTERMS.license, URIRef(CC0)))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("Kalmar kommun", lang="sv")))
    contact = URIRef(f"{ORIGIN}/kontakt")
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("Kalmar kommun, öppna data")))
    g.add((contact, VCARD.hasEmail, URIRef("mailto:oppnadata@kalmar.example")))
    for item in datasets:
        want = item.expected()
        ref = URIRef(item.uri)
        g.add((cat, DCAT.dataset, ref))
        g.add((ref, RDF.type, DCAT.Dataset))
        g.add((ref, DCTERMS.identifier, Literal(want["identifier"])))
        g.add((ref, DCTERMS.title, Literal(want["title"], lang="sv")))
        g.add((ref, DCTERMS.title, Literal(want["title_en"], lang="en")))
        if item.valid:
            g.add((ref, DCTERMS.description, Literal(want["notes"], lang="sv")))
        for keyword in want["tags"]:
            g.add((ref, DCAT.keyword, Literal(keyword, lang="sv")))
        g.add((ref, DCAT.theme, URIRef(want["theme"][0])))
        g.add((ref, DCTERMS.subject, URIRef(f"http://metadata.un.org/sdg/{want['sdg'][0]}")))
        g.add((ref, DCTERMS.accrualPeriodicity, URIRef(want["frequency"])))
        g.add((ref, DCTERMS.accessRights, URIRef(want["access_rights"])))
        g.add((ref, DCTERMS.language, URIRef(want["language"][0])))
        g.add((ref, DCTERMS.publisher, publisher))
        g.add((ref, DCAT.contactPoint, contact))
        g.add((ref, DCTERMS.spatial, URIRef(want["spatial_uri"])))
        period = BNode()
        g.add((ref, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(want["temporal_start"], datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(want["temporal_end"], datatype=XSD.date)))
        g.add((ref, DCTERMS.issued, Literal(want["issued"], datatype=XSD.date)))
        g.add((ref, DCAT.landingPage, URIRef(want["url"])))
        for resource in want["resources"]:
            dist = URIRef(resource["uri"])
            g.add((ref, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(resource["name"], lang="sv")))
            g.add((dist, DCAT.accessURL, URIRef(resource["url"])))
            g.add((dist, DCAT.downloadURL, URIRef(resource["url"])))
            g.add((dist, DCTERMS.format, Literal("text/csv")))
            g.add((dist, DCAT.mediaType, URIRef("http://www.iana.org/assignments/media-types/text/csv")))
            g.add((dist, DCTERMS.license, URIRef(CC0)))
    return g.serialize(format=fmt)
