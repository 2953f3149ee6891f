"""The 28 datasets the feasibility study found in demand (``data/requested_datasets.yaml``)."""
from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml


@functools.cache
def requested_datasets() -> tuple[dict[str, Any], ...]:
    text = resources.files("ckanext.kalmar_oppnadata").joinpath("data", "requested_datasets.yaml")
    entries = yaml.safe_load(text.read_text("utf-8"))["requested_datasets"]
    for entry in entries:
        entry["goals"] = [str(g) for g in entry.get("goals", [])]
    return tuple(entries)


def get(entry_id: str) -> dict[str, Any] | None:
    return next((e for e in requested_datasets() if e["id"] == entry_id), None)
