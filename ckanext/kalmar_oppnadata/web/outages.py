"""What visitors get while Solr or PostgreSQL is down: a short page in Swedish with 503, never a stack
trace or a 500.

- **PostgreSQL down**: every page and API call that needs the database answers 503 (a page that needs
  nothing from it, like ``/health``, still answers).
- **Solr down**: dataset pages (read from the database) still answer; so do the catalogs and the overview,
  from their last kept versions (``caching``). Searching cannot work: search pages, and any page built from
  a search, answer 503, and the Action API answers 503 with a JSON error.

The page is rendered from a template that extends nothing, so that rendering it needs neither service.
"""
from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify, make_response
from sqlalchemy.exc import DBAPIError, OperationalError

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SolrConnectionError

from ckanext.kalmar_oppnadata.catalog.caching import SearchUnavailable

log = logging.getLogger(__name__)

outage_pages = Blueprint("kalmar_outages", __name__)

SEARCH_DOWN = "kalmar_search_unavailable"  # set on ``g`` by the chained package_search
RETRY_AFTER = "60"


def _is_api() -> bool:
    return tk.request.path.startswith("/api/")


def _unavailable(service: str, error: BaseException | None = None):
    log.warning("%s is unavailable for %s: %s", service, tk.request.path, error, exc_info=error)
    if service == "search":
        message = tk._("The search index cannot be reached right now. Datasets can still be read, and the "
                       "catalogs are served as they were before the fault. Please try searching again in a while.")
    else:
        message = tk._("The portal's database cannot be reached right now. Please try again in a while.")
    if _is_api():
        response = jsonify({"success": False, "error": {"__type": "Service Unavailable", "message": message}})
    else:
        try:
            body = tk.render("kalmar/unavailable.html", {"message": message})
        except Exception:  # rendering needs nothing from the services, but never fail the failure page
            body = f"<!doctype html><html lang=\"sv\"><title>Tillfälligt otillgänglig</title><p>{message}</p>"
        response = make_response(body)
    response.status_code = 503
    response.headers["Retry-After"] = RETRY_AFTER
    response.headers["Cache-Control"] = "no-store"
    return response


# Connection failures only (no SQLSTATE: the server was not reached; class 08; the server shutting down):
# a deadlock, a timeout or a full disk is a real error and stays one.
_UNREACHABLE = {"57P01", "57P02", "57P03"}


def _unreachable(error: DBAPIError) -> bool:
    if getattr(error, "connection_invalidated", False):
        return True
    code = getattr(error.orig, "pgcode", None)
    return isinstance(error, OperationalError) and (code is None or str(code).startswith("08") or
                                                    code in _UNREACHABLE)


@outage_pages.app_errorhandler(DBAPIError)
def database_unavailable(error):
    if _unreachable(error):
        return _unavailable("database", error)
    raise error


@outage_pages.app_errorhandler(SolrConnectionError)
def search_connection_refused(error):
    return _unavailable("search", error)


@outage_pages.app_errorhandler(SearchUnavailable)
def search_unavailable(error):
    return _unavailable("search", error)


@outage_pages.after_app_request
def search_page_without_search(response):
    """CKAN's search pages and its Action API catch a failed search themselves (an empty list, a bare 500):
    make that the 503 answer. (Not where the failure was handled on purpose: a catalog or the overview
    served from its last kept version answers 200.)"""
    if not getattr(g, SEARCH_DOWN, False) or response.status_code == 503:
        return response
    endpoint = tk.request.endpoint or ""
    if endpoint.endswith(".search") or (endpoint == "api.action" and response.status_code == 500):
        return _unavailable("search")
    return response


def note_search_failure(error: Exception) -> None:
    """Called by the chained ``package_search`` when Solr cannot be reached."""
    if isinstance(error, (SolrConnectionError, SearchUnavailable)) or (
            isinstance(error, SearchError) and "Failed to connect" in str(error)):
        try:
            setattr(g, SEARCH_DOWN, True)
        except RuntimeError:  # outside a request (a job, the CLI): nothing to answer
            pass
