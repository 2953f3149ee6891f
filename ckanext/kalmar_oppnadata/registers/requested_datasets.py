"""The register of requested datasets: the 28 the feasibility study found in demand
(``data/requested_datasets.yaml``, package data) followed by those the region added since from approved
requests for data (table ``kalmar_oppnadata_requested_dataset``, written by ``data_request_update``;
data_requests/). Everything that reads the register (the ``answers`` field, its facet, specifications, the
overview) sees both, in this order: the study's entries keep their numbers 1–28, added ones follow.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime, timezone
from importlib import resources
from typing import Any

import sqlalchemy as sa
import yaml

import ckan.model as model
from ckan.model.meta import metadata

STUDY, REQUEST = "study", "request"  # where an entry comes from (``source``)

added_table = sa.Table(
    "kalmar_oppnadata_requested_dataset", metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("name", sa.UnicodeText, nullable=False),
    sa.Column("name_en", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("request_id", sa.UnicodeText),  # the request for data it came from (migration: a foreign key)
    sa.Column("created", sa.DateTime, nullable=False),
)


@functools.cache
def study() -> tuple[dict[str, Any], ...]:
    """The study's 28, from the package data."""
    text = resources.files("ckanext.kalmar_oppnadata").joinpath("data", "requested_datasets.yaml")
    entries = yaml.safe_load(text.read_text("utf-8"))["requested_datasets"]
    for entry in entries:
        entry["goals"] = [str(g) for g in entry.get("goals", [])]
        entry["source"] = STUDY
    return tuple(entries)


def added() -> list[dict[str, Any]]:
    """The entries the region added from requests for data, oldest first."""
    rows = model.Session.execute(sa.select(added_table).order_by(added_table.c.created, added_table.c.id)).all()
    return [{"id": r.id, "name": r.name, "name_en": r.name_en or r.name, "goals": [], "source": REQUEST,
             "request_id": r.request_id} for r in rows]


def requested_datasets() -> tuple[dict[str, Any], ...]:
    return (*study(), *added())


def get(entry_id: str) -> dict[str, Any] | None:
    return next((e for e in requested_datasets() if e["id"] == entry_id), None)


def in_study(entry_id: str) -> dict[str, Any] | None:
    """One of the study's 28 (no database: for package data that names them, e.g. the specifications)."""
    return next((e for e in study() if e["id"] == entry_id), None)


def slug(name: str) -> str:
    """An entry's id from its Swedish name, as the study's ids are made ("El- och energianvändning" →
    "el-och-energianvandning")."""
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80]


def add(name: str, name_en: str, request_id: str) -> dict[str, Any]:
    """Add an entry (in the caller's transaction; the caller commits). The caller has checked that its id
    (``slug(name)``) is free."""
    row = {"id": slug(name), "name": name, "name_en": name_en, "request_id": request_id,
           "created": datetime.now(timezone.utc).replace(tzinfo=None)}
    model.Session.execute(added_table.insert().values(**row))
    return get(row["id"]) or row
