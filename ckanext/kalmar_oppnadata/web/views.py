"""Web pages and documents the extension adds (registered with ``toolkit.blanket.blueprints``)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, make_response, redirect, send_file

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import descriptions, documents
from ckanext.kalmar_oppnadata.common import current_language
from ckanext.kalmar_oppnadata.data_requests.views import data_request_pages
from ckanext.kalmar_oppnadata.dialog.views import dialog_pages
from ckanext.kalmar_oppnadata.digests.views import subscription_pages
from ckanext.kalmar_oppnadata.files import dumps
from ckanext.kalmar_oppnadata.guide.views import guide_pages
from ckanext.kalmar_oppnadata.openapi.views import openapi_pages
from ckanext.kalmar_oppnadata.overview import report
from ckanext.kalmar_oppnadata.proposals.views import proposal_pages
from ckanext.kalmar_oppnadata.registers import organizations, requested_datasets, specifications, vocabularies
from ckanext.kalmar_oppnadata.reuse.views import reuse_pages
from ckanext.kalmar_oppnadata.search import fields
from ckanext.kalmar_oppnadata.web import api_errors, health
from ckanext.kalmar_oppnadata.web.assets import asset_files
from ckanext.kalmar_oppnadata.web.outages import outage_pages
from ckanext.kalmar_oppnadata.web.vocabulary_pages import vocabulary_pages

__all__ = ["catalog_pages", "organization_pages", "agenda2030_pages", "specification_pages", "overview_pages",
           "monitoring", "request_guard", "outage_pages", "dialog_pages", "reuse_pages",
           "subscription_pages", "data_request_pages", "asset_files", "vocabulary_pages", "openapi_pages",
           "guide_pages", "proposal_pages"]

catalog_pages = Blueprint("kalmar_catalog", __name__)
monitoring = Blueprint("kalmar_monitoring", __name__)
request_guard = Blueprint("kalmar_request_guard", __name__)
specification_pages = Blueprint("kalmar_specifications", __name__)
overview_pages = Blueprint("kalmar_overview", __name__)
organization_pages = Blueprint("kalmar_organization", __name__)
agenda2030_pages = Blueprint("kalmar_agenda2030", __name__)

# What an RDF client may ask /psidata for, and the catalog format that answers.
RDF_MEDIA_TYPES = {"application/rdf+xml": "rdf", "text/turtle": "ttl", "application/ld+json": "jsonld"}


def _organization_or_404(id: str) -> dict[str, Any]:
    """The organization's own fields from the database (no dataset count: no search, so the catalogs
    answer while Solr is down)."""
    org = organizations.organization(id)
    if not org or org.get("state") != "active" or not org.get("is_organization", True):
        tk.abort(404, tk._("Organization not found"))
    return org


def catalog_links(org: dict[str, Any]) -> dict[str, str]:
    return {
        fmt: tk.url_for("kalmar_organization.catalog", id=org["name"], _format=fmt, _external=True)
        for fmt in ("rdf", "ttl", "jsonld")
    }


@request_guard.before_app_request
def refuse_nul_in_address():
    """A NUL character is never part of an address of this portal. PostgreSQL refuses it in text, so
    without this check CKAN's own pages (/dataset/%00) would answer with a server error."""
    if "\x00" in tk.request.path or b"%00" in tk.request.query_string:
        tk.abort(400, tk._("The address contains a NUL character"))


@request_guard.after_app_request
def api_refusals_in_one_language(response):
    """The Action API's refusals that CKAN writes in English, in the answer's language (web/api_errors.py)."""
    return api_errors.one_language(response)


@request_guard.before_app_request
def search_field_names():
    """``/dataset?sdg=6`` (the names of package_show) shows the same as ``/dataset?vocab_sdg=6``
    (search/fields.py)."""
    address = fields.search_page_redirect(tk.request.endpoint, tk.request.args)
    return redirect(address, code=302) if address else None


@request_guard.before_app_request
def datastore_dump_formats():
    """CKAN's table dump, ``/datastore/dump/<id>``: XLSX answered by the portal, an unknown format refused
    with a 400 that names the formats (CKAN's own view answers it with a server error; see files/dumps.py)."""
    if tk.request.endpoint != "datastore.dump":
        return None
    if dumps.check_format(tk.request.args) == "xlsx":
        return dumps.xlsx_response((tk.request.view_args or {})["resource_id"])
    return None


# CKAN's dataset page and ckanext-dcat's /dataset/<id>.<format>: the endpoints answered with the dataset's
# description from the catalog (catalog/descriptions.py), and where their address arguments are.
DATASET_ENDPOINTS = {"dataset.read": "id", "dcat.read_dataset": "_id"}


@request_guard.before_app_request
def dataset_description():
    """Linked data: ``/dataset/<name>`` asked for Turtle, RDF/XML or JSON-LD (``Accept``), and
    ``/dataset/<name>.ttl`` (``.rdf``, ``.jsonld``), answer with the dataset's DCAT-AP-SE description, the
    same as its part in the catalog; a dataset the asker may not see is a 404, as its page is."""
    endpoint = tk.request.endpoint
    if endpoint not in DATASET_ENDPOINTS or tk.request.method != "GET":
        return None
    view_args = tk.request.view_args or {}
    if endpoint == "dataset.read":
        fmt = descriptions.negotiated_format(tk.request.accept_mimetypes)
    elif tk.request.args.get("profiles"):  # another profile asked for by name: ckanext-dcat's own answer
        return None
    else:
        fmt = view_args.get("_format")
    if fmt not in descriptions.FORMATS:
        return None
    try:
        graph = descriptions.description(view_args[DATASET_ENDPOINTS[endpoint]], _context()["user"])
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    body, media_type = descriptions.serialize(graph, fmt)
    response = make_response(body)
    response.headers["Content-Type"] = f"{media_type}; charset=utf-8"
    response.headers["Vary"] = "Accept"
    return response


@request_guard.after_app_request
def vary_on_accept(response):
    """A dataset page's answer depends on the Accept header (HTML or RDF): caches must know."""
    if tk.request.endpoint == "dataset.read":
        response.vary.add("Accept")
    return response


@request_guard.after_app_request
def datastore_dump_media_type(response):
    """The dump's own media type for CKAN's four formats (CKAN answers application/octet-stream)."""
    if tk.request.endpoint == "datastore.dump" and response.status_code == 200:
        fmt = tk.request.args.get("format") or "csv"
        if fmt in dumps.MEDIA_TYPES and fmt != "xlsx":
            response.headers["Content-Type"] = f"{dumps.MEDIA_TYPES[fmt]}; charset=utf-8"
    return response


@monitoring.route("/health")
def health_check():
    """For monitoring: are PostgreSQL, Solr and Redis reachable? 200 if all are, else 503."""
    result = health.check()
    response = jsonify(result)
    response.status_code = 200 if result["ok"] else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _rdf_file_response(kept_file, fmt: str):
    """A kept catalog file (``kept_file()``, see catalog/documents.py and catalog/caching.py), with its
    fingerprint as the
    ETag: a client that has this version gets 304. Asked again if another request replaced the file
    between finding and opening it."""
    for attempt in range(3):
        kept = kept_file()
        path = kept.path
        try:
            response = send_file(path, etag=path.suffix[1:], conditional=True, max_age=0)
        except FileNotFoundError:
            if attempt == 2:
                raise
            continue
        # Set here, not as send_file's mimetype: Werkzeug adds a charset of its own to text/* (Turtle).
        response.headers["Content-Type"] = f"{documents.FORMATS[fmt][1]}; charset=utf-8"
        response.headers["Cache-Control"] = "no-cache"
        # kept, built (by this request), waited (for another's build) or stale: what the benchmark counts
        response.headers["X-Kalmar-Catalog"] = kept.how
        if kept.stale:  # Solr down, or a failed build: the last good version (catalog/caching.py)
            response.headers["Warning"] = '110 - "Response is Stale"'
            response.headers["X-Kalmar-Stale"] = "search-unavailable"
        return response


@catalog_pages.route("/catalog.<_format>")
def portal_catalog(_format: str):
    """The portal's complete DCAT-AP-SE catalog in one document: the address to register at
    Sveriges dataportal (RDF/XML), with Turtle and JSON-LD alongside."""
    if _format not in documents.FORMATS:
        tk.abort(404, tk._("Unknown catalog format"))
    return _rdf_file_response(lambda: documents.portal_catalog_file(_format), _format)


@catalog_pages.route("/catalog/hvd.<_format>", endpoint="hvd")
def hvd_catalog(_format: str):
    """The catalog of the public high-value datasets (EU regulation 2023/138), DCAT-AP-SE with DCAT-AP HVD:
    the same descriptions as in the complete catalog, for the datasets with an HVD category."""
    if _format not in documents.FORMATS:
        tk.abort(404, tk._("Unknown catalog format"))
    return _rdf_file_response(lambda: documents.hvd_catalog_file(_format), _format)


@organization_pages.route("/organization/<id>/psidata")
def psidata(id: str):
    """The address a municipality links from its own www.<kommun>.se/psidata page.

    Browsers get a list of the organization's public datasets; RDF clients (by Accept header)
    are redirected to the organization's complete DCAT-AP-SE catalog.
    """
    org = _organization_or_404(id)
    best = tk.request.accept_mimetypes.best_match(["text/html", *RDF_MEDIA_TYPES])
    if best in RDF_MEDIA_TYPES:
        return redirect(
            tk.url_for("kalmar_organization.catalog", id=org["name"], _format=RDF_MEDIA_TYPES[best]),
            code=303,
        )
    datasets = list(documents.public_datasets(fq=f'owner_org:"{org["id"]}"'))
    org = {**org, "package_count": len(datasets)}  # read without a count (no search for the organization)
    return tk.render(
        "organization/psidata.html",
        {
            "group_dict": org,
            "group_type": "organization",
            "datasets": datasets,
            "catalog_links": catalog_links(org),
            "psidata_link": tk.url_for("kalmar_organization.psidata", id=org["name"], _external=True),
        },
    )


def catalog_document(id: str, _format: str):
    """The organization's complete catalog (public, active datasets only) in RDF/XML, Turtle or JSON-LD."""
    if _format not in documents.FORMATS:
        tk.abort(404, tk._("Unknown catalog format"))
    org = _organization_or_404(id)
    return _rdf_file_response(lambda: documents.organization_catalog_file(org, _format), _format)


organization_pages.add_url_rule(
    "/organization/<id>/catalog.<_format>", endpoint="catalog", view_func=catalog_document
)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


@agenda2030_pages.route("/agenda2030")
def agenda2030_index():
    """All 17 goals: how many datasets follow each up, and which organizations contribute."""
    summary = tk.get_action("agenda2030_summary")(_context(), {})
    return tk.render("agenda2030/index.html", {"summary": summary})


@agenda2030_pages.route("/agenda2030/<goal>")
def goal(goal: str):
    """One goal: its datasets and the organizations that publish them."""
    try:
        result = tk.get_action("agenda2030_goal_show")(_context(), {"id": goal})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("There is no global goal {goal}").format(goal=goal[:20]))
    return tk.render("agenda2030/goal.html", {"goal": result})


@specification_pages.route("/specifikationer", endpoint="index")
def specifications_index():
    """The register of national specifications, with how many datasets on the portal follow each."""
    specs = tk.get_action("specification_list")(_context(), {})
    counts = tk.get_action("package_search")(_context(), {
        "rows": 0, "include_private": True, "facet.field": ["vocab_conforms_to"], "facet.limit": -1,
    })["facets"].get("vocab_conforms_to", {})
    lang = current_language()
    for spec in specs:
        spec["columns"] = specifications.columns(spec)
        spec["dataset_count"] = counts.get(spec["uri"], 0) if spec["uri"] else 0
        spec["requested_names"] = [r["name"] for r in map(requested_datasets.get, spec.get("requested", [])) if r]
        spec["theme_labels"] = [vocabularies.get("data-theme").label(t, lang) for t in spec["themes"]]
    return tk.render("specifications/index.html", {"specifications": specs})


@specification_pages.route("/specifikationer/<slug>/mall.csv", endpoint="template")
def specification_template(slug: str):
    """The CSV template of a specification with a Table Schema: UTF-8, the header and one example row
    (see registers/table_schemas.py for where the example values come from)."""
    spec = specifications.by_slug(slug)
    if spec is None:
        tk.abort(404, tk._("No specification with a table schema by that name"))
    response = make_response(specifications.template_csv(spec).encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={spec['slug']}-mall.csv"
    return response


@overview_pages.route("/oversikt", endpoint="index")
def overview_index():
    """The region's overview: requested datasets × organizations, quality, charts (tables too)."""
    result = tk.get_action("overview_show")(_context(), {})
    goals = tk.get_action("agenda2030_summary")(_context(), {})
    return tk.render("overview/index.html", {"overview": result, "goals": goals})


@overview_pages.route("/oversikt.csv", endpoint="csv")
def overview_csv():
    result = tk.get_action("overview_show")(_context(), {})
    response = make_response(report.as_csv(result))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=oversikt.csv"
    return response
