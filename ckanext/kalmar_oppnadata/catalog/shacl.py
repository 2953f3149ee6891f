"""Is a catalog harvestable by Sveriges dataportal? Three checks, all returning plain-language findings.

1. SHACL: the EU DCAT-AP 3.0.1 shapes and range shapes plus DIGG's Swedish additions, dropping the
   results DIGG's overrides list and class results on vocabulary URIs (the EU tables are not loaded).
2. The Swedish rules the shapes do not express (shared/reference/dcat-ap-se.md): publisher URIs of the
   form http://dataportal.se/organisation/SE<orgnr>, no blank nodes for catalog, dataset, distribution,
   publisher or contact point, absolute IRIs, language tags on free text, exact Creative Commons URIs,
   no dcat:CatalogRecord, a CC0 catalog licence, publisher and contact point never sharing a URI.
3. High-value datasets: SEMIC's DCAT-AP HVD 3.0.0 shapes on the part of the catalog that is in HVD scope
   (the datasets whose applicable legislation is regulation 2023/138, and everything they link to: the
   shapes target every dataset, distribution and data service, so they cannot be run on a mixed catalog).
   Run with RDFS inference, as SEMIC's class constraints on plain IRIs (``rdfs:Resource``) need; the
   vocabulary values are typed in the catalog itself (catalog/hvd.py).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import re
from importlib import resources
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from ckanext.dcat.profiles import DCAT, DCATAP, DCT, FOAF, VCARD

from ckanext.kalmar_oppnadata.registers import identifiers
from ckanext.kalmar_oppnadata.registers.vocabularies import HVD_LEGISLATION

SHAPE_FILES = ("dcat-ap-3.0.1-shapes.ttl", "dcat-ap-3.0.1-range.ttl", "dcat-ap-se-additions.ttl")
HVD_SHAPE_FILE = "dcat-ap-hvd-3.0.0-shapes.ttl"
CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
_CC_URI = re.compile(r"^http://creativecommons\.org/(licenses/[a-z\-]+/\d\.\d|publicdomain/zero/1\.0)/$")
_PUBLISHER_URI = re.compile(r"^http://dataportal\.se/organisation/SE(\d{10})$")
FREE_TEXT = (DCT.title, DCT.description, DCAT.keyword)
NAMED_CLASSES = {DCAT.Catalog: "catalog", DCAT.Dataset: "dataset", DCAT.Distribution: "distribution"}
# Classes of controlled-vocabulary concepts: a class constraint on them can only hold if the EU
# tables are loaded into the graph, which a catalog does not do.
VOCABULARY_CLASSES = {
    SKOS.Concept, SKOS.ConceptScheme, DCT.LinguisticSystem, DCT.Frequency, DCT.MediaType,
    DCT.MediaTypeOrExtent, DCT.LicenseDocument, DCT.RightsStatement, DCT.Location, DCT.Standard,
    URIRef("http://data.europa.eu/eli/ontology#LegalResource"),
}


@dataclasses.dataclass(frozen=True)
class Finding:
    rule: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.focus}: {self.message}"


def _shacl_dir():
    return resources.files("ckanext.kalmar_oppnadata.catalog").joinpath("shapes")


@functools.cache
def _shapes() -> Graph:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(data=_shacl_dir().joinpath(name).read_text("utf-8"), format="turtle")
    return graph


@functools.cache
def _overrides() -> frozenset[tuple[str, str]]:
    data = json.loads(_shacl_dir().joinpath("dcat-ap-se-overrides.json").read_text("utf-8"))
    return frozenset((o["path"], c) for o in data["overrides"] for c in o["ignoreConstraints"])


def shacl_findings(graph: Graph) -> list[Finding]:
    import pyshacl

    shapes = _shapes()
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path = report.value(result, SH.resultPath)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        if (str(path), component) in _overrides():
            continue
        if component == "ClassConstraintComponent":
            shape = report.value(result, SH.sourceShape)
            if shapes.value(shape, SH["class"]) in VOCABULARY_CLASSES:
                continue
        message = report.value(result, SH.resultMessage)
        findings.append(Finding(
            "SHACL", str(report.value(result, SH.focusNode)),
            f"{path.n3() if path is not None else ''} {component}: {message} "
            f"(value: {report.value(result, SH.value)})"))
    return sorted(findings, key=lambda f: (f.focus, f.message))


def swedish_findings(graph: Graph) -> list[Finding]:
    findings: list[Finding] = []
    add = lambda rule, focus, message: findings.append(Finding(rule, str(focus), message))  # noqa: E731

    for cls, name in NAMED_CLASSES.items():
        for node in graph.subjects(RDF.type, cls):
            if isinstance(node, BNode):
                add("blank node", node, f"the {name} has no URI (blank node)")
    for record in graph.subjects(RDF.type, DCAT.CatalogRecord):
        add("CatalogRecord", record, "dcat:CatalogRecord is not allowed in DCAT-AP-SE")

    publishers = set(graph.objects(None, DCT.publisher))
    contacts = set(graph.objects(None, DCAT.contactPoint))
    for publisher in publishers:
        if isinstance(publisher, BNode):
            add("blank node", publisher, "the publisher has no URI (blank node)")
            continue
        names = [n for n in graph.objects(publisher, FOAF.name)]
        if not names:
            add("publisher", publisher, "the publisher has no foaf:name")
        if len({(n.language, str(n)) for n in names if isinstance(n, Literal)}) > len({n.language for n in names}):
            add("publisher", publisher, "the publisher is described more than once with different names")
        if (publisher, DCT.type, None) not in graph:
            add("publisher", publisher, "the publisher has no dcterms:type (ADMS publisher type)")
        match = _PUBLISHER_URI.match(str(publisher))
        identifier = graph.value(publisher, DCT.identifier)
        if identifier is not None:
            try:
                digits = identifiers.orgnr_digits(str(identifier))
            except identifiers.InvalidIdentifier:
                add("publisher", publisher, f"the organisation number {identifier} is not valid")
                continue
            if not match or match.group(1) != digits:
                add("publisher URI", publisher,
                    f"with organisation number {identifier} the publisher URI must be "
                    f"http://dataportal.se/organisation/SE{digits}")
        elif "dataportal.se/organisation" in str(publisher) and not match:
            add("publisher URI", publisher, "malformed dataportal.se publisher URI")
    for contact in contacts:
        if isinstance(contact, BNode):
            add("blank node", contact, "the contact point has no URI (blank node)")
        if contact in publishers:
            add("contact point", contact, "the contact point uses the publisher's URI")
        if (contact, RDF.type, VCARD.Kind) in graph and not (
                (contact, RDF.type, VCARD.Organization) in graph or (contact, RDF.type, VCARD.Individual) in graph):
            add("contact point", contact, "the contact point must be vcard:Organization or vcard:Individual")
        if (contact, VCARD.hasEmail, None) not in graph:
            add("contact point", contact, "the contact point has no e-mail (vcard:hasEmail mailto:)")

    for subject, predicate, obj in graph:
        for term in (subject, obj):
            if isinstance(term, URIRef):
                parts = urlsplit(str(term))
                if not parts.scheme or (parts.scheme in ("http", "https") and not parts.netloc) \
                        or any(c.isspace() for c in str(term)):
                    add("IRI", term, "not an absolute, encoded IRI")
        if predicate in FREE_TEXT and isinstance(obj, Literal) and not obj.language:
            add("language tag", subject, f"{predicate.n3(graph.namespace_manager)} \"{obj[:40]}\" has no language tag")
        if predicate == DCT.license and "creativecommons.org" in str(obj) and not _CC_URI.match(str(obj)):
            add("licence URI", subject, f"Creative Commons URI must be written exactly like "
                                        f"http://creativecommons.org/licenses/by/4.0/ (got {obj})")

    for catalog in graph.subjects(RDF.type, DCAT.Catalog):
        if (catalog, DCT.license, CC0) not in graph:
            add("catalog licence", catalog, f"the catalog's licence must be {CC0}")
        for predicate, label in ((DCT.title, "title"), (DCT.description, "description"),
                                 (DCT.publisher, "publisher")):
            if (catalog, predicate, None) not in graph:
                add("mandatory", catalog, f"the catalog has no {label}")
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        for predicate, label in ((DCT.title, "title"), (DCT.description, "description"),
                                 (DCT.publisher, "publisher")):
            if (dataset, predicate, None) not in graph:
                add("mandatory", dataset, f"the dataset has no {label}")
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        if (distribution, DCAT.accessURL, None) not in graph:
            add("mandatory", distribution, "the distribution has no dcat:accessURL")
        if (distribution, DCT["format"], None) not in graph:
            add("mandatory", distribution, "the distribution has no dcterms:format (IANA media type)")
    return sorted(set(findings), key=lambda f: (f.rule, f.focus, f.message))


@functools.cache
def _hvd_shapes() -> Graph:
    return Graph().parse(data=_shacl_dir().joinpath(HVD_SHAPE_FILE).read_text("utf-8"), format="turtle")


def hvd_datasets(graph: Graph) -> list[URIRef]:
    """The datasets in HVD scope: applicable legislation is regulation 2023/138."""
    return sorted(d for d in graph.subjects(DCATAP.applicableLegislation, URIRef(HVD_LEGISLATION))
                  if (d, RDF.type, DCAT.Dataset) in graph)


def hvd_subgraph(graph: Graph) -> Graph:
    """The HVD datasets and every node they lead to (distributions, data services, contact points, values),
    stopping at other datasets and catalogs, which are not in HVD scope."""
    scope = set(hvd_datasets(graph))
    outside = {n for cls in (DCAT.Dataset, DCAT.Catalog) for n in graph.subjects(RDF.type, cls)} - scope
    sub = Graph()
    seen: set = set()
    todo = list(scope)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, obj in graph.predicate_objects(node):
            sub.add((node, predicate, obj))
            if isinstance(obj, (URIRef, BNode)) and obj not in outside and predicate != RDF.type:
                todo.append(obj)
    return sub


def hvd_findings(graph: Graph) -> list[Finding]:
    """SEMIC's DCAT-AP HVD shapes on the catalog's HVD part (none: nothing to check)."""
    import pyshacl

    sub = hvd_subgraph(graph)
    if not len(sub):
        return []
    _, report, _ = pyshacl.validate(sub, shacl_graph=_hvd_shapes(), inference="rdfs", allow_warnings=True)
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path = report.value(result, SH.resultPath)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        findings.append(Finding(
            "HVD", str(report.value(result, SH.focusNode)),
            f"{path.n3() if path is not None else ''} {component}: {report.value(result, SH.resultMessage)} "
            f"(value: {report.value(result, SH.value)})"))
    return sorted(set(findings), key=lambda f: (f.focus, f.message))


def validate(graph: Graph) -> list[Finding]:
    return shacl_findings(graph) + swedish_findings(graph) + hvd_findings(graph)
