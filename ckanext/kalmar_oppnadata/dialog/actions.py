"""The dialog's actions and their authorization (re-exported by logic/action.py and logic/auth.py).

- ``question_create`` (anyone, also without an account): a question or an error report about a public,
  active dataset. Answers ``{"id", "created"}``, never the address given.
- ``question_list`` (the dataset's editors): the questions about one dataset (``package_id``) or about all
  of an organization's datasets (``owner_org``), without the askers' addresses.
- ``question_answer`` (the dataset's editors): the answer, mailed to the asker; ``publish`` shows question
  and answer on the dataset page.
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.dialog import guard, mails, store
from ckanext.kalmar_oppnadata.jobs import queue


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    return value.strip() if isinstance(value, str) else ""


def _public_dataset(package_id: str) -> model.Package:
    package = model.Package.get(package_id) if package_id else None
    if package is None or package.private or package.state != "active":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package


def question_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    tk.check_access("question_create", context, data_dict)
    package = _public_dataset(_text(data_dict, "package_id"))
    message, email, name = _text(data_dict, "message"), _text(data_dict, "email"), _text(data_dict, "name")
    kind = _text(data_dict, "kind") or "question"
    errors: dict[str, list[str]] = {}
    if not message:
        errors["message"] = [tk._("Write your question or what is wrong")]
    elif len(message) > guard.MAX_MESSAGE:
        errors["message"] = [tk._("At most {limit} characters (now {count})").format(
            limit=guard.MAX_MESSAGE, count=len(message))]
    if not guard.EMAIL.match(email) or len(email) > guard.MAX_EMAIL:
        errors["email"] = [tk._("Give an e-mail address we can answer to, e.g. namn@example.se")]
    if len(name) > guard.MAX_NAME:
        errors["name"] = [tk._("At most {limit} characters (now {count})").format(limit=guard.MAX_NAME,
                                                                                 count=len(name))]
    if kind not in store.KINDS:
        errors["kind"] = [tk._("Choose a question or an error report")]
    if errors:
        raise tk.ValidationError(errors)
    if guard.over_limit(guard.client_address(), email, package.id):
        raise guard.TooMany()
    question = store.add(package.id, kind, name, email, message)
    queue.enqueue_unique(mails.tell_contact_point, f"kalmar-question-{question['id']}",
                         "Mail a question to the dataset's contact point", [question["id"]])
    return {"id": question["id"], "created": question["created"]}


@tk.side_effect_free
def question_list(context: dict[str, Any], data_dict: dict[str, Any]) -> list[dict[str, Any]]:
    tk.check_access("question_list", context, data_dict)
    if data_dict.get("package_id"):
        package = model.Package.get(data_dict["package_id"])
        return store.for_datasets([package.id] if package else [])
    org = model.Group.get(data_dict.get("owner_org") or "")
    if org is None:
        raise tk.ObjectNotFound(tk._("Organization not found"))
    ids = [row.id for row in model.Session.query(model.Package.id).filter(
        model.Package.owner_org == org.id, model.Package.state != "deleted")]
    return store.for_datasets(ids)


def question_answer(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    question = store.get(_text(data_dict, "id"))
    if question is None:
        raise tk.ObjectNotFound(tk._("Question not found"))
    tk.check_access("question_answer", context, {"package_id": question["package_id"]})
    text = _text(data_dict, "answer")
    if not text:
        raise tk.ValidationError({"answer": [tk._("Write the answer")]})
    if len(text) > guard.MAX_MESSAGE:
        raise tk.ValidationError({"answer": [tk._("At most {limit} characters (now {count})").format(
            limit=guard.MAX_MESSAGE, count=len(text))]})
    user = model.User.get(context.get("user") or "")
    answered = store.answer(question["id"], text, user.id if user else "", tk.asbool(data_dict.get("publish")))
    queue.enqueue_unique(mails.tell_asker, f"kalmar-answer-{question['id']}",
                         "Mail the answer to the asker", [question["id"]])
    return answered


# Authorization
@tk.auth_allow_anonymous_access
def question_create_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return {"success": True}


def _may_edit(context: dict[str, Any], package_id: str | None = None, owner_org: str | None = None):
    if package_id:
        package = model.Package.get(package_id)
        if package is None:
            return {"success": False, "msg": tk._("Dataset not found")}
        owner_org = package.owner_org
    if not owner_org:
        return {"success": False, "msg": tk._("Name a dataset or an organization")}
    try:
        tk.check_access("package_create", context, {"owner_org": owner_org})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Only the organization's editors may see and answer questions")}
    return {"success": True}


def question_list_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return _may_edit(context, data_dict.get("package_id"), data_dict.get("owner_org"))


def question_answer_auth(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, bool]:
    return _may_edit(context, data_dict.get("package_id"))
