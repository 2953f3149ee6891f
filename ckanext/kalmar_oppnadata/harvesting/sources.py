"""Harvest sources: one per organization catalog, created here from the CLI (the web form is ckanext-harvest's)."""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from rdflib.util import guess_format

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import site_context


def _format_of(url: str) -> str | None:
    """RDF format by the address's file extension (rdflib's own table); None lets the server's content
    type decide."""
    return guess_format(urlsplit(url).path)


def create(organization: str, url: str, *, title: str | None = None, name: str | None = None,
           frequency: str = "WEEKLY", classification_confirmed: bool = False) -> dict[str, Any]:
    """A ckanext-dcat RDF harvest source for ``organization`` (id or name), as the site user; its datasets
    are public only if ``classification_confirmed`` (see ``classification``)."""
    context = site_context()
    org = tk.get_action("organization_show")(dict(context), {"id": organization})
    fmt = _format_of(url)
    data = {
        "name": name or re.sub(r"[^a-z0-9_-]+", "-", f"{org['name']}-katalog".lower())[:100],
        "title": title or f"{org['title']}, egen katalog",
        "url": url,
        "source_type": "dcat_rdf",
        "owner_org": org["id"],
        "frequency": frequency,
        "config": json.dumps({"rdf_format": fmt}) if fmt else "",
        "classification_confirmed": classification_confirmed,
    }
    source = tk.get_action("harvest_source_create")(dict(context), data)
    return {"id": source["id"], "name": source["name"]}
