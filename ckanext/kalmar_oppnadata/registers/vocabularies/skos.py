"""The controlled vocabularies as linked data: each register file served as SKOS at a stable address of the
portal, ``/vokabular/<name>`` (web/vocabulary_pages.py).

Whose URIs are whose:

- **The portal's own schemes** (the 17 goals, ``sdg.ttl``): the register writes their IRIs relative to the
  file, so they are resolved against the vocabulary's address here: the scheme is
  ``<site>/vokabular/sdg/`` and goal 6 ``<site>/vokabular/sdg/6``, and both resolve (HTML or SKOS). These
  concepts are the portal's (Swedish names, UN colours, the study's grouping); each says ``skos:exactMatch``
  the UN's own URI (``http://metadata.un.org/sdg/6``), which is what the catalog uses.
- **The EU's tables** (data themes, access rights, frequencies, languages, planned availability,
  distribution status: the Publications Office; HVD categories: data.europa.eu): their IRIs belong to the
  EU. The portal serves the part of each table it uses, with the labels it shows, under its own address;
  the page lists each concept with a link to its official IRI, and the SKOS keeps the EU's IRIs unchanged.
  The portal never describes them as its own (no scheme of its own is made up for them).
"""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.registers import vocabularies

# Format → (rdflib serializer, media type); media type → format for content negotiation.
FORMATS = {"ttl": ("turtle", "text/turtle"), "rdf": ("xml", "application/rdf+xml"),
           "jsonld": ("json-ld", "application/ld+json")}
MEDIA_TYPES = {media_type: fmt for fmt, (_, media_type) in FORMATS.items()}


def is_own(name: str) -> bool:
    """Is the scheme the portal's own (IRIs relative in the register) rather than the EU's?"""
    return vocabularies.get(name).scheme.startswith(vocabularies.OWN_BASE)


def address(name: str) -> str:
    """The vocabulary's stable address (without a language prefix): its page and its SKOS."""
    return tk.url_for("kalmar_vocabularies.vocabulary", name=name, _external=True, locale="default")


def scheme_uri(name: str) -> str:
    """The scheme's IRI as served: the portal's own resolved at its address, the EU's unchanged."""
    return address(name) + "/" if is_own(name) else vocabularies.get(name).scheme


def concept_uri(name: str, concept: vocabularies.Concept) -> str:
    return scheme_uri(name) + concept.code if is_own(name) else concept.uri


def graph(name: str) -> Graph:
    """The register file as SKOS, the portal's own IRIs resolved at the vocabulary's address."""
    text = vocabularies.register_text(name)
    base = scheme_uri(name) if is_own(name) else f"{vocabularies.OWN_BASE}{name}/"
    result = Graph()
    result.bind("skos", SKOS)
    return result.parse(data=text, format="turtle", publicID=base)


def concept_graph(name: str, code: str) -> Graph | None:
    """One concept of the portal's own scheme: what the register says of it (None if there is none)."""
    vocabulary = vocabularies.get(name)
    concept = vocabulary.get(code)
    if not is_own(name) or concept is None or concept.code != code:
        return None
    whole = graph(name)
    subject = URIRef(concept_uri(name, concept))
    result = Graph()
    for prefix, namespace in whole.namespaces():
        result.bind(prefix, namespace)
    for predicate, obj in whole.predicate_objects(subject):
        result.add((subject, predicate, obj))
    return result


def serialize(data: Graph, fmt: str) -> tuple[str, str]:
    rdf_format, media_type = FORMATS[fmt]
    return data.serialize(format=rdf_format), media_type
