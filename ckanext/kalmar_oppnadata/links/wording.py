"""What a link check says to people: on the resource page, the organization page and the overview."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language, recorded


def result(resource: dict[str, Any]) -> dict[str, Any] | None:
    return recorded(resource, "link_check")


def broken(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's resources whose last link check failed."""
    return [r for r in dataset.get("resources") or [] if (result(r) or {}).get("status") == "broken"]


def problem(check: dict[str, Any]) -> str:
    """Why the link did not work, in the visitor's language."""
    kind, detail = check.get("problem"), check.get("detail") or ""
    if kind == "http_error":
        return tk._("the server answered with error code {code}").format(code=detail)
    if kind == "timeout":
        return tk._("the server did not answer within {seconds} seconds").format(seconds=detail)
    if kind == "wrong_type":
        return tk._("the address gives {given} instead of the file ({expected})").format(
            given=detail, expected=check.get("expected") or tk._("another format"))
    if kind == "refused":
        # fetch's own sentence, in both languages: "Adressen … hämtas inte: fler än 5 omdirigeringar."
        return detail.get(current_language(), detail.get("sv", "")) if isinstance(detail, dict) else str(detail)
    return tk._("no connection could be made to the server")
