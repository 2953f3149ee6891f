"""The OpenAPI documents and the "Utforska API" page (blueprint registered through web/views.py).

- ``/openapi/datastore/<resource_id>.json``: a table's description. Read with the caller's own access, so a
  private dataset's table answers 403 (or 404) to those who may not see the dataset. Only a public table's
  description carries CORS (``Access-Control-Allow-Origin: *`` for GET, and an answer to the preflight), so
  that Sveriges dataportal's explorer may fetch it; a private one's never does.
- ``/openapi/kalmar.json``: the portal's own actions (public, with CORS).
- ``/dataset/<id>/resource/<resource_id>/utforska-api``: Swagger UI on the table's description, where the
  calls can be run against the portal. Swagger UI's files are those the ``flask-swagger-ui`` package ships,
  served under ``/openapi/swagger-ui/``.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from flask import Blueprint, make_response, send_from_directory

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.openapi import addresses, portal, table

__all__ = ["openapi_pages"]

openapi_pages = Blueprint(addresses.BLUEPRINT, __name__)

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "86400"}
SWAGGER_UI_FILES = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                    "favicon-32x32.png", "favicon-16x16.png", "LICENSE", "VERSION")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _table(resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The resource and its dataset as the caller may see them (403/404 otherwise), and only a table."""
    try:
        resource = tk.get_action("resource_show")(_context(), {"id": resource_id})
        dataset = tk.get_action("package_show")(_context(), {"id": resource["package_id"]})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("No such table"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("You may not read this table"))
    if not resource.get("datastore_active"):
        tk.abort(404, tk._("This resource has no table in the DataStore"))
    return resource, dataset


def _is_public(dataset: dict[str, Any]) -> bool:
    return not dataset.get("private") and dataset.get("state") == "active"


def table_document(resource: dict[str, Any], dataset: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document of a table the caller may read (see ``openapi/table.py``)."""
    resource_id = resource["id"]
    try:
        found = tk.get_action("datastore_search")(_context(), {"resource_id": resource_id,
                                                              "limit": table.EXAMPLE_ROWS})
    except (tk.ObjectNotFound, tk.ValidationError):
        tk.abort(404, tk._("This resource has no table in the DataStore"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("You may not read this table"))
    page = f"{addresses.site_url()}/dataset/{dataset['name']}/resource/{resource_id}"
    return table.describe(resource, dataset, found["fields"], found["records"], addresses.site_url(), page,
                          int(tk.config.get("ckan.datastore.search.rows_max") or 32000))


def _json(document: dict[str, Any], public: bool):
    response = make_response(json.dumps(document, ensure_ascii=False, indent=1, default=str))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    if public:
        response.headers.update(CORS)
        response.headers["Cache-Control"] = "public, max-age=300"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _preflight(public: bool):
    response = make_response("", 204)
    if public:
        response.headers.update(CORS)
    return response


@openapi_pages.route("/openapi/datastore/<resource_id>.json", methods=["GET", "OPTIONS"])
def table_description(resource_id: str):
    if tk.request.method == "OPTIONS":
        # A preflight carries no credentials: the table's description is shared only if it is public.
        return _preflight(_is_public(_table(resource_id)[1]))
    resource, dataset = _table(resource_id)
    return _json(table_document(resource, dataset), _is_public(dataset))


@openapi_pages.route("/openapi/kalmar.json", methods=["GET", "OPTIONS"])
def portal_description():
    if tk.request.method == "OPTIONS":
        return _preflight(True)
    return _json(portal.describe(addresses.site_url(), addresses.portal_description()), True)


@openapi_pages.route("/dataset/<id>/resource/<resource_id>/utforska-api")
def explorer(id: str, resource_id: str):
    resource, dataset = _table(resource_id)
    if id not in (dataset["id"], dataset["name"]):
        tk.abort(404, tk._("No such table"))
    return tk.render("kalmar/openapi_explorer.html", extra_vars={
        "pkg": dataset, "res": resource, "description_url": addresses.table_description(resource_id),
        "swagger_ui": swagger_ui_version()})


def _swagger_ui_folder():
    return resources.files("flask_swagger_ui").joinpath("dist")


def swagger_ui_version() -> str:
    return _swagger_ui_folder().joinpath("VERSION").read_text().strip()


@openapi_pages.route("/openapi/swagger-ui/<filename>")
def swagger_ui(filename: str):
    """Swagger UI's files (those the explorer page needs), from the installed package."""
    if filename not in SWAGGER_UI_FILES:
        tk.abort(404)
    return send_from_directory(str(_swagger_ui_folder()), filename, max_age=86400)
