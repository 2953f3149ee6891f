"""Schemas of the arguments of the extension's actions (validated with ``navl_validate``).

Every argument is text: a number, list or object where text is expected, a NUL character or an
over-long value gives a validation error (409) naming the argument, never a server error.
"""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.logic.validators import kalmar_max_length

# Longer than any dataset id, goal URI or specification URI; short enough to refuse junk.
MAX_ARGUMENT_LENGTH = 2000

ignore_missing = tk.get_validator("ignore_missing")
not_empty = tk.get_validator("not_empty")


def text_argument(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a goal number sent as a JSON number
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Must be text"))
    return kalmar_max_length(MAX_ARGUMENT_LENGTH)(value)


def text_list_argument(value: Any) -> list[str]:
    """A list of texts, or a comma-separated text (as ``as_list`` reads it)."""
    if not isinstance(value, (str, list, tuple)):
        raise tk.Invalid(tk._("Must be text"))
    return [text_argument(item) for item in as_list(value)]


def _required_text() -> list[Any]:
    return [not_empty, text_argument]


def by_id() -> dict[str, Any]:
    return {"id": _required_text(), "__extras": [ignore_missing]}


def by_package_id() -> dict[str, Any]:
    return {"package_id": _required_text(), "__extras": [ignore_missing]}


def by_uri() -> dict[str, Any]:
    return {"uri": _required_text(), "__extras": [ignore_missing]}


def suggest() -> dict[str, Any]:
    return {"conforms_to": [ignore_missing, text_list_argument], "__extras": [ignore_missing]}


def tag_query() -> dict[str, Any]:
    """CKAN's tag actions take the search text as ``q`` or ``query``."""
    return {"q": [ignore_missing, text_argument], "query": [ignore_missing, text_argument],
            "vocabulary_id": [ignore_missing, text_argument], "__extras": [ignore_missing]}


def arguments(make_schema: Callable[[], dict[str, Any]]) -> Callable[[Any], Any]:
    """Declares the schema an action validates its arguments with (the action calls ``validate`` with it),
    so that its OpenAPI description lists them (openapi/portal.py)."""
    def declare(action: Any) -> Any:
        action.argument_schema = make_schema
        return action
    return declare


def validate(data_dict: dict[str, Any], schema: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """The validated arguments; a ValidationError naming each bad one."""
    data, errors = tk.navl_validate(dict(data_dict), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data
