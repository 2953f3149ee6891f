"""Authorization of the extension's actions (registered with ``toolkit.blanket.auth_functions``).

Our own actions only read public registers or count what the caller may already see through
``package_search``, so anyone, also anonymous visitors, may call them. ``package_update`` is chained: a
harvested dataset is edited at its source, so here it is read-only (CKAN's resource, view and delete checks
all ask ``package_update``; the harvester itself runs with ``ignore_auth``).
"""
from __future__ import annotations

from typing import Any

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

__all__ = [
    "agenda2030_summary",
    "agenda2030_goal_show",
    "agenda2030_suggest",
    "specification_list",
    "specification_show",
    "overview_show",
    "quality_show",
    "package_update",
]


def _anyone(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}


@tk.chained_auth_function
def package_update(next_auth, context: dict[str, Any], data_dict: dict[str, Any] | None) -> dict[str, Any]:
    from ..harvesting import provenance

    dataset_id = (data_dict or {}).get("id") or getattr(context.get("package"), "id", None)
    package = context.get("package") or (ckan_model.Package.get(dataset_id) if dataset_id else None)
    source = provenance.source_of(package.id) if package is not None else None
    if source:
        return {"success": False, "msg": tk._(
            'This dataset is harvested from "{source}" and is edited there; changes made here would be '
            "overwritten at the next harvest.").format(source=source["title"])}
    return next_auth(context, data_dict)


agenda2030_summary = tk.auth_allow_anonymous_access(_anyone)
agenda2030_goal_show = tk.auth_allow_anonymous_access(_anyone)
agenda2030_suggest = tk.auth_allow_anonymous_access(_anyone)
specification_list = tk.auth_allow_anonymous_access(_anyone)
specification_show = tk.auth_allow_anonymous_access(_anyone)
overview_show = tk.auth_allow_anonymous_access(_anyone)
quality_show = tk.auth_allow_anonymous_access(_anyone)  # package_show inside checks the dataset itself
