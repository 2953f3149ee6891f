"""The pages of "Ny datamängd från fil": the editor gives a file (an upload, or a public link fetched
through ``files.fetch``), the portal proposes the description (``analysis``) and makes a private draft in
the editor's organization with the file as its resource; the draft's proposal page shows what was
proposed and why, the draft's quality and the specification check, and offers the corrected file.

A bad file, or a draft that cannot be saved, leaves nothing behind: the draft is made only after the
file is read, and removed again if its resource cannot be saved.
"""
from __future__ import annotations

import io
import os
import re
import secrets
import unicodedata
from typing import Any

import requests
from flask import Blueprint, make_response, redirect
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.files import fetch, limits, reading
from ckanext.kalmar_oppnadata.files.records import report_of
from ckanext.kalmar_oppnadata.proposals import analysis, store
from ckanext.kalmar_oppnadata.registers import organizations, specifications, vocabularies

proposal_pages = Blueprint("kalmar_proposals", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.g.user}


def _editor_organizations() -> list[dict[str, Any]]:
    if not tk.g.user:
        return []
    return tk.get_action("organization_list_for_user")(_context(), {"permission": "create_dataset"})


def _name(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80] or "datamangd"
    return f"{stem}-{secrets.token_hex(3)}"


class _Refused(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _given_file() -> tuple[bytes, str, str | None]:
    """The file's bytes, its name, and the link it came from (None for an upload)."""
    upload = tk.request.files.get("upload")
    link = (tk.request.form.get("url") or "").strip()
    if upload and upload.filename:
        raw = upload.stream.read(limits.PROPOSE + 1)
        return raw, upload.filename, None
    if not link:
        raise _Refused("upload", tk._("Choose a CSV or XLSX file, or give a link to one."))
    try:
        fetched = fetch.fetch(link, limit=limits.PROPOSE + 1)
    except fetch.AddressRefused as refused:
        raise _Refused("url", refused.sv if tk.h.lang() == "sv" else refused.en) from None
    except requests.RequestException as error:
        raise _Refused("url", tk._("The file could not be fetched from {url} ({error}).").format(
            url=link, error=type(error).__name__)) from None
    if fetched.status >= 400:
        raise _Refused("url", tk._("The file could not be fetched: {url} answered HTTP {status}.").format(
            url=link, status=fetched.status))
    return fetched.body, os.path.basename(link.split("?", 1)[0]) or "fil.csv", link


def _field_label(name: str) -> str:
    """The form's label of a dataset field, in the page's language (the key itself if it has none)."""
    labels = store.FIELD_LABELS.get(name)
    if labels:
        return labels[0] if tk.h.lang() == "sv" else labels[1]
    field = next((f for f in tk.h.scheming_get_dataset_schema("dataset")["dataset_fields"]
                  if f["field_name"] == name), None)
    return tk.h.scheming_language_text(field["label"]) if field else name


def _make_draft(proposal: analysis.Proposal, org: dict[str, Any], raw: bytes, link: str | None) -> dict[str, Any]:
    fields = proposal.dataset_fields(org)
    if not org.get("email"):
        if not getattr(tk.g.userobj, "email", None):
            raise _Refused("owner_org", tk._(
                "The draft needs a contact e-mail address, and neither {org} nor your account has one. Add your "
                "e-mail address under your profile (Edit profile), or ask the region to give the organization "
                "one, and try again.").format(org=org.get("title") or org.get("name")))
        # The draft needs a contact address; the organization has none yet, so the editor's own is proposed
        # (marked as a suggestion, to be replaced by a function address) rather than none or a made-up one.
        fields["contact_email"] = tk.g.userobj.email
        proposal.report.append("Organisationen har ingen kontakt-e-post: din egen föreslås. Byt gärna till "
                               "en funktionsadress.")
    dataset = tk.get_action("package_create")({**_context(), "allow_state_change": True}, {
        **fields, "name": _name(proposal.title), "owner_org": org["id"], "private": True, "state": "draft"})
    resource = {**proposal.resource_fields(), "package_id": dataset["id"]}
    if link:
        resource.update(url=link)
        resource.pop("hash"), resource.pop("size")
    else:
        resource.update(url=proposal.filename, upload=FileStorage(io.BytesIO(raw), proposal.filename))
    try:
        tk.get_action("resource_create")(_context(), resource)
    except Exception:
        tk.get_action("dataset_purge")({"ignore_auth": True}, {"id": dataset["id"]})
        raise
    store.keep(dataset["id"], store.summary(proposal, fields, org))
    return dataset


@proposal_pages.route("/dataset/fran-fil", methods=["GET", "POST"], endpoint="new")
def new():
    if not tk.g.user:
        return tk.redirect_to("user.login", came_from=tk.h.url_for("kalmar_proposals.new"))
    orgs = _editor_organizations()
    if not orgs:
        tk.abort(403, tk._("Only an organization's editors may create datasets"))
    values = {"owner_org": orgs[0]["id"] if len(orgs) == 1 else "", "url": ""}
    errors: dict[str, str] = {}
    if tk.request.method == "POST":
        values = {"owner_org": tk.request.form.get("owner_org", ""), "url": tk.request.form.get("url", "")}
        org = next((o for o in orgs if values["owner_org"] in (o["id"], o["name"])), None)
        try:
            if org is None:
                raise _Refused("owner_org", tk._("Choose the organization the dataset belongs to."))
            raw, filename, link = _given_file()
            try:
                proposal = analysis.analyse(raw, filename, organizations.organization(org["id"]) or org)
            except analysis.BadFile as bad:
                raise _Refused("upload" if link is None else "url", bad.sv if tk.h.lang() == "sv" else bad.en)
            dataset = _make_draft(proposal, organizations.organization(org["id"]) or org, raw, link)
        except _Refused as refused:
            errors[refused.field] = refused.message
        except tk.ValidationError as error:
            errors["upload"] = "; ".join(f"{_field_label(k)}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                                         for k, v in error.error_dict.items())
        else:
            return redirect(tk.h.url_for("kalmar_proposals.show", id=dataset["name"]))
    page = tk.render("proposals/new.html", {"organizations": orgs, "values": values, "errors": errors,
                                            "limit_mb": limits.PROPOSE // limits.MB})
    return page, (400 if errors else 200)


def _draft(id: str) -> dict[str, Any]:
    try:
        tk.check_access("package_update", _context(), {"id": id})
        return tk.get_action("package_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the dataset's editors may see its proposal"))


def _shown(dataset: dict[str, Any], kept: dict[str, Any]) -> dict[str, str]:
    """Each suggested field's value as the page shows it: names and labels rather than codes and URIs."""
    lang = tk.h.lang()
    values = {name: "" if dataset.get(name) is None else str(dataset[name]) for name in kept["suggested"]}
    values["tags"] = ", ".join(tag["name"] for tag in dataset.get("tags") or [])
    values["conforms_to"] = ", ".join((specifications.get(uri) or {}).get("name") or uri
                                      for uri in tk.h.kalmar_as_list(dataset.get("conforms_to")))
    values["theme"] = ", ".join(vocabularies.get("data-theme").label(v, lang)
                                for v in tk.h.kalmar_as_list(dataset.get("theme")))
    values["sdg"] = ", ".join(f"{v}. {vocabularies.get('sdg').label(v, lang)}"
                              for v in tk.h.kalmar_as_list(dataset.get("sdg")))
    values["spatial"] = {"wgs84": tk._("from the coordinate columns (WGS84)"),
                         "sweref99tm": tk._("from the coordinate columns (SWEREF 99 TM)"),
                         "kommunkod": tk._("from the kommunkod column"),
                         "organization": tk._("the organization's area")}.get(kept.get("extent_source") or "", "")
    return values


@proposal_pages.route("/dataset/<id>/forslag", endpoint="show")
def show(id: str):
    dataset = _draft(id)
    kept = store.kept(dataset["id"])
    if kept is None:
        tk.abort(404, tk._("This dataset was not proposed from a file"))
    resource = (dataset.get("resources") or [{}])[0]
    return tk.render("proposals/show.html", {"pkg": dataset, "pkg_dict": dataset, "proposal": kept,
                                             "labels": store.FIELD_LABELS, "resource": resource,
                                             "shown": _shown(dataset, kept),
                                             "check": report_of(resource) if resource else None})


@proposal_pages.route("/dataset/<id>/forslag/rattad.csv", endpoint="corrected")
def corrected(id: str):
    dataset = _draft(id)
    resource = (dataset.get("resources") or [None])[0]
    if resource is None:
        tk.abort(404, tk._("The dataset has no file"))
    try:
        raw = reading.read_bytes(resource, limit=limits.PROPOSE + 1)
        proposal = analysis.analyse(raw, resource.get("name") or "fil.csv",
                                    organizations.organization(dataset["owner_org"]))
    except reading.Unreadable as unreadable:
        tk.abort(404, unreadable.sv if tk.h.lang() == "sv" else unreadable.en)
    except analysis.BadFile as bad:
        tk.abort(404, bad.sv if tk.h.lang() == "sv" else bad.en)
    if not proposal.mapping_offered:
        tk.abort(404, tk._("The file needs no correction"))
    response = make_response(proposal.corrected_csv().encode("utf-8"))
    stem = os.path.splitext(proposal.filename)[0]
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{_name(stem)[:-7]}-rattad.csv"'
    return response
