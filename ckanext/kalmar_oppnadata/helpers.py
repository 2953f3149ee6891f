"""Template helpers (registered with ``toolkit.blanket.helpers``)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import identifiers

__all__ = ["kalmar_organization_facts", "kalmar_publisher_uri"]

# Organization fields shown as facts, in this order; the rest of the schema is form-only.
_FACT_FIELDS = ("identifier", "municipality_code", "dcat_type", "url", "email", "contact_name",
                "psidata_url", "geonames_uri")
_LINK_FIELDS = {"url", "psidata_url", "geonames_uri"}


def kalmar_organization_facts(org: dict[str, Any]) -> list[dict[str, Any]]:
    """The organization's facts as rows {label, value, href}, labels and choices in the UI language."""
    schema = tk.h.scheming_get_organization_schema(org.get("type") or "organization") or {}
    fields = {f["field_name"]: f for f in schema.get("fields", [])}
    rows = []
    for name in _FACT_FIELDS:
        field, value = fields.get(name), org.get(name)
        if not field or not value:
            continue
        shown = value
        if field.get("choices"):
            shown = tk.h.scheming_choices_label(field["choices"], value)
        href = value if name in _LINK_FIELDS else (f"mailto:{value}" if name == "email" else None)
        rows.append({"label": tk.h.scheming_language_text(field["label"]), "value": shown, "href": href})
    return rows


def kalmar_publisher_uri(org: dict[str, Any]) -> str | None:
    """``http://dataportal.se/organisation/SE<orgnr>`` when the organisation number is known."""
    orgnr = org.get("identifier")
    if not orgnr:
        return None
    try:
        return identifiers.dataportal_publisher_uri(orgnr)
    except identifiers.InvalidIdentifier:
        return None
