"""A public dataset has data: the publishing rule.

A dataset that a save leaves active and public needs at least one resource with a file or a link. Drafts and
private datasets may be saved without (an editor saves the description first, the file after); harvested
datasets are taken as their source publishes them (``harvest_source_id``, from ckanext-harvest's record,
see harvesting/provenance.py). The web form's last step ("Finish" without a file or link) and the Action API
(``package_create``, ``package_update``, ``package_patch``, ``resource_delete`` of the last file …) meet the
same rule, since all of them end in the dataset schema's validation.

The rule runs after every field (scheming's ``after_validators``), on the validated state and visibility.
Which resources the save leaves is not all in the validated data: ``package_update`` validates only the
resources that changed and copies the unchanged ones afterwards. So the chained ``package_update``
(logic/action.py) notes the resource list it was sent (``note_sent_resources``); a save without one keeps
the dataset's current resources.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

SENT_RESOURCES = "kalmar_sent_resources"
_NOT_NOTED = object()


def note_sent_resources(context: dict[str, Any], data_dict: dict[str, Any]) -> None:
    """Before ``package_update``: the resources it was sent (the same dicts, so a file upload's name, filled
    in by CKAN before validation, is seen), or None when it keeps the current ones."""
    context[SENT_RESOURCES] = data_dict.get("resources") if isinstance(data_dict, dict) else None


def _has_address(resource: Any) -> bool:
    return isinstance(resource, dict) and bool(str(resource.get("url") or "").strip())


def _value(data: dict[tuple, Any], field: str, current: Any) -> Any:
    value = data.get((field,))
    return current if value is None or value is tk.missing or value == "" else value


def _resources_left(data: dict[tuple, Any], context: dict[str, Any], package: Any) -> list[Any]:
    """The resources the dataset has after this save (each with at least its ``url``)."""
    if package is not None:
        sent = context.get(SENT_RESOURCES, _NOT_NOTED)
        if sent is None:  # an update that leaves the resources as they are
            return [{"url": r.url} for r in package.resources]
        if sent is not _NOT_NOTED:
            return list(sent)
    indexes = sorted({key[1] for key in data if key[0] == "resources" and len(key) == 3})
    return [{"url": data.get(("resources", i, "url"))} for i in indexes]


def kalmar_public_needs_data(key, data, errors, context):
    """A dataset saved as active and public needs a resource with a file or link (see the module)."""
    package = context.get("package")
    if not isinstance(package, model.Package) or not ({package.id, package.name} & {
            data.get(("id",)), data.get(("name",))}):
        package = None  # a new dataset (or a context left over from another one)
    state = _value(data, "state", package.state if package is not None else "active")
    private = tk.asbool(_value(data, "private", package.private if package is not None else False))
    harvested = data.get(("harvest_source_id",)) not in (None, "", tk.missing)
    if state != "active" or private or harvested:
        return
    if any(_has_address(r) for r in _resources_left(data, context, package)):
        return
    resource_errors = [k for k in errors if k[0] == "resources" and len(k) > 1]
    if any(errors[k] for k in resource_errors):
        return  # the resources' own errors are reported first; the save fails anyway
    for k in resource_errors:  # empty entries, which would clash with the dataset-level error below
        del errors[k]
    errors[("resources",)] = [tk._(
        "A public dataset needs data: add at least one file or link, or save the dataset as a draft or "
        "as private")]
