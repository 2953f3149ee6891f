"""The pages of requests for data: the list (``/onska-data``), the form (``/onska-data/ny``), one request
with its support and comment forms and, for the region, its moderation form (``/onska-data/<id>``)."""
from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, redirect

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.data_requests import actions, store
from ckanext.kalmar_oppnadata.dialog import guard
from ckanext.kalmar_oppnadata.dialog.views import TOO_MANY
from ckanext.kalmar_oppnadata.logic import region
from ckanext.kalmar_oppnadata.registers import organizations, requested_datasets
from ckanext.kalmar_oppnadata.registers.values import N_

data_request_pages = Blueprint("kalmar_data_requests", __name__)

COOKIE_SECONDS = 365 * 86400
THANKS = N_("Thank you! The region looks at your request and publishes it here once approved.")


def _context() -> dict[str, Any]:
    return {"user": tk.g.user}


def _moderator() -> bool:
    return region.is_region(tk.g.user)


@data_request_pages.route("/onska-data", methods=["GET"])
def index():
    status = tk.request.args.get("status") or None
    if status not in (None, *store.STATUSES):
        status = None
    found = tk.get_action("data_request_list")(_context(), {"status": status} if status else {})
    return tk.render("data_requests/index.html", {"requests": found, "status": status,
                                                  "moderator": _moderator()})


@data_request_pages.route("/onska-data/ny", methods=["GET", "POST"])
def new():
    values: dict[str, Any] = {"municipalities": []}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        values = {field: form.get(field, "") for field in ("title", "purpose", "email")}
        values["municipalities"] = form.getlist("municipalities")
        if form.get(guard.HONEYPOT):  # a bot: thanked, nothing kept
            tk.h.flash_success(tk._(THANKS))
            return redirect(tk.h.url_for("kalmar_data_requests.index"))
        try:
            tk.get_action("data_request_create")(_context(), dict(values))
        except tk.ValidationError as error:
            errors = error.error_dict
        except guard.TooMany:
            return _form(values, {}, too_many=tk._(TOO_MANY)), 429
        else:
            tk.h.flash_success(tk._(THANKS))
            return redirect(tk.h.url_for("kalmar_data_requests.index"))
    return _form(values, errors), 400 if errors else 200


def _form(values: dict[str, Any], errors: dict[str, list[str]], too_many: str | None = None) -> str:
    return tk.render("data_requests/new.html", {"values": values, "errors": errors, "too_many": too_many,
                                                "organizations": organizations.all_organizations()})


def _read(id: str, status: int = 200, **extra: Any):
    try:
        found = tk.get_action("data_request_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Request for data not found"))
    moderator = _moderator()
    page = {"request": found, "moderator": moderator, "errors": {}, "values": {}, **extra}
    if moderator:
        page["register"] = requested_datasets.requested_datasets()
        page["organizations"] = organizations.all_organizations()
    return tk.render("data_requests/read.html", page), status


@data_request_pages.route("/onska-data/<id>", methods=["GET"])
def read(id: str):
    return _read(id)


@data_request_pages.route("/onska-data/<id>/stod", methods=["POST"])
def support(id: str):
    form = tk.request.form
    if form.get(guard.HONEYPOT):
        return redirect(tk.h.url_for("kalmar_data_requests.read", id=id))
    token = tk.request.cookies.get(actions.COOKIE) or secrets.token_urlsafe(24)
    context = dict(_context(), **{actions.COOKIE: token})
    try:
        result = tk.get_action("data_request_support")(context, {"id": id, "email": form.get("email", "")})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Request for data not found"))
    except tk.ValidationError as error:
        return _read(id, 400, errors=error.error_dict, values={"email": form.get("email", "")})
    except guard.TooMany:
        return _read(id, 429, too_many=tk._(TOO_MANY))
    tk.h.flash_success(tk._("Thank you for your support!") if result["counted"]
                       else tk._("You already support this request."))
    response = redirect(tk.h.url_for("kalmar_data_requests.read", id=id))
    response.set_cookie(actions.COOKIE, token, max_age=COOKIE_SECONDS, httponly=True, samesite="Lax",
                        secure=tk.request.scheme == "https")
    return response


@data_request_pages.route("/onska-data/<id>/kommentar", methods=["POST"])
def comment(id: str):
    form = tk.request.form
    values = {"text": form.get("text", ""), "name": form.get("name", "")}
    if form.get(guard.HONEYPOT):
        return redirect(tk.h.url_for("kalmar_data_requests.read", id=id))
    try:
        tk.get_action("data_request_comment")(_context(), {"id": id, **values})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Request for data not found"))
    except tk.ValidationError as error:
        return _read(id, 400, errors=error.error_dict, values=values)
    except guard.TooMany:
        return _read(id, 429, too_many=tk._(TOO_MANY))
    tk.h.flash_success(tk._("Thank you! Your comment is shown below."))
    return redirect(tk.h.url_for("kalmar_data_requests.read", id=id) + "#kommentarer")


@data_request_pages.route("/onska-data/<id>/hantera", methods=["POST"])
def moderate(id: str):
    form = tk.request.form
    data = {"id": id, "approved": form.get("approved") == "on", "status": form.get("status", ""),
            "reason": form.get("reason", ""), "datasets": form.get("datasets", "").replace(",", " ").split(),
            "requested_id": form.get("requested_id", ""), "register_name": form.get("register_name", ""),
            "register_name_en": form.get("register_name_en", ""), "organizations": form.getlist("organizations"),
            "hide_comments": form.getlist("hide_comments")}
    try:
        tk.get_action("data_request_update")(_context(), data)
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Request for data not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the region moderates requests for data"))
    except tk.ValidationError as error:
        return _read(id, 400, errors=error.error_dict, values=data)
    tk.h.flash_success(tk._("The request has been saved."))
    return redirect(tk.h.url_for("kalmar_data_requests.read", id=id))
