"""Authorization of the extension's actions (registered with ``toolkit.blanket.auth_functions``).

Our own actions only read public registers or count what the caller may already see through
``package_search``, so anyone, also anonymous visitors, may call them. Harvest sources are their
organization's admins' (``harvesting.classification``). ``package_update`` is chained: a
harvested dataset is edited at its source, so here it is read-only (CKAN's resource, view and delete checks
all ask ``package_update``; the harvester itself runs with ``ignore_auth``).
"""
from __future__ import annotations

from typing import Any

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.data_requests.actions import data_request_comment_auth as data_request_comment
from ckanext.kalmar_oppnadata.data_requests.actions import data_request_create_auth as data_request_create
from ckanext.kalmar_oppnadata.data_requests.actions import data_request_list_auth as data_request_list
from ckanext.kalmar_oppnadata.data_requests.actions import data_request_show_auth as data_request_show
from ckanext.kalmar_oppnadata.data_requests.actions import data_request_support_auth as data_request_support
from ckanext.kalmar_oppnadata.data_requests.actions import data_request_update_auth as data_request_update
from ckanext.kalmar_oppnadata.dialog.actions import question_answer_auth as question_answer
from ckanext.kalmar_oppnadata.dialog.actions import question_create_auth as question_create
from ckanext.kalmar_oppnadata.dialog.actions import question_list_auth as question_list
from ckanext.kalmar_oppnadata.harvesting import classification
from ckanext.kalmar_oppnadata.reuse.actions import reuse_create_auth as reuse_create
from ckanext.kalmar_oppnadata.reuse.actions import reuse_read_auth, reuse_region_auth

__all__ = [
    "agenda2030_summary",
    "agenda2030_goal_show",
    "agenda2030_suggest",
    "specification_list",
    "specification_show",
    "overview_show",
    "quality_show",
    "package_create",
    "package_update",
    "harvest_source_create",
    "question_create",
    "question_list",
    "question_answer",
    "data_request_create",
    "data_request_show",
    "data_request_list",
    "data_request_support",
    "data_request_comment",
    "data_request_update",
    "reuse_create",
    "reuse_show",
    "reuse_list",
    "reuse_moderate",
    "reuse_update",
    "reuse_delete",
]


def _anyone(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}


@tk.chained_auth_function
def package_create(next_auth, context: dict[str, Any], data_dict: dict[str, Any] | None) -> dict[str, Any]:
    if classification.is_source(data_dict):
        refused = classification.admin_only(context, (data_dict or {}).get("owner_org"))
        if refused:
            return refused
    return next_auth(context, data_dict)


@tk.chained_auth_function
def harvest_source_create(next_auth, context: dict[str, Any], data_dict: dict[str, Any] | None) -> dict[str, Any]:
    refused = classification.admin_only(context, (data_dict or {}).get("owner_org"))
    return refused or next_auth(context, data_dict)


@tk.chained_auth_function
def package_update(next_auth, context: dict[str, Any], data_dict: dict[str, Any] | None) -> dict[str, Any]:
    dataset_id = (data_dict or {}).get("id")
    package = ckan_model.Package.get(dataset_id) if dataset_id else context.get("package")
    # A harvest source (and its jobs, which ckanext-harvest checks as an update): its organization's admins.
    if package is not None and classification.is_source(None, package):
        for org_id in {package.owner_org, (data_dict or {}).get("owner_org") or package.owner_org}:
            refused = classification.admin_only(context, org_id)
            if refused:
                return refused
        return next_auth(context, data_dict)
    # The dataset's stored harvest_source_* fields (written only from ckanext-harvest's records, see
    # kalmar_harvest_record): no query beyond the dataset itself, on every check of every page.
    extras = (package.extras or {}) if package is not None else {}
    if extras.get("harvest_source_id"):
        return {"success": False, "msg": tk._(
            'This dataset is harvested from "{source}" and is edited there; changes made here would be '
            "overwritten at the next harvest.").format(source=extras.get("harvest_source_title", ""))}
    return next_auth(context, data_dict)


agenda2030_summary = tk.auth_allow_anonymous_access(_anyone)
agenda2030_goal_show = tk.auth_allow_anonymous_access(_anyone)
agenda2030_suggest = tk.auth_allow_anonymous_access(_anyone)
specification_list = tk.auth_allow_anonymous_access(_anyone)
specification_show = tk.auth_allow_anonymous_access(_anyone)
overview_show = tk.auth_allow_anonymous_access(_anyone)
quality_show = tk.auth_allow_anonymous_access(_anyone)  # package_show inside checks the dataset itself
reuse_show = reuse_list = reuse_read_auth  # examples of use (reuse/): approved ones for anyone
reuse_moderate = reuse_update = reuse_delete = reuse_region_auth
