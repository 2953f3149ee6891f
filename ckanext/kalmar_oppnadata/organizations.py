"""The organizations of Kalmar län as package data, and their idempotent loading into CKAN.

``data/organizations.yaml`` is the single source. Loading creates missing organizations and fills
fields that are empty in the portal; a value the region changed in the web UI is kept (and reported)
unless ``overwrite`` is asked for. Running it twice changes nothing.
"""
from __future__ import annotations

import dataclasses
from importlib import resources
from typing import Any, Callable

import yaml

import ckan.plugins.toolkit as tk

from .logic import validators

DATA_FILE = "organizations.yaml"

# What organization_show should leave out when only the organization's own fields are needed: each of
# these costs a Solr query (dataset counts), which also makes saving a dataset depend on Solr twice.
_OWN_FIELDS_ONLY = {"include_datasets": False, "include_dataset_count": False, "include_groups": False,
                    "include_users": False, "include_followers": False}


def organization(id_or_name: str) -> dict[str, Any] | None:
    """An organization with all its own fields (scheming fields included), or None if there is none.

    Reads the database only: no dataset counts, so no search query."""
    try:
        return tk.get_action("organization_show")({"ignore_auth": True}, {"id": id_or_name, **_OWN_FIELDS_ONLY})
    except tk.ObjectNotFound:
        return None

# Fields the data file may set, with the validator that gives their stored (canonical) form,
# so that file values and portal values are compared like for like.
FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": lambda v: str(v).strip(),
    "description": lambda v: str(v).strip(),
    "identifier": validators.kalmar_orgnr,
    "municipality_code": validators.kalmar_municipality_code,
    "dcat_type": lambda v: str(v).strip(),
    "url": validators.kalmar_http_url,
    "email": validators.kalmar_email,
    "contact_name": lambda v: str(v).strip(),
    "psidata_url": validators.kalmar_http_url,
    "geonames_uri": validators.kalmar_geonames_uri,
    "spatial": validators.kalmar_extent,
}


@dataclasses.dataclass
class Change:
    name: str
    action: str  # created | updated | unchanged | kept | skipped
    fields: list[str] = dataclasses.field(default_factory=list)
    kept: list[str] = dataclasses.field(default_factory=list)


def load_organizations() -> list[dict[str, Any]]:
    """The organizations of the data file, every field in its canonical form (empty ones dropped)."""
    text = resources.files("ckanext.kalmar_oppnadata").joinpath("data", DATA_FILE).read_text("utf-8")
    result = []
    for entry in yaml.safe_load(text)["organizations"]:
        org = {"name": entry["name"]}
        for field, canonical in FIELDS.items():
            value = entry.get(field)
            if value not in (None, ""):
                org[field] = canonical(value)
        result.append(org)
    return result


def sync_organizations(overwrite: bool = False) -> list[Change]:
    """Create or complete the organizations of the data file (see the module docstring)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    changes = []
    for wanted in load_organizations():
        context = {"user": site_user["name"], "ignore_auth": True}
        existing = organization(wanted["name"])
        if existing is None:
            tk.get_action("organization_create")(dict(context), dict(wanted))
            changes.append(Change(wanted["name"], "created", sorted(set(wanted) - {"name"})))
            continue
        if existing.get("state") == "deleted" and not overwrite:
            changes.append(Change(wanted["name"], "skipped"))
            continue

        patch, kept = {}, []
        for field, value in wanted.items():
            current = existing.get(field) or ""
            if field == "name" or current == value:
                continue
            if current and not overwrite:
                kept.append(field)
            else:
                patch[field] = value
        if existing.get("state") == "deleted":
            patch["state"] = "active"
        if patch:
            tk.get_action("organization_patch")(dict(context), {"id": existing["id"], **patch})
            changes.append(Change(wanted["name"], "updated", sorted(patch), kept))
        else:
            changes.append(Change(wanted["name"], "kept" if kept else "unchanged", [], kept))
    return changes


# The defaults a dataset takes from its organization: dataset field → organization fields, first set wins.
DATASET_DEFAULTS: dict[str, tuple[str, ...]] = {
    "contact_name": ("contact_name", "title"),
    "contact_email": ("email",),
    "spatial": ("spatial",),
    "spatial_uri": ("geonames_uri",),
}


def dataset_default(org_id: str, field: str) -> str:
    """The value ``field`` of a new dataset of organization ``org_id`` defaults to ('' if none)."""
    org = organization(org_id) if org_id else None
    if org is None:
        return ""
    for source in DATASET_DEFAULTS[field]:
        if org.get(source):
            return org[source]
    return ""
