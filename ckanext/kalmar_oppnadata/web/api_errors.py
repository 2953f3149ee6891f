"""The Action API's refusals in one language.

CKAN writes two of its refusals without ``_()`` (``ckan/authz.py``: an action that needs a logged-in user;
``ckan/logic/auth/get.py``: ``get_site_user``) and the DataStore one that no catalog can translate (it is
formatted before ``_()``), so an anonymous caller of the Swedish API read
"Åtkomst nekad: Action datastore_create requires an authenticated user". These are given in the language of
the rest of the answer; every other refusal already is (tests/test_api_language.py).
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

import ckan.plugins.toolkit as tk

UNTRANSLATED: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(r"Action (\w+) requires an authenticated user"),
     lambda m: tk._("The action {action} needs a logged-in user (an API token)").format(action=m.group(1))),
    (re.compile(r"Only internal services allowed to use this action"),
     lambda m: tk._("Only the portal's own services may use this action")),
    # ckanext-datastore formats the message before translating it, so no catalog can match it.
    (re.compile(r"User .* not authorized to perform (\w+) on resource (\S+)"),
     lambda m: tk._("Not allowed to {privilege} on the resource {resource}").format(
         privilege=m.group(1), resource=m.group(2))),
]


def translated_message(message: str) -> str | None:
    """The refusal in the answer's language, or None when it already is."""
    prefix = tk._("Access denied: %s") % ""
    detail = message[len(prefix):] if message.startswith(prefix) else None
    for pattern, words in UNTRANSLATED:
        match = pattern.fullmatch(detail) if detail is not None else None
        if match:
            return prefix + words(match)
    return None


def one_language(response: Any) -> Any:
    """``after_request`` of the Action API: a 403 whose message CKAN left in English, translated."""
    if tk.request.endpoint != "api.action" or response.status_code != 403 or not response.is_json:
        return response
    body = response.get_json(silent=True)
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    better = translated_message(message) if isinstance(message, str) else None
    if better:
        error["message"] = better
        response.set_data(json.dumps(body))
    return response
