"""The API of requests for data and its authorization (re-exported by logic/action.py and logic/auth.py).
Each action's docstring is its API documentation (``help_show``, and the arguments in
``/openapi/kalmar.json``). Linked datasets are shown only to those who may see them; addresses never.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import request as flask_request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.data_requests import mails, store
from ckanext.kalmar_oppnadata.dialog import guard
from ckanext.kalmar_oppnadata.jobs import queue
from ckanext.kalmar_oppnadata.logic import region, schema
from ckanext.kalmar_oppnadata.registers import organizations, requested_datasets

MAX_TITLE, MAX_TEXT, MAX_COMMENT = 200, guard.MAX_MESSAGE, 2000
# (what is counted, how many, in how many seconds); "dataset" is the request (support, comments), or for
# support the request from one address.
CREATE_LIMITS = (("address", 5, 3600), ("email", 5, 3600))
SUPPORT_LIMITS = (("address", 30, 3600), ("dataset", 10, 86400))
COMMENT_LIMITS = (("address", 10, 3600), ("dataset", 50, 86400))
COOKIE = "kalmar_supporter"  # a random token a browser keeps, set by the support form (views.py)


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    return value.strip() if isinstance(value, str) else ""


def _too_long(value: str, limit: int) -> list[str]:
    return [tk._("At most {limit} characters (now {count})").format(limit=limit, count=len(value))] \
        if len(value) > limit else []


def _email(data: dict[str, Any], errors: dict[str, list[str]]) -> str:
    email = _text(data, "email")
    if email and (not guard.EMAIL.match(email) or len(email) > guard.MAX_EMAIL):
        errors["email"] = [tk._("Give an e-mail address we can write to, e.g. namn@example.se, or leave it empty")]
    return email


def _choices() -> str:
    return tk._("Choose one of: {choices}").format(choices=", ".join(store.STATUSES))


def _user(context: dict[str, Any]) -> str:
    return context.get("user") or ""


def _organization_names(values: list[Any]) -> tuple[list[str], list[str]]:
    known = {o["name"] for o in organizations.all_organizations()}
    names = list(dict.fromkeys(str(v).strip() for v in values))
    return [n for n in names if n in known], [n for n in names if n not in known]


def supporter_key(context: dict[str, Any]) -> str:
    """Who supports: a logged-in user by id; anyone else by a keyed hash (the site's secret) of the
    browser's supporter cookie, or of the client's address without one. Neither is stored in clear."""
    user = model.User.get(_user(context)) if _user(context) else None
    if user is not None:
        return f"user:{user.id}"
    token = context.get(COOKIE)
    if not token:
        try:
            token = flask_request.cookies.get(COOKIE)
        except RuntimeError:  # outside a request
            token = None
    basis = f"cookie:{token}" if token else f"address:{guard.client_address()}"
    secret = str(tk.config.get("SECRET_KEY") or "")
    return "anon:" + hmac.new(secret.encode(), basis.encode(), hashlib.sha256).hexdigest()


def _visible(context: dict[str, Any], request_id: str) -> dict[str, Any]:
    found = store.get(request_id) if request_id else None
    if found is None or not (found["approved"] or region.is_region(_user(context))):
        raise tk.ObjectNotFound(tk._("Request for data not found"))
    return found


def _datasets(context: dict[str, Any], ids: list[str]) -> list[dict[str, Any]]:
    """The linked datasets the caller may see (``package_show`` with their rights), active ones only."""
    shown = []
    for dataset_id in ids:
        try:
            d = tk.get_action("package_show")({"user": _user(context)}, {"id": dataset_id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
        if d.get("state") == "active":
            shown.append({"id": d["id"], "name": d["name"], "title": d["title"], "private": d.get("private", False)})
    return shown


def _organizations(names: list[str]) -> list[dict[str, str]]:
    groups = (model.Group.get(n) for n in names)
    return [{"name": g.name, "title": g.title} for g in groups if g is not None and g.state == "active"]


def _present(context: dict[str, Any], found: dict[str, Any]) -> dict[str, Any]:
    entry = requested_datasets.get(found["requested_id"]) if found["requested_id"] else None
    return {**found,
            "municipalities": _organizations(found["municipalities"]),
            "organizations": _organizations(found["organizations"]),
            "datasets": _datasets(context, found["datasets"]),
            "requested": {k: entry[k] for k in ("id", "name", "name_en", "source")} if entry else None}


def data_request_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Ask for data that is not published yet; anyone may, also without an account. The request waits for
    the region's approval before it is shown.

    :param title: which data (at most 200 characters)
    :type title: string
    :param purpose: what the data would be used for (at most 4,000 characters)
    :type purpose: string
    :param municipalities: the organizations asked (names, e.g. ``kalmar-kommun``; at least one)
    :type municipalities: list of strings
    :param email: (optional) an address to hear back at; never shown
    :type email: string
    :returns: ``{"id", "status", "approved"}``
    """
    tk.check_access("data_request_create", context, data_dict)
    title, purpose = _text(data_dict, "title"), _text(data_dict, "purpose")
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [tk._("Write which data you would like")]
    elif _too_long(title, MAX_TITLE):
        errors["title"] = _too_long(title, MAX_TITLE)
    if not purpose:
        errors["purpose"] = [tk._("Write what you would use the data for")]
    elif _too_long(purpose, MAX_TEXT):
        errors["purpose"] = _too_long(purpose, MAX_TEXT)
    municipalities, unknown = _organization_names(as_list(data_dict.get("municipalities")))
    if unknown:
        errors["municipalities"] = [tk._("Unknown organization {name!r}").format(name=unknown[0][:80])]
    elif not municipalities:
        errors["municipalities"] = [tk._("Choose at least one municipality, or Region Kalmar län for the whole county")]
    email = _email(data_dict, errors)
    if errors:
        raise tk.ValidationError(errors)
    if guard.over_limit(guard.client_address(), email, "", scope="data-request", limits=CREATE_LIMITS):
        raise guard.TooMany()
    created = store.add(title, purpose, municipalities, email)
    return {"id": created["id"], "status": created["status"], "approved": created["approved"]}


@tk.side_effect_free
@schema.arguments(schema.by_id)
def data_request_show(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """One approved request for data (``id``), with its comments; the region also sees those waiting."""
    tk.check_access("data_request_show", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    found = _visible(context, _text(data_dict, "id"))
    moderator = region.is_region(_user(context))
    shown = _present(context, found)
    shown["comments"] = [c if moderator else {k: v for k, v in c.items() if k != "hidden"}
                         for c in store.comments(found["id"], with_hidden=moderator)]
    return shown


@tk.side_effect_free
def data_request_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The approved requests for data; the region also sees those waiting for approval.

    :param status: (optional) only those with this status: ``new``, ``in_progress``, ``published`` or
        ``rejected``
    :type status: string
    :param waiting: (optional) the region only: only the requests waiting for approval
    :type waiting: boolean
    :returns: the requests
    """
    tk.check_access("data_request_list", context, data_dict)
    status = _text(data_dict, "status")
    if status and status not in store.STATUSES:
        raise tk.ValidationError({"status": [_choices()]})
    moderator = region.is_region(_user(context))
    found = store.listed(approved_only=not moderator, status=status or None)
    if moderator and tk.asbool(data_dict.get("waiting")):
        found = [r for r in found if not r["approved"]]
    return [_present(context, r) for r in found]


def data_request_support(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """"I want this too" for an approved request, counted once per person (a logged-in user once; without an
    account once per browser, by a keyed hash of a cookie or, without one, of the client's address).

    :param id: the request's id
    :type id: string
    :param email: (optional) an address to hear of changes at; never shown
    :type email: string
    :returns: ``{"id", "counted", "supporters"}``
    """
    tk.check_access("data_request_support", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    found = _visible(context, _text(data_dict, "id"))
    if not found["approved"]:
        raise tk.ObjectNotFound(tk._("Request for data not found"))
    errors: dict[str, list[str]] = {}
    email = _email(data_dict, errors)
    if errors:
        raise tk.ValidationError(errors)
    address = guard.client_address()
    if guard.over_limit(address, "", f"{found['id']}:{address}", scope="data-request-support", limits=SUPPORT_LIMITS):
        raise guard.TooMany()
    counted = store.support(found["id"], supporter_key(context), email)
    return {"id": found["id"], "counted": counted, "supporters": store.get(found["id"])["supporters"]}


def data_request_comment(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Comment on an approved request; shown at once, as plain text.

    :param id: the request's id
    :type id: string
    :param text: the comment (at most 2,000 characters)
    :type text: string
    :param name: (optional) the name shown with it
    :type name: string
    :returns: the comment
    """
    tk.check_access("data_request_comment", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    found = _visible(context, _text(data_dict, "id"))
    if not found["approved"]:
        raise tk.ObjectNotFound(tk._("Request for data not found"))
    text, name = _text(data_dict, "text"), _text(data_dict, "name")
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [tk._("Write your comment")]
    elif _too_long(text, MAX_COMMENT):
        errors["text"] = _too_long(text, MAX_COMMENT)
    if _too_long(name, guard.MAX_NAME):
        errors["name"] = _too_long(name, guard.MAX_NAME)
    if errors:
        raise tk.ValidationError(errors)
    if guard.over_limit(guard.client_address(), "", found["id"], scope="data-request-comment", limits=COMMENT_LIMITS):
        raise guard.TooMany()
    comment = store.add_comment(found["id"], name, text)
    return {k: v for k, v in comment.items() if k != "hidden"}


def _public_dataset_ids(values: list[Any], errors: dict[str, list[str]]) -> list[str]:
    ids = []
    for value in values:
        package = model.Package.get(str(value).strip())
        if package is None or package.private or package.state != "active":
            errors.setdefault("datasets", []).append(
                tk._("{name!r} is not a public dataset").format(name=str(value)[:80]))
        elif package.id not in ids:
            ids.append(package.id)
    return ids


def data_request_update(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Moderate a request for data (the region). Everything given is checked before anything is written; a
    new status is mailed to the requester and to the supporters who left an address.

    :param id: the request's id
    :type id: string
    :param approved: (optional) shown to everyone
    :type approved: boolean
    :param status: (optional) ``new``, ``in_progress``, ``published`` (with ``datasets``) or ``rejected``
        (with a ``reason``)
    :type status: string
    :param datasets: (optional) the public datasets that answer it (ids or names)
    :type datasets: list of strings
    :param reason: (optional) why it is rejected
    :type reason: string
    :param requested_id: (optional) the entry of the register of requested datasets it asks for; or
    :type requested_id: string
    :param register_name: (optional) a new entry of that register, named so (``register_name_en`` in English)
    :type register_name: string
    :param organizations: (optional) the organizations it is assigned to (names)
    :type organizations: list of strings
    :param hide_comments: (optional) ids of comments to hide
    :type hide_comments: list of strings
    :returns: the request, as ``data_request_show`` gives it
    """
    tk.check_access("data_request_update", context, data_dict)
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
    found = store.get(_text(data_dict, "id"))
    if found is None:
        raise tk.ObjectNotFound(tk._("Request for data not found"))
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if "approved" in data_dict:
        changes["approved"] = tk.asbool(data_dict["approved"])
    status = _text(data_dict, "status") or found["status"]
    if status not in store.STATUSES:
        errors["status"] = [_choices()]
    reason = _text(data_dict, "reason") if "reason" in data_dict else found["reason"]
    if _too_long(reason, MAX_TEXT):
        errors["reason"] = _too_long(reason, MAX_TEXT)
    elif status == store.REJECTED and not reason:
        errors["reason"] = [tk._("Write why the request is rejected")]
    datasets = _public_dataset_ids(as_list(data_dict["datasets"]), errors) if "datasets" in data_dict \
        else found["datasets"]
    if status == store.PUBLISHED and not datasets and "datasets" not in errors:
        errors["datasets"] = [tk._("Name the public datasets that answer the request")]
    requested_id = _text(data_dict, "requested_id") if "requested_id" in data_dict else found["requested_id"]
    register_name, register_name_en = _text(data_dict, "register_name"), _text(data_dict, "register_name_en")
    if register_name:
        if _text(data_dict, "requested_id"):
            errors["register_name"] = [tk._("Either link the request to a requested dataset or add a new one")]
        elif not requested_datasets.slug(register_name) or _too_long(register_name, MAX_TITLE):
            errors["register_name"] = _too_long(register_name, MAX_TITLE) or [tk._("Write a name with letters")]
        elif requested_datasets.get(requested_datasets.slug(register_name)):
            errors["register_name"] = [tk._("The register already has {name!r}: link the request to it").format(
                name=register_name)]
        if _too_long(register_name_en, MAX_TITLE):
            errors["register_name_en"] = _too_long(register_name_en, MAX_TITLE)
    elif requested_id and not requested_datasets.get(requested_id):
        errors["requested_id"] = [tk._("Unknown requested dataset {value!r}").format(value=requested_id[:80])]
    if "organizations" in data_dict:
        assigned, unknown = _organization_names(as_list(data_dict["organizations"]))
        if unknown:
            errors["organizations"] = [tk._("Unknown organization {name!r}").format(name=unknown[0][:80])]
        changes["organizations"] = assigned
    hide = [str(c) for c in as_list(data_dict.get("hide_comments"))]
    if errors:
        raise tk.ValidationError(errors)

    if register_name:
        requested_id = requested_datasets.add(register_name, register_name_en or register_name, found["id"])["id"]
    store.update(found["id"], status=status, reason=reason if status == store.REJECTED else "",
                 datasets=datasets if status == store.PUBLISHED else [], requested_id=requested_id or None, **changes)
    if hide:
        store.hide_comments(found["id"], hide)
    store.commit()
    if status != found["status"]:
        queue.enqueue_unique(mails.tell_status, f"kalmar-data-request-{found['id']}-{status}",
                             "Mail a request's new status to its requester and supporters", [found["id"], status])
    return data_request_show(context, {"id": found["id"]})


# Authorization: anyone may ask, read approved requests, support and comment (the actions themselves keep
# unapproved requests to the region); only the region moderates.
def _anyone(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}


data_request_create_auth = tk.auth_allow_anonymous_access(_anyone)
data_request_show_auth = tk.auth_allow_anonymous_access(_anyone)
data_request_list_auth = tk.auth_allow_anonymous_access(_anyone)
data_request_support_auth = tk.auth_allow_anonymous_access(_anyone)
data_request_comment_auth = tk.auth_allow_anonymous_access(_anyone)


def data_request_update_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    if region.is_region(_user(context)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the region moderates requests for data")}
