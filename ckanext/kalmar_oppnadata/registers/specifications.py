"""The register of national dataset specifications (``data/specifications.yaml``), and each one's Table
Schema: its columns and CSV template (``table_schemas``), found by the specification's ``slug``."""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Iterable

import yaml

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import as_list
from ckanext.kalmar_oppnadata.registers import requested_datasets, table_schemas, vocabularies


def _register_text() -> str:
    path = tk.config.get("ckanext.kalmar_oppnadata.specifications_file")
    if path:
        with open(path, encoding="utf-8") as f:
            return f.read()
    return resources.files("ckanext.kalmar_oppnadata").joinpath("data", "specifications.yaml").read_text("utf-8")


@functools.cache
def _load(text: str) -> tuple[dict[str, Any], ...]:
    entries = yaml.safe_load(text)["specifications"]
    for entry in entries:
        entry["themes"] = vocabularies.normalize_many("data-theme", entry.get("themes", []))
        goals: list[str] = []
        for requested_id in entry.get("requested", []):
            requested = requested_datasets.in_study(requested_id)
            if requested is None:
                raise ValueError(f"specification {entry['name']!r}: unknown requested dataset {requested_id!r}")
            goals.extend(requested["goals"])
        entry["goals"] = vocabularies.normalize_many("sdg", goals)
        entry["has_table_schema"] = bool(entry.get("table_schema"))
        entry["slug"] = table_schemas.slug(entry["name"])
    return tuple(entries)


def specifications() -> tuple[dict[str, Any], ...]:
    """The register; re-read when its file changes (the region edits it without a restart)."""
    return _load(_register_text())


def table_schema(spec: dict[str, Any]) -> dict[str, Any] | None:
    """The specification's Frictionless Table Schema descriptor, if it has one."""
    name = spec.get("table_schema")
    if not name:
        return None
    if name.startswith("/"):  # a schema of the region's own, next to its own register
        with open(name, encoding="utf-8") as f:
            return json.load(f)
    text = resources.files("ckanext.kalmar_oppnadata").joinpath("data", "table-schemas", name).read_text("utf-8")
    return json.loads(text)


def columns(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The columns a file following the specification has (``table_schemas.columns``); none without a schema."""
    schema = table_schema(spec)
    return table_schemas.columns(schema) if schema else []


def template_csv(spec: dict[str, Any]) -> str:
    """The CSV template of a specification with a Table Schema (``table_schemas.template_csv``)."""
    return table_schemas.template_csv(table_schema(spec))


def by_slug(value: str) -> dict[str, Any] | None:
    """The specification with a Table Schema whose ``slug`` this is (the address of its CSV template)."""
    return next((s for s in specifications() if s.get("table_schema") and s["slug"] == value), None)


def get(uri: str) -> dict[str, Any] | None:
    """The specification with this URI (ignoring a trailing slash), if it is in the register."""
    wanted = str(uri or "").strip().rstrip("/")
    if not wanted:
        return None
    return next((s for s in specifications() if s["uri"] and s["uri"].rstrip("/") == wanted), None)


def suggestions(conforms_to: Iterable[str]) -> dict[str, list[str]]:
    """Goals and themes suggested for a dataset conforming to these specifications."""
    goals: list[str] = []
    themes: list[str] = []
    for uri in conforms_to:
        spec = get(uri)
        if spec:
            goals.extend(spec["goals"])
            themes.extend(spec["themes"])
    return {"sdg": vocabularies.normalize_many("sdg", goals),
            "theme": vocabularies.normalize_many("data-theme", themes)}


def for_dataset(dataset: dict[str, Any]) -> dict[str, Any] | None:
    """The first specification the dataset conforms to that has a Table Schema."""
    for uri in as_list(dataset.get("conforms_to")):
        spec = get(str(uri))
        if spec and spec.get("table_schema"):
            return spec
    return None
