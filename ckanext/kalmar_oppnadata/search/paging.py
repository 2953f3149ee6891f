"""Every dataset a search gives, page by page: for the catalogs, the overview and the operator's commands."""
from __future__ import annotations

import json
import logging
from typing import Any

import requests
import simplejson

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

SEARCH_PAGE = 1000


def all_datasets(context: dict[str, Any], **query: Any):
    """Every dataset ``package_search`` gives the caller for ``query``, page by page, in a stable order."""
    start = 0
    while True:
        result = _page(context, {"q": "*:*", "sort": "name asc", **query, "rows": SEARCH_PAGE, "start": start})
        yield from result["results"]
        start += SEARCH_PAGE
        if start >= result["count"]:
            return


def _page(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """One page of the search, asked a second time if Solr's answer was cut off: a page is a large answer
    (a megabyte at 1,000 datasets), and a Solr node that stops while sending it ends the answer midway,
    after the balancer in front of the nodes can no longer send the request to the other node. The second
    request goes to a node that answers (bench/RESULTS-cluster.md, the Solr node fault)."""
    try:
        return tk.get_action("package_search")(dict(context), dict(data_dict))
    except (json.JSONDecodeError, simplejson.JSONDecodeError, requests.exceptions.ChunkedEncodingError) as error:
        # Cut off without a length (pysolr cannot decode the half it got) or against its declared length.
        log.warning("Solr's answer to a page of datasets was cut off (%r); asking again", error)
        return tk.get_action("package_search")(dict(context), dict(data_dict))
