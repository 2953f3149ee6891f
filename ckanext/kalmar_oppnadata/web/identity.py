"""The portal's own identity on every page: its logo (with alt text) and favicon, who runs it and whom to
contact (``/about``), and the short description of an organization that has written none of its own.

Logo, alt text, favicon and contact address are typed settings (``config_declaration.yaml``); the logo
and favicon shipped in ``public/kalmar_oppnadata/`` are the defaults. Who runs the portal is the
organization named by ``ckanext.kalmar_oppnadata.catalog_publisher`` (the region). No contact detail is
ever made up: without a configured address, ``/about`` points to the address the region's organization
has in the portal, else to its website.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.registers import organizations

LOGO = "ckanext.kalmar_oppnadata.logo"
LOGO_ALT = "ckanext.kalmar_oppnadata.logo_alt"
FAVICON = "ckanext.kalmar_oppnadata.favicon"
CONTACT_EMAIL = "ckanext.kalmar_oppnadata.contact_email"
OPERATOR = "ckanext.kalmar_oppnadata.catalog_publisher"

LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"
REGIONAL_AUTHORITY = "http://purl.org/adms/publishertype/RegionalAuthority"
COMPANY = "http://purl.org/adms/publishertype/Company"
COUNTY_CODE = "08"  # Statistics Sweden's code of Kalmar län: its municipality codes start with it


def logo() -> dict[str, str]:
    """The header's logo: ``url`` (a path in the portal or a full address) and ``alt``."""
    return {"url": tk.h.url_for_static_or_external(tk.config.get(LOGO)),
            "alt": tk.config.get(LOGO_ALT) or tk.config.get("ckan.site_title")}


def favicon() -> str:
    return tk.h.url_for_static_or_external(tk.config.get(FAVICON))


def operator() -> dict[str, Any] | None:
    """The organization that runs the portal (the region), with its own fields."""
    name = tk.config.get(OPERATOR)
    return organizations.organization(name) if name else None


def contact() -> dict[str, str]:
    """Whom to contact about the portal: ``email`` (configured, else the region's organization's), and the
    region's ``title`` and ``url`` (its website) for when no address is known."""
    org = operator() or {}
    return {"email": tk.config.get(CONTACT_EMAIL) or org.get("email") or "",
            "title": org.get("title") or "", "url": org.get("url") or ""}


def organization_description(org: dict[str, Any]) -> list[dict[str, str | None]]:
    """Sentences (``text``, and a ``link`` that follows it) about an organization, built only from what is
    recorded on it (organizations.yaml, loaded by ``ckan kalmar setup``, or the region's edits): its kind,
    municipality code, organisation number, website and own open-data page. Empty when nothing is."""
    title = org.get("title") or org.get("name") or ""
    kind, code = org.get("dcat_type"), org.get("municipality_code") or ""
    sentences: list[Any] = []
    if kind == LOCAL_AUTHORITY and code.startswith(COUNTY_CODE):
        sentences.append(tk._("{title} is a municipality in Kalmar län (municipality code {code}).").format(
            title=title, code=code))
    elif kind == LOCAL_AUTHORITY:
        sentences.append(tk._("{title} is a municipality.").format(title=title))
    elif kind == REGIONAL_AUTHORITY:
        sentences.append(tk._("{title} is a regional authority.").format(title=title))
    elif kind == COMPANY:
        sentences.append(tk._("{title} is a company.").format(title=title))
    if org.get("name") and org.get("name") == tk.config.get(OPERATOR):
        sentences.append(tk._("It runs this portal and publishes the portal's complete catalog."))
    if org.get("identifier"):
        sentences.append(tk._("Organisation number: {identifier}.").format(identifier=org["identifier"]))
    if org.get("url"):
        sentences.append({"text": tk._("Website:"), "link": org["url"]})
    if org.get("psidata_url"):
        sentences.append({"text": tk._("Its own list of open data:"), "link": org["psidata_url"]})
    return [s if isinstance(s, dict) else {"text": s, "link": None} for s in sentences]

