"""Side work after a save, from CKAN's ``action_succeeded`` signal (as CKAN's own ``activity`` plugin does):
the checks and loads of a dataset's files (``files/queueing.py``), and the refresh of the kept catalogs
(``catalog/refresh.py``), which also follows deletions and organization edits.

The signal is sent when an action has returned, that is after ``package_create`` or ``package_update`` has
committed, so a job queued here always finds what it is about. Every dataset and resource save ends in one
of the two (``resource_create``, ``resource_patch`` and ``package_patch`` call ``package_update``), so a
change is handled once. Saves made by the extension's own jobs (recording a report or a load status) and
saves whose commit is deferred to an outer action are left alone.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.catalog import refresh
from ckanext.kalmar_oppnadata.common import site_context
from ckanext.kalmar_oppnadata.files import queueing
from ckanext.kalmar_oppnadata.jobs.queue import JOB_CONTEXT_FLAG

log = logging.getLogger(__name__)


def get_subscriptions() -> dict[Any, list[dict[str, Any]]]:
    return {tk.signals.action_succeeded: [
        {"sender": "package_create", "receiver": dataset_saved},
        {"sender": "package_update", "receiver": dataset_saved},
        {"sender": "package_delete", "receiver": catalog_changed},
        {"sender": "organization_update", "receiver": catalog_changed},
    ]}


def catalog_changed(sender: str, **kwargs: Any) -> None:
    """A deletion or an organization's edit (its datasets' publisher): the kept catalogs are refreshed."""
    if not (kwargs.get("context") or {}).get("defer_commit"):
        refresh.queue()


def dataset_saved(sender: str, **kwargs: Any) -> None:
    context = kwargs.get("context") or {}
    if context.get(JOB_CONTEXT_FLAG) or context.get("defer_commit"):
        return
    result = kwargs.get("result")
    if isinstance(result, dict) and "resources" in result:
        dataset = result  # the action's own answer: no second read of what was just saved
    else:  # only the id (``return_id_only``)
        dataset_id = result if isinstance(result, str) else (kwargs.get("data_dict") or {}).get("id")
        if not dataset_id:
            return
        try:
            dataset = tk.get_action("package_show")(site_context(), {"id": dataset_id})
        except tk.ObjectNotFound:
            return
    if dataset.get("type") != "dataset":
        return  # harvest sources and other types have no files to check or load, and are in no catalog
    queueing.after_save(dataset)
    refresh.queue()
