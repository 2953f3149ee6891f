"""Turtle for whole catalogs, in time proportional to the catalog.

rdflib's Turtle writer asks, for every URI it writes, whether a prefix can shorten it
(``NamespaceManager.compute_qname``). For a URI in no bound namespace that look-up fails, is not
remembered, and first adds the URI's own namespace to the list every later look-up scans. A catalog has
such namespaces per dataset (each dataset's contact point ``…/dataset/<id>#``, each distribution's file
address), so the list grows with the catalog and the whole serialization with its square
(bench/findings.md). This writer looks up a prefix only for URIs in a namespace the graph has bound;
every other URI is written in full (``<…>``), as rdflib writes it when the look-up fails. The output
is the same Turtle, and parses to the same graph.
"""
from __future__ import annotations

from typing import Any, Optional

from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node, URIRef

FORMAT = "kalmar-turtle"


class CatalogTurtleSerializer(TurtleSerializer):
    def serialize(self, stream: Any, base: Optional[str] = None, encoding: Optional[str] = None,
                  spacious: Optional[bool] = None, **kwargs: Any) -> None:
        self._bound = tuple(str(namespace) for _, namespace in self.store.namespaces())
        super().serialize(stream, base=base, encoding=encoding, spacious=spacious, **kwargs)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> Optional[str]:
        # str(): rdflib's URIRef.startswith does not take a tuple (it answered False, so no prefix was used)
        if isinstance(uri, URIRef) and not str(uri).startswith(self._bound):
            return None
        return super().get_pname(uri, gen_prefix=False)


def register() -> None:
    from rdflib import plugin
    from rdflib.serializer import Serializer

    plugin.register(FORMAT, Serializer, __name__, "CatalogTurtleSerializer")
