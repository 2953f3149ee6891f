"""The demo collection (``data/demo/``): a living portal for newcomers, browser tests and benchmarks.

Loaded by ``ckan kalmar setup`` unless ``--no-demo``. A dataset that already exists (by name, in any
state) is left alone, so loading twice changes nothing and the region's edits are never overwritten.
"""
from __future__ import annotations

import dataclasses
import io
from importlib import resources
from typing import Any

import yaml
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import site_context

DEMO_TAG = "demodata"


@dataclasses.dataclass
class Loaded:
    name: str
    action: str  # created | exists


def _demo_dir():
    return resources.files("ckanext.kalmar_oppnadata").joinpath("data", "demo")


def load_definitions() -> list[dict[str, Any]]:
    return yaml.safe_load(_demo_dir().joinpath("datasets.yaml").read_text("utf-8"))["datasets"]


def _resource(definition: dict[str, Any]) -> dict[str, Any]:
    resource = {k: v for k, v in definition.items() if k != "file"}
    if "file" in definition:
        content = _demo_dir().joinpath(definition["file"]).read_bytes()
        resource["upload"] = FileStorage(io.BytesIO(content), filename=definition["file"])
        resource["url"] = definition["file"]
    return resource


def load_demo() -> list[Loaded]:
    loaded = []
    for definition in load_definitions():
        context = site_context()
        try:
            tk.get_action("package_show")(dict(context), {"id": definition["name"]})
            loaded.append(Loaded(definition["name"], "exists"))
            continue
        except tk.ObjectNotFound:
            pass
        dataset = {k: v for k, v in definition.items() if k not in ("resources", "tags")}
        dataset["tags"] = [{"name": t} for t in definition.get("tags", [])]
        if DEMO_TAG not in definition.get("tags", []):
            dataset["tags"].append({"name": DEMO_TAG})
        # As an editor does in the form: the description as a draft, then its files, then published (a
        # public dataset needs a file or link, logic/publishing.py).
        resources = definition.get("resources", [])
        if resources:
            dataset["state"] = "draft"
        created = tk.get_action("package_create")(dict(context), dataset)
        for resource in resources:
            tk.get_action("resource_create")(dict(context), {"package_id": created["id"], **_resource(resource)})
        if resources:
            tk.get_action("package_patch")(dict(context), {"id": created["id"], "state": "active"})
        loaded.append(Loaded(definition["name"], "created"))
    return loaded
