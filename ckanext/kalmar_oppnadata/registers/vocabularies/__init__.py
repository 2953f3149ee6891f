"""Controlled vocabularies shipped as SKOS Turtle files in this folder, read with rdflib.

Every vocabulary is read the same way: a concept's ``code`` is its ``skos:notation`` (the EU table
code such as ``ENVI``, or the goal number), its ``uri`` the concept IRI, its labels the
``skos:prefLabel``s by language, its order ``schema:position``. Files are parsed once per process.

Values are stored as the concept URI (EU tables) or the code (Agenda 2030 goals, see ``STORE_CODE``);
``normalize`` accepts either form, and for the goals also the UN URI.
"""
from __future__ import annotations

import dataclasses
import functools
from importlib import resources
from typing import Any, Iterable

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS, Namespace

SCHEMA = Namespace("http://schema.org/")

NAMES = (
    "data-theme",
    "access-right",
    "frequency",
    "language",
    "planned-availability",
    "distribution-status",
    "hvd-category",
    "sdg",
)
# Vocabularies whose stored value is the code rather than the URI.
STORE_CODE = {"sdg"}
# Relative concept IRIs (our own schemes) resolve against this base. The portal's address is not known
# at import time and these IRIs are only used inside the portal (exports use the UN URIs), so the base
# is in the reserved .invalid domain (RFC 2606): it can never be mistaken for a real identifier.
OWN_BASE = "https://vocabulary.invalid/kalmar-oppnadata/"
# The one value of applicable legislation a dataset of this portal can have: the ELI of implementing
# regulation (EU) 2023/138 on high-value datasets, set when a dataset has an HVD category
# (shared/reference/dataportal-api-hvd.md, c1: the only choice DCAT-AP-SE 3.0.1 offers).
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"


class UnknownValue(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class Concept:
    uri: str
    code: str
    position: int
    labels: dict[str, str]
    exact_match: tuple[str, ...] = ()
    colour: str | None = None
    category: str | None = None

    def label(self, lang: str = "sv") -> str:
        return self.labels.get(lang) or self.labels.get("sv") or self.labels.get("en") or self.code

    @property
    def text_colour(self) -> str | None:
        """Black or white, whichever contrasts more with ``colour`` (WCAG relative luminance);
        for the 17 UN goal colours that is always at least 4.5:1."""
        if not self.colour:
            return None
        channels = [int(self.colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    name: str
    scheme: str
    labels: dict[str, str]
    concepts: tuple[Concept, ...]

    @functools.cached_property
    def _index(self) -> dict[str, Concept]:
        index: dict[str, Concept] = {}
        for c in self.concepts:
            for key in (c.code, c.code.lower(), c.uri, *c.exact_match):
                index.setdefault(key, c)
        return index

    def get(self, value: Any) -> Concept | None:
        text = str(value).strip()
        return self._index.get(text) or self._index.get(text.lower()) or self._index.get(text.rstrip("/"))

    def normalize(self, value: Any) -> str:
        """The stored form (URI or code) of a code, URI or matching URI; UnknownValue if none."""
        concept = self.get(value)
        if concept is None:
            raise UnknownValue(str(value))
        return concept.code if self.name in STORE_CODE else concept.uri

    def stored(self, concept: Concept) -> str:
        return concept.code if self.name in STORE_CODE else concept.uri

    def label(self, value: Any, lang: str = "sv") -> str:
        concept = self.get(value)
        return concept.label(lang) if concept else str(value)


def _literals(graph: Graph, subject, predicate) -> dict[str, str]:
    return {o.language or "": str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def register_text(name: str) -> str:
    """The vocabulary's register file (SKOS Turtle) as shipped."""
    if name not in NAMES:
        raise KeyError(f"unknown vocabulary {name!r}")
    return resources.files(__name__).joinpath(f"{name}.ttl").read_text("utf-8")


@functools.cache
def get(name: str) -> Vocabulary:
    text = register_text(name)
    graph = Graph()
    graph.parse(data=text, format="turtle", publicID=f"{OWN_BASE}{name}/")
    scheme = next(graph.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = []
    for uri in graph.subjects(RDF.type, SKOS.Concept):
        position = graph.value(uri, SCHEMA.position)
        colour = graph.value(uri, SCHEMA.color)
        category = graph.value(uri, SCHEMA.category)
        concepts.append(
            Concept(
                uri=str(uri),
                code=str(graph.value(uri, SKOS.notation)),
                position=int(position) if position is not None else 0,
                labels=_literals(graph, uri, SKOS.prefLabel),
                exact_match=tuple(sorted(str(m) for m in graph.objects(uri, SKOS.exactMatch)
                                         if isinstance(m, URIRef))),
                colour=str(colour) if colour is not None else None,
                category=str(category) if category is not None else None,
            )
        )
    concepts.sort(key=lambda c: (c.position, c.code))
    return Vocabulary(name, str(scheme), _literals(graph, scheme, SKOS.prefLabel), tuple(concepts))


def normalize_many(name: str, values: Iterable[Any]) -> list[str]:
    """Normalize several values, keeping the vocabulary's order and dropping duplicates."""
    vocab = get(name)
    wanted = {vocab.normalize(v) for v in values}
    return [vocab.stored(c) for c in vocab.concepts if vocab.stored(c) in wanted]
