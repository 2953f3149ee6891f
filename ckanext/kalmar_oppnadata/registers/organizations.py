"""The organizations of Kalmar län as package data, and their idempotent loading into CKAN.

``data/organizations.yaml`` is the single source. Loading creates missing organizations and fills
fields that are empty in the portal; a value the region changed in the web UI is kept (and reported)
unless ``overwrite`` is asked for. Running it twice changes nothing.
"""
from __future__ import annotations

import dataclasses
from importlib import resources
from typing import Any, Callable

import sqlalchemy as sa
import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import site_context
from ckanext.kalmar_oppnadata.registers import geometry, identifiers

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

def own_fields(id_or_name: str) -> dict[str, Any] | None:
    """An active organization's title and its schema's own fields (``spatial``, ``email``...) as stored,
    from its row alone; None if there is no such organization. For what a save or a page reads on every
    request, where ``organization`` (the whole ``organization_show``, validation included) cost several
    milliseconds. The stored values are what the schema's validators made of the input; its output has
    no validators of its own."""
    row = (model.Session.query(model.Group.title, model.Group.extras)
           .filter(sa.or_(model.Group.id == id_or_name, model.Group.name == id_or_name),
                   model.Group.is_organization.is_(True), model.Group.state == "active").first())
    return None if row is None else {**(row.extras or {}), "title": row.title}


def _text(value: Any) -> str:
    return str(value).strip()


# Fields the data file may set, with their stored (canonical) form, the same the organization schema's
# validators store, so that file values and portal values are compared like for like.
FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": _text,
    "description": _text,
    "identifier": lambda v: identifiers.canonical_orgnr(_text(v)),
    "municipality_code": lambda v: identifiers.canonical_municipality_code(_text(v)),
    "dcat_type": _text,
    "url": _text,
    "email": lambda v: _text(v).removeprefix("mailto:"),
    "contact_name": _text,
    "psidata_url": _text,
    "geonames_uri": lambda v: identifiers.canonical_geonames_uri(_text(v)),
    "spatial": lambda v: geometry.to_text(geometry.parse_extent(v)),
}


def all_organizations() -> list[dict[str, Any]]:
    """Every active organization (name, title, …), sorted by title: one query for every page that lists them."""
    orgs = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
    return sorted(orgs, key=lambda o: o["title"])


def dataportal_uri(org: dict[str, Any]) -> str | None:
    """``http://dataportal.se/organisation/SE<orgnr>``: how Sveriges dataportal knows the organization as a
    publisher, when its organisation number is known (and valid)."""
    try:
        return identifiers.dataportal_publisher_uri(org["identifier"]) if org.get("identifier") else None
    except identifiers.InvalidIdentifier:
        return None


def publisher_uri(org: dict[str, Any]) -> str:
    """The organization's URI as a publisher in every catalog: dataportal.se's when the organisation number
    is known, else the portal's own stable URI of the organization."""
    from ckanext.dcat.utils import catalog_uri

    return dataportal_uri(org) or f"{catalog_uri().rstrip('/')}/organization/{org['id']}"


def publisher_uri_of_dataset(dataset: dict[str, Any]) -> str | None:
    """The publisher URI of a dataset's organization (None without one)."""
    org_id = (dataset.get("organization") or {}).get("id") or dataset.get("owner_org")
    org = organization(org_id) if org_id else None
    return publisher_uri(org) if org else None


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
    changes = []
    for wanted in load_organizations():
        context = site_context()
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


def dataset_default(org_id: str, field: str, read: dict[str, Any] | None = None) -> str:
    """The value ``field`` of a new dataset of organization ``org_id`` defaults to ('' if none). ``read``
    keeps the organizations read, for the next field of the same save (one read per save, not per field)."""
    read = {} if read is None else read
    if org_id and org_id not in read:
        read[org_id] = own_fields(org_id)
    org = read.get(org_id) if org_id else None
    if org is None:
        return ""
    for source in DATASET_DEFAULTS[field]:
        if org.get(source):
            return org[source]
    return ""
