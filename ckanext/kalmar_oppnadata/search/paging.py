"""Every dataset a search gives, page by page: for the catalogs, the overview and the operator's commands."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

SEARCH_PAGE = 1000


def all_datasets(context: dict[str, Any], **query: Any):
    """Every dataset ``package_search`` gives the caller for ``query``, page by page, in a stable order."""
    start = 0
    while True:
        result = tk.get_action("package_search")(
            dict(context), {"q": "*:*", "sort": "name asc", **query, "rows": SEARCH_PAGE, "start": start})
        yield from result["results"]
        start += SEARCH_PAGE
        if start >= result["count"]:
            return
