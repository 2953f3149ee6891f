"""The register of national dataset specifications (``data/specifications.yaml``)."""
from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Iterable

import yaml

from . import requested_datasets, vocabularies


@functools.cache
def specifications() -> tuple[dict[str, Any], ...]:
    text = resources.files("ckanext.kalmar_oppnadata").joinpath("data", "specifications.yaml")
    entries = yaml.safe_load(text.read_text("utf-8"))["specifications"]
    for entry in entries:
        entry["themes"] = vocabularies.normalize_many("data-theme", entry.get("themes", []))
        goals: list[str] = []
        for requested_id in entry.get("requested", []):
            requested = requested_datasets.get(requested_id)
            if requested is None:
                raise ValueError(f"specification {entry['name']!r}: unknown requested dataset {requested_id!r}")
            goals.extend(requested["goals"])
        entry["goals"] = vocabularies.normalize_many("sdg", goals)
    return tuple(entries)


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
