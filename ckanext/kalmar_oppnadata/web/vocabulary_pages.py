"""The controlled vocabularies at stable addresses (registers/vocabularies/skos.py says whose IRIs are whose):

- ``/vokabular``: the list of vocabularies;
- ``/vokabular/<name>``: a page (Swedish; English under ``/en/``), or SKOS for a client that asks for Turtle,
  RDF/XML or JSON-LD in its ``Accept`` header; ``/vokabular/<name>.ttl`` (``.rdf``, ``.jsonld``) by name;
- ``/vokabular/<name>/<code>``: a concept of the portal's own scheme (a goal): SKOS, or the page at the
  concept (303), as its IRI promises.
"""
from __future__ import annotations

from flask import Blueprint, make_response, redirect

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language
from ckanext.kalmar_oppnadata.registers import vocabularies
from ckanext.kalmar_oppnadata.registers.vocabularies import skos

__all__ = ["vocabulary_pages"]

vocabulary_pages = Blueprint("kalmar_vocabularies", __name__)


def _known(name: str) -> str:
    if name not in vocabularies.NAMES:
        tk.abort(404, tk._("There is no vocabulary {name}").format(name=name[:40]))
    return name


def _negotiated() -> str | None:
    return skos.MEDIA_TYPES.get(tk.request.accept_mimetypes.best_match(["text/html", *skos.MEDIA_TYPES]))


def _rdf_response(graph, fmt: str):
    body, media_type = skos.serialize(graph, fmt)
    response = make_response(body)
    response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"  # public reference data
    return response


def _summary(name: str, lang: str) -> dict:
    vocabulary = vocabularies.get(name)
    return {"name": name, "title": vocabulary.labels.get(lang) or vocabulary.labels.get("sv") or name,
            "own": skos.is_own(name), "scheme": skos.scheme_uri(name), "count": len(vocabulary.concepts),
            "address": skos.address(name)}


@vocabulary_pages.route("/vokabular", endpoint="index")
def index():
    lang = current_language()
    return tk.render("vocabularies/index.html", {"vocabularies": [_summary(n, lang) for n in vocabularies.NAMES]})


@vocabulary_pages.route("/vokabular/<name>", endpoint="vocabulary", strict_slashes=False)
def vocabulary(name: str):
    """The vocabulary's page, or its SKOS for an RDF client."""
    name = _known(name)
    fmt = _negotiated()
    if fmt:
        return _rdf_response(skos.graph(name), fmt)
    lang = current_language()
    concepts = [{"code": c.code, "label": c.label(lang), "other_label": c.label("en" if lang == "sv" else "sv"),
                 "uri": skos.concept_uri(name, c), "exact_match": list(c.exact_match), "colour": c.colour}
                for c in vocabularies.get(name).concepts]
    response = make_response(tk.render("vocabularies/vocabulary.html", {
        "vocabulary": _summary(name, lang), "concepts": concepts,
        "downloads": {fmt: tk.url_for("kalmar_vocabularies.document", name=name, _format=fmt, _external=True,
                                      locale="default") for fmt in skos.FORMATS}}))
    response.vary.add("Accept")
    return response


@vocabulary_pages.route("/vokabular/<name>.<_format>", endpoint="document")
def document(name: str, _format: str):
    """The vocabulary's SKOS by name: .ttl, .rdf or .jsonld."""
    name = _known(name)
    if _format not in skos.FORMATS:
        tk.abort(404, tk._("Unknown format"))
    return _rdf_response(skos.graph(name), _format)


@vocabulary_pages.route("/vokabular/<name>/<code>", endpoint="concept")
def concept(name: str, code: str):
    """A concept of the portal's own scheme at its IRI: SKOS for an RDF client, else the vocabulary's page
    at the concept."""
    name = _known(name)
    graph = skos.concept_graph(name, code)
    if graph is None:
        tk.abort(404, tk._("There is no concept {code} in this vocabulary").format(code=code[:40]))
    fmt = _negotiated()
    if fmt:
        return _rdf_response(graph, fmt)
    response = redirect(tk.url_for("kalmar_vocabularies.vocabulary", name=name) + f"#{code}", code=303)
    response.vary.add("Accept")
    return response
