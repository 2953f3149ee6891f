"""The pieces a complete catalog is streamed from: a header, one part per dataset, a footer.

A part is one dataset's description (the triples ``dcat_ap_se`` makes for it, in a graph of its own)
written by an rdflib serializer that leaves out the document's start and end, so that parts can be
written one after the other between a header and a footer:

- **Turtle**: the header declares every namespace the profile binds (``namespaces()``), and a part uses
  prefixes of those only: each subject's statements in turn, one ``predicate object`` a line (``a`` for
  ``rdf:type``), a blank node by its label (``_:…``), any URI outside those namespaces in full
  (``_turtle_part``; rdflib's own writer first sorts and counts each graph, four times the cost);
- **RDF/XML**: ``rdf:Description`` elements as rdflib's plain RDF/XML writer makes them; a property in a
  namespace the header does not declare declares it on its own element;
- **JSON-LD**: the document is a JSON array of node objects in expanded form (valid JSON-LD); a part is
  its dataset's node objects.

Blank nodes are written with the labels rdflib gives them (random UUIDs), so two parts never share one.
The catalog's own description is the header's triples, written the same way; its ``dcat:dataset`` links,
one per dataset, follow as a description of the catalog of their own (``links``), written as text rather
than through a graph of thousands of triples. Which parts a document needs and when a part is rebuilt:
``catalog/keeping.py``.
"""
from __future__ import annotations

import functools
import io
import json
import re
from typing import IO, Any, Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph, Literal
from rdflib.namespace import DCAT, RDF, NamespaceManager
from rdflib.plugins.serializers.jsonld import from_rdf
from rdflib.plugins.serializers.rdfxml import XMLSerializer
from rdflib.plugins.serializers.xmlwriter import ESCAPE_ENTITIES
from rdflib.term import BNode, URIRef

from ckanext.kalmar_oppnadata.catalog.serializers import CatalogTurtleSerializer

FORMATS = ("rdf", "ttl", "jsonld")  # the documents' formats (``documents.FORMATS``: rdf and xml are one)
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@functools.lru_cache(maxsize=1)
def namespaces() -> tuple[tuple[str, str], ...]:
    """The namespaces a catalog declares, as (prefix, URI): rdflib's defaults with the ones the profiles
    bind (ckanext-dcat's table, which ``dcat_ap_se`` binds too)."""
    from ckanext.dcat.profiles.base import namespaces as profile_namespaces

    graph = Graph()
    for prefix, uri in profile_namespaces.items():
        graph.bind(prefix, uri)
    bound = {prefix: str(uri) for prefix, uri in graph.namespaces() if prefix and prefix != "xml"}
    bound.setdefault("rdf", RDF_NS)
    return tuple(sorted(bound.items()))


class PartGraph(Graph):
    """A graph whose prefixes are ``namespaces()`` and stay so: the profiles' own ``bind`` calls (dozens
    per dataset) change nothing, so a part never uses a prefix the document's header does not declare, and
    the profiles can write a dataset's triples into it directly."""

    def bind(self, prefix: Any, namespace: Any, override: bool = True, replace: bool = False) -> None:
        pass


def new_graph() -> Graph:
    """An empty graph binding exactly ``namespaces()``, so that every part uses the same prefixes."""
    graph = PartGraph(bind_namespaces="none")
    manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, uri in namespaces():
        manager.bind(prefix, URIRef(uri), override=True, replace=True)
    graph.namespace_manager = manager
    return graph


# ------------------------------------------------------------------------------------------ Turtle
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a local name every Turtle parser takes as it is


@functools.lru_cache(maxsize=1)
def _prefix_of() -> dict[str, str]:
    return {uri: prefix for prefix, uri in namespaces()}


@functools.lru_cache(maxsize=2048)
def _turtle_name(uri: URIRef) -> str:
    """A predicate or class (a few hundred, written over and over): ``prefix:local`` if it can be."""
    cut = max(uri.rfind("#"), uri.rfind("/")) + 1
    prefix = _prefix_of().get(uri[:cut])
    return f"{prefix}:{uri[cut:]}" if prefix and _LOCAL_NAME.fullmatch(uri[cut:]) else uri.n3()


def _turtle_term(node: Any) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return node.n3()  # a literal with its language or datatype; a URI in full (rdflib checks it)


def _turtle_part(graph: Graph) -> str:
    out = []
    for subject in graph.subjects(unique=True):
        lines = [f"    a {_turtle_name(o) if type(o) is URIRef else _turtle_term(o)}" if p == RDF.type
                 else f"    {_turtle_name(p)} {_turtle_term(o)}" for p, o in graph.predicate_objects(subject)]
        out.append(f"{_turtle_term(subject)}\n" + " ;\n".join(lines) + " .\n\n")
    return "".join(out)


def _turtle_header(graph: Graph) -> str:
    stream = io.BytesIO()
    writer = CatalogTurtleSerializer(graph)
    writer.reset()
    writer.stream = stream
    for prefix, uri in namespaces():
        writer.addNamespace(prefix, URIRef(uri))
    writer.startDocument()  # the prefix declarations
    return stream.getvalue().decode("utf-8") + "\n" + _turtle_part(graph)


# ------------------------------------------------------------------------------------------ RDF/XML
class _XMLBody(XMLSerializer):
    """``rdf:Description`` elements only: the header opens ``rdf:RDF`` with the namespaces declared."""

    def serialize(self, stream: IO[bytes], base: str | None = None, encoding: str | None = None,
                  **kwargs: Any) -> None:
        self._XMLSerializer__serialized = {}
        self._declared = {uri: prefix for prefix, uri in namespaces()}
        self.write = lambda text: stream.write(text.encode("utf-8"))
        for subject in self.store.subjects(unique=True):
            self.subject(subject, 1)

    def predicate(self, predicate: URIRef, object: Any, depth: int = 1) -> None:
        _, namespace, name = self.store.namespace_manager.compute_qname_strict(predicate)
        prefix = self._declared.get(str(namespace))
        qname, declare = (f"{prefix}:{name}", "") if prefix else (f"p:{name}", f" xmlns:p={quoteattr(namespace)}")
        indent = "  " * depth
        if isinstance(object, Literal):
            attributes = f' xml:lang="{object.language}"' if object.language else ""
            if object.datatype:
                attributes += f" rdf:datatype={quoteattr(object.datatype)}"
            self.write(f"{indent}<{qname}{declare}{attributes}>{escape(object, ESCAPE_ENTITIES)}</{qname}>\n")
        elif isinstance(object, BNode):
            self.write(f'{indent}<{qname}{declare} rdf:nodeID="{object}"/>\n')
        else:
            self.write(f"{indent}<{qname}{declare} rdf:resource={quoteattr(self.relativize(object))}/>\n")


def _xml_part(graph: Graph) -> str:
    stream = io.BytesIO()
    _XMLBody(graph).serialize(stream)
    return stream.getvalue().decode("utf-8")


def _xml_header(graph: Graph) -> str:
    declarations = "".join(f"\n   xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in namespaces())
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{declarations}\n>\n' + _xml_part(graph)


# ------------------------------------------------------------------------------------------ JSON-LD
def _jsonld_nodes(graph: Graph) -> list[str]:
    return [json.dumps(node, ensure_ascii=False, sort_keys=True) for node in from_rdf(graph)]


def _jsonld_part(graph: Graph) -> str:
    return "".join(f",\n{node}" for node in _jsonld_nodes(graph))  # each node follows one before it


def _jsonld_header(graph: Graph) -> str:
    nodes = _jsonld_nodes(graph)
    if not nodes:
        raise ValueError("a catalog's header has at least the catalog's own node")
    return "[\n" + ",\n".join(nodes)


# ------------------------------------------------------------------------------------------ the links
def _turtle_links(catalog: str, datasets: list[str]) -> str:
    objects = ",\n        ".join(URIRef(uri).n3() for uri in datasets)
    return f"{URIRef(catalog).n3()}\n    {_turtle_name(DCAT.dataset)} {objects} .\n\n"


def _xml_links(catalog: str, datasets: list[str]) -> str:
    name = f"{_prefix_of()[str(DCAT)]}:dataset"
    links = "".join(f"    <{name} rdf:resource={quoteattr(uri)}/>\n" for uri in datasets)
    return f"  <rdf:Description rdf:about={quoteattr(catalog)}>\n{links}  </rdf:Description>\n"


def _jsonld_links(catalog: str, datasets: list[str]) -> str:
    node = {"@id": catalog, str(DCAT.dataset): [{"@id": uri} for uri in datasets]}
    return ",\n" + json.dumps(node, ensure_ascii=False)


LINKS: dict[str, Callable[[str, list[str]], str]] = {"ttl": _turtle_links, "rdf": _xml_links, "jsonld": _jsonld_links}


def links(fmt: str, catalog: str, datasets: list[str]) -> str:
    """The catalog's ``dcat:dataset`` link to each of ``datasets`` (URIs), in ``fmt``."""
    return LINKS[fmt](catalog, datasets) if datasets else ""


WRITERS: dict[str, tuple[Callable[[Graph], str], Callable[[Graph], str], str]] = {
    # format → (header with the catalog's triples, one dataset's part, footer)
    "ttl": (_turtle_header, _turtle_part, ""),
    "rdf": (_xml_header, _xml_part, "</rdf:RDF>\n"),
    "jsonld": (_jsonld_header, _jsonld_part, "\n]\n"),
}


def header(fmt: str, graph: Graph) -> str:
    return WRITERS[fmt][0](graph)


def part(fmt: str, graph: Graph) -> str:
    return WRITERS[fmt][1](graph)


def footer(fmt: str) -> str:
    return WRITERS[fmt][2]


def write_document(fmt: str, catalog_graph: Graph, catalog: str, datasets: list[str], parts: Iterable[bytes],
                   out: IO[str]) -> None:
    """Header (the catalog's description, then its links to ``datasets``), the parts (UTF-8) in turn,
    footer: one document, never whole in memory. The parts go to a file's bytes as they were read."""
    out.write(header(fmt, catalog_graph))
    out.write(links(fmt, catalog, datasets))
    raw = getattr(out, "buffer", None)
    if raw is None:
        for data in parts:
            out.write(data.decode("utf-8"))
    else:
        out.flush()
        for data in parts:
            raw.write(data)
    out.write(footer(fmt))
