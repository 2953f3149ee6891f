"""The examples' actions and their authorization (re-exported by logic/action.py and logic/auth.py): examples
of use proposed by anyone, approved by the region. Each action's docstring is its API documentation
(``help_show``, and the arguments in ``/openapi/kalmar.json``). Every answer lists only the datasets the
caller may see, and never the proposer's address.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.dialog import guard
from ckanext.kalmar_oppnadata.jobs import queue
from ckanext.kalmar_oppnadata.logic import schema
from ckanext.kalmar_oppnadata.logic.region import is_region
from ckanext.kalmar_oppnadata.reuse import images, mails, store

MAX_TITLE, MAX_URL, MAX_DATASETS = 200, 500, 50
WEB_ADDRESS = re.compile(r"^https?://[^\s/?#<>\"']+\.[^\s/?#<>\"']+(?:[/?#][^\s<>\"']*)?$", re.IGNORECASE)
DECISIONS = {"approve": store.APPROVED, "decline": store.DECLINED}


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    return value.strip() if isinstance(value, str) else ""


def _too_long(limit: int, text: str) -> list[str]:
    return [tk._("At most {limit} characters (now {count})").format(limit=limit, count=len(text))]


def _visible_dataset(context: dict[str, Any], id_or_name: str) -> model.Package | None:
    package = model.Package.get(id_or_name) if id_or_name else None
    if package is None or package.type != "dataset" or package.state != "active":
        return None
    try:
        tk.check_access("package_show", {"user": context.get("user") or ""}, {"id": package.id})
    except tk.NotAuthorized:
        return None
    return package


def shown(context: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
    """An example as the caller may see it: only the datasets they may see (never a hidden one's name,
    title or id), the image's address."""
    example = dict(example)
    datasets = []
    for package_id in example.pop("package_ids"):
        package = _visible_dataset(context, package_id)
        if package is not None:
            org = model.Group.get(package.owner_org) if package.owner_org else None
            datasets.append({"id": package.id, "name": package.name, "title": package.title,
                             "organization": org.title if org else ""})
    example["datasets"] = datasets
    example["image_url"] = images.address(example["image_url"])
    return example


def _validated(context: dict[str, Any], data_dict: dict[str, Any], partial: bool = False
               ) -> tuple[dict[str, Any], list[str] | None, dict[str, list[str]]]:
    """The example's fields and dataset ids from the input, and the errors (in the UI's language)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, limit, missing in (("title", MAX_TITLE, tk._("Give the example a title")),
                                  ("description", guard.MAX_MESSAGE, tk._("Describe the example")),
                                  ("url", MAX_URL, tk._("Give the address where the example is found"))):
        if partial and field not in data_dict:
            continue
        text = _text(data_dict, field)
        if not text:
            errors[field] = [missing]
        elif len(text) > limit:
            errors[field] = _too_long(limit, text)
        values[field] = text
    if "url" in values and "url" not in errors and not WEB_ADDRESS.match(values["url"]):
        errors["url"] = [tk._("Give a web address starting with http:// or https://")]
    if not partial or "kind" in data_dict:
        values["kind"] = _text(data_dict, "kind")
        if values["kind"] not in store.KINDS:
            errors["kind"] = [tk._("Choose what kind of example it is")]
    if not partial or "image_url" in data_dict:
        image = _text(data_dict, "image_url")
        if image and (len(image) > MAX_URL or not WEB_ADDRESS.match(image)):
            errors["image_url"] = [tk._("Give the image's web address starting with http:// or https://")]
        values["image_url"] = image
    package_ids = None
    if not partial or "datasets" in data_dict:
        wanted = [str(d).strip() for d in as_list(data_dict.get("datasets"))]
        package_ids = []
        for wanted_id in wanted[:MAX_DATASETS + 1]:
            package = _visible_dataset(context, wanted_id)
            if package is None:
                errors["datasets"] = [tk._("No dataset named {name} can be found").format(name=wanted_id[:100])]
                break
            package_ids.append(package.id)
        if not wanted:
            errors["datasets"] = [tk._("Choose at least one dataset the example uses")]
        elif len(wanted) > MAX_DATASETS:
            errors["datasets"] = [tk._("At most {limit} datasets").format(limit=MAX_DATASETS)]
    return values, package_ids, errors


def reuse_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Propose an example of use of the portal's data; anyone may, also without an account. It waits for
    the region's approval (``state``: ``pending``) unless the region adds it itself.

    :param title: the example's title (at most 200 characters)
    :type title: string
    :param description: what it is and how it uses the data (at most 4,000 characters)
    :type description: string
    :param url: where the example is found (http:// or https://)
    :type url: string
    :param kind: ``app``, ``research``, ``article`` or ``visualisation``
    :type kind: string
    :param datasets: the datasets it uses (ids or names, at least one, at most 50)
    :type datasets: list of strings
    :param image_upload: (optional) an image (PNG, JPEG, WebP or GIF, at most 2 MB), as multipart form data
    :type image_upload: file
    :param image_url: (optional) or the image's address (http:// or https://)
    :type image_url: string
    :param name: (optional) the proposer's name
    :type name: string
    :param email: (optional) an address to hear when it is approved or declined; never shown
    :type email: string
    :returns: the example
    """
    tk.check_access("reuse_create", context, data_dict)
    data_dict = dict(data_dict)
    values, package_ids, errors = _validated(context, data_dict)
    name, email = _text(data_dict, "name"), _text(data_dict, "email")
    if email and (not guard.EMAIL.match(email) or len(email) > guard.MAX_EMAIL):
        errors["email"] = [tk._("Give an e-mail address we can answer to, e.g. namn@example.se")]
    if len(name) > guard.MAX_NAME:
        errors["name"] = _too_long(guard.MAX_NAME, name)
    upload = None
    if not errors.get("image_url"):
        try:
            upload = images.prepare(data_dict)
        except tk.ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise tk.ValidationError(errors)
    if upload is not None and upload.filename:
        values["image_url"] = upload.filename
    region = is_region(context.get("user"))
    if not region and guard.over_limit(guard.client_address(), email, "reuse", scope="reuse"):
        raise guard.TooMany()
    images.store_file(upload)  # after every check, before the example is saved
    user = model.User.get(context.get("user") or "")
    example = store.add(values, package_ids or [], store.APPROVED if region else store.PENDING, name, email,
                        moderator=user.id if region and user else None)
    return shown(context, example)


def _example(context: dict[str, Any], reuse_id: str) -> dict[str, Any]:
    example = store.get(reuse_id) if reuse_id else None
    if example is None or (example["state"] != store.APPROVED and not is_region(context.get("user"))):
        raise tk.ObjectNotFound(tk._("Example of use not found"))
    return example


@tk.side_effect_free
@schema.arguments(schema.by_id)
def reuse_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """One example of use (``id``): an approved one, or for the region any."""
    tk.check_access("reuse_show", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    return shown(context, _example(context, _text(data_dict, "id")))


@tk.side_effect_free
def reuse_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The approved examples of use, of all datasets or of one.

    :param package_id: (optional) only the examples that use this dataset (id or name)
    :type package_id: string
    :param state: (optional) the region only: ``pending``, ``approved`` (the default) or ``declined``, or a
        list of them
    :type state: list of strings
    :returns: the examples
    """
    tk.check_access("reuse_list", context, data_dict)
    states = tuple(as_list(data_dict.get("state"))) or (store.APPROVED,)
    if any(state not in store.STATES for state in states):
        raise tk.ValidationError({"state": [tk._("Choose pending, approved or declined")]})
    if states != (store.APPROVED,) and not is_region(context.get("user")):
        raise tk.NotAuthorized(tk._("Only the region sees examples that are not approved"))
    package_id = _text(data_dict, "package_id")
    if package_id:
        package = _visible_dataset(context, package_id)
        if package is None:
            raise tk.ObjectNotFound(tk._("Dataset not found"))
        package_id = package.id
    return [shown(context, e) for e in store.find(states, package_id or None)]


def reuse_moderate(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Approve or decline an example of use (the region); the decision is mailed to the proposer.

    :param id: the example's id
    :type id: string
    :param decision: ``approve`` or ``decline``
    :type decision: string
    :param reason: (optional) why, for the proposer
    :type reason: string
    :returns: the example
    """
    tk.check_access("reuse_moderate", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    example = _example(context, _text(data_dict, "id"))
    decision, reason = _text(data_dict, "decision"), _text(data_dict, "reason")
    if decision not in DECISIONS:
        raise tk.ValidationError({"decision": [tk._("Choose approve or decline")]})
    if len(reason) > guard.MAX_MESSAGE:
        raise tk.ValidationError({"reason": _too_long(guard.MAX_MESSAGE, reason)})
    user = model.User.get(context.get("user") or "")
    moderated = store.moderate(example["id"], DECISIONS[decision], user.id if user else "", reason)
    queue.enqueue_unique(mails.tell_proposer, f"kalmar-reuse-{example['id']}-{decision}",
                         "Mail the region's decision to the proposer of an example of use", [example["id"]])
    return shown(context, moderated)


def reuse_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Change an example of use (the region): the fields given, as ``reuse_create`` takes them.

    :param id: the example's id
    :type id: string
    :returns: the example
    """
    tk.check_access("reuse_update", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    example = _example(context, _text(data_dict, "id"))
    data_dict = dict(data_dict)
    values, package_ids, errors = _validated(context, data_dict, partial=True)
    upload = None
    if not errors.get("image_url") and ("image_upload" in data_dict or "image_url" in data_dict):
        old = store.get(example["id"])["image_url"]
        try:
            upload = images.prepare(data_dict, old)
        except tk.ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise tk.ValidationError(errors)
    if upload is not None and upload.filename:
        values["image_url"] = upload.filename
        images.store_file(upload)
    return shown(context, store.update(example["id"], values, package_ids))


def reuse_delete(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Delete an example of use (the region).

    :param id: the example's id
    :type id: string
    :returns: ``{"id", "deleted": true}``
    """
    tk.check_access("reuse_delete", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    example = _example(context, _text(data_dict, "id"))
    store.delete(example["id"])
    return {"id": example["id"], "deleted": True}


# Authorization
@tk.auth_allow_anonymous_access
def reuse_create_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}


@tk.auth_allow_anonymous_access
def reuse_read_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}  # what is shown is decided per example and dataset (``shown``)


def reuse_region_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    if is_region(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the region moderates examples of use")}
