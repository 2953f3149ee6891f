"""Harvest sources: one per organization catalog, created here from the CLI (the web form is ckanext-harvest's,
with our template), and checked whichever way they are saved (``check``)."""
from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from rdflib.util import guess_format

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language, portal_gettext, site_context
from ckanext.kalmar_oppnadata.files import fetch


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


def _(message: str) -> str:
    """In the request's language; from the CLI (no request), in the portal's."""
    from flask import has_request_context

    return tk._(message) if has_request_context() else portal_gettext(message)


def _address_problem(url: str) -> str | None:
    """Why the portal cannot harvest ``url`` (a sentence naming the field), or None if it can: an http(s)
    address with a host name that is a public address (``files.fetch``, the check every download makes)."""
    parts = urlsplit(url)
    if not parts.scheme and not url.startswith("//"):
        return _("The source address must begin with https:// or http://, for example {example}.").format(
            example="https://" + url)
    try:
        fetch.checked_address(url)
    except fetch.AddressRefused as refused:
        return _("The source address cannot be harvested: {reason}").format(
            reason=refused.sv if current_language() == "sv" else refused.en)
    return None


def check(data_dict: dict[str, Any], existing: Any = None) -> None:
    """Before a source is created or updated (``existing``: its ``model.Package``): it belongs to an
    organization, and its address is one the portal can harvest (checked again at every download, since
    what a name points to can change). An unchanged address is not looked up again. Raises
    ``ValidationError`` with a message at each field; nothing is saved."""
    errors: dict[str, list[str]] = {}
    if existing is None or "owner_org" in data_dict:
        if not (data_dict.get("owner_org") or (existing.owner_org if existing is not None else None)):
            errors["owner_org"] = [_("Choose the organization the catalog belongs to.")]
    url = (data_dict.get("url") or "").strip()
    if existing is None or ("url" in data_dict and url != (existing.url or "")):
        problem = _address_problem(url) if url else _("Give the source address: the address of the catalog.")
        if problem:
            errors["url"] = [problem]
        else:
            data_dict["url"] = url
    if errors:
        raise tk.ValidationError(errors)


def label_facets(facets: dict[str, Any]) -> None:
    """The harvest sources page's facets (ckanext-harvest's ``frequency`` and ``source_type``) by the names
    its form uses, in the visitor's language, instead of the stored codes (MANUAL, dcat_rdf)."""
    frequencies = facets.get("frequency", {}).get("items", [])
    source_types = facets.get("source_type", {}).get("items", [])
    if frequencies:
        names = {f["value"]: f["text"] for f in tk.h.harvest_frequencies()}
        for item in frequencies:
            item["display_name"] = names.get(item["name"], item["display_name"])
    if source_types:
        names = {h["name"]: tk._(h["title"]) for h in tk.get_action("harvesters_info_show")({}, {})}
        for item in source_types:
            item["display_name"] = names.get(item["name"], item["display_name"])
