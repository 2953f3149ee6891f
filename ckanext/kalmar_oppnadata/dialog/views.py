"""The dialog's pages: the question form of a public dataset (``/dataset/<id>/fraga``) and the editors'
list of their organization's questions with the answer forms (``/organization/<id>/fragor``)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, redirect

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.dialog import guard
from ckanext.kalmar_oppnadata.registers.values import N_

dialog_pages = Blueprint("kalmar_dialog", __name__)

TOO_MANY = N_("Too many messages have been sent from here or about this dataset. Please try again in an hour.")


def _context() -> dict[str, Any]:
    return {"user": tk.g.user}


def _public_dataset(id: str) -> dict[str, Any]:
    try:
        dataset = tk.get_action("package_show")({}, {"id": id})  # as a visitor: public datasets only
    except (tk.ObjectNotFound, tk.NotAuthorized):
        tk.abort(404, tk._("Dataset not found"))
    if dataset.get("private") or dataset.get("state") != "active":
        tk.abort(404, tk._("Dataset not found"))
    return dataset


@dialog_pages.route("/dataset/<id>/fraga", methods=["GET", "POST"])
def ask(id: str):
    dataset = _public_dataset(id)
    values: dict[str, Any] = {"kind": "question"}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        values = {field: form.get(field, "") for field in ("kind", "message", "email", "name")}
        if form.get(guard.HONEYPOT):  # a bot: thanked, nothing kept
            tk.h.flash_success(tk._("Thank you! Your message has been sent to {org}.").format(
                org=dataset["organization"]["title"]))
            return redirect(tk.h.url_for("dataset.read", id=dataset["name"]))
        try:
            tk.get_action("question_create")(_context(), dict(values, package_id=dataset["id"]))
        except tk.ValidationError as error:
            errors = error.error_dict
        except guard.TooMany:
            return tk.render("dialog/ask.html", {"dataset": dataset, "values": values, "errors": {},
                                                 "too_many": tk._(TOO_MANY)}), 429
        else:
            tk.h.flash_success(tk._("Thank you! Your message has been sent to {org}.").format(
                org=dataset["organization"]["title"]))
            return redirect(tk.h.url_for("dataset.read", id=dataset["name"]))
    status = 400 if errors else 200
    return tk.render("dialog/ask.html", {"dataset": dataset, "values": values, "errors": errors}), status


@dialog_pages.route("/organization/<id>/fragor", methods=["GET"])
def questions(id: str):
    try:
        org = tk.get_action("organization_show")(_context(), {"id": id})
        found = tk.get_action("question_list")(_context(), {"owner_org": org["id"]})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Organization not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the organization's editors may see and answer questions"))
    titles = {d["id"]: d for d in _datasets(org["id"])}
    return tk.render("dialog/organization.html", {"group_dict": org, "group_type": "organization",
                                                    "questions": found, "datasets": titles})


def _datasets(org_id: str) -> list[dict[str, Any]]:
    import ckan.model as model

    return [{"id": p.id, "name": p.name, "title": p.title} for p in
            model.Session.query(model.Package).filter(model.Package.owner_org == org_id)]


@dialog_pages.route("/organization/<id>/fragor/<question_id>", methods=["POST"])
def answer(id: str, question_id: str):
    form = tk.request.form
    try:
        tk.get_action("question_answer")(_context(), {"id": question_id, "answer": form.get("answer", ""),
                                                      "publish": form.get("publish") == "on"})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Question not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the organization's editors may see and answer questions"))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(m for messages in error.error_dict.values() for m in messages))
    else:
        tk.h.flash_success(tk._("The answer has been saved and sent to the asker."))
    return redirect(tk.h.url_for("kalmar_dialog.questions", id=id) + f"#fraga-{question_id}")


@dialog_pages.after_app_request
def too_many_in_the_api(response):
    """CKAN's Action API answers every exception it does not know with a 500: a rate limit is a 429."""
    if getattr(g, guard.OVER_LIMIT, False) and tk.request.endpoint == "api.action" and response.status_code == 500:
        response = jsonify({"success": False, "error": {"__type": "Too Many Requests", "message": tk._(TOO_MANY)}})
        response.status_code = 429
        response.headers["Retry-After"] = "3600"
    return response
