"""The dialog's actions and their authorization (re-exported by logic/action.py and logic/auth.py): questions
and error reports about a dataset, and the answers of its editors. Each action's docstring is its API
documentation (``help_show``, and the arguments in ``/openapi/kalmar.json``)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.dialog import guard, mails, store
from ckanext.kalmar_oppnadata.jobs import queue
from ckanext.kalmar_oppnadata.logic import schema


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    return value.strip() if isinstance(value, str) else ""


def _public_dataset(package_id: str) -> model.Package:
    package = model.Package.get(package_id) if package_id else None
    if package is None or package.private or package.state != "active":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package


def question_create(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Ask a question or report an error about a public dataset; anyone may, also without an account. The
    dataset's contact point gets it by e-mail; the address given is never shown.

    :param package_id: the dataset's id or name
    :type package_id: string
    :param message: the question, or what is wrong (at most 4,000 characters)
    :type message: string
    :param email: an address the answer can be sent to
    :type email: string
    :param name: (optional) the asker's name
    :type name: string
    :param kind: (optional) ``question`` (the default) or ``error``
    :type kind: string
    :returns: ``{"id", "created"}``
    """
    tk.check_access("question_create", context, data_dict)
    schema.validate(data_dict, schema.by_package_id(), context)  # no dataset named: a 409 naming it
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
    """The questions about one dataset or about all datasets of an organization, with their answers,
    without the askers' addresses; for the organization's editors.

    :param package_id: (optional) the dataset's id or name; or
    :type package_id: string
    :param owner_org: (optional) the organization's id or name
    :type owner_org: string
    :returns: the questions, newest first
    """
    if context.get("user") and not _text(data_dict, "package_id") and not _text(data_dict, "owner_org"):
        named = [tk._("Name a dataset or an organization")]  # anonymous callers are refused first (403)
        raise tk.ValidationError({"package_id": named, "owner_org": named})
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
    """Answer a question (the dataset's editors); the answer is mailed to the asker.

    :param id: the question's id
    :type id: string
    :param answer: the answer (at most 4,000 characters)
    :type answer: string
    :param publish: (optional) show the question and its answer on the dataset page (default false)
    :type publish: boolean
    :returns: the question with its answer
    """
    schema.validate(data_dict, schema.by_id(), context)  # no id: a 409 naming it
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
