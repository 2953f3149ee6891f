"""The dialog's mail, sent by the jobs worker after the question or answer was saved: the question to
the dataset's contact point (with the asker's address as Reply-To, so a reply by mail reaches them), and
the answer to the asker. Nothing is sent about a dataset that is no longer public."""
from __future__ import annotations

import logging

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import portal_gettext as _
from ckanext.kalmar_oppnadata.dialog import store
from ckanext.kalmar_oppnadata.mail import smtp

log = logging.getLogger(__name__)


def _public_dataset(package_id: str) -> model.Package | None:
    package = model.Package.get(package_id)
    return package if package and not package.private and package.state == "active" else None


def _dataset_url(package: model.Package) -> str:
    return tk.config.get("ckan.site_url").rstrip("/") + f"/dataset/{package.name}"


def tell_contact_point(question_id: str) -> None:
    question = store.get(question_id, with_address=True)
    package = _public_dataset(question["package_id"]) if question else None
    if package is None:
        return
    org = model.Group.get(package.owner_org) if package.owner_org else None
    contact = (package.extras or {}).get("contact_email") or (org.extras.get("email") if org else None)
    if not contact:
        log.warning("question %s: dataset %s has no contact address", question_id, package.name)
        return
    subject = (_("Error report about {title}") if question["kind"] == "error"
               else _("Question about {title}")).format(title=package.title)
    site = tk.config.get("ckan.site_url").rstrip("/")
    body = "\n\n".join([
        _("A visitor of {site} writes about the dataset {title} ({url}):").format(
            site=tk.config.get("ckan.site_title"), title=package.title, url=_dataset_url(package)),
        question["message"],
        _("From: {name}").format(name=question["name"] or _("(no name given)")),
        _("Answer by replying to this mail, or in the portal, where you can also publish the answer on the "
          "dataset's page: {url}").format(url=f"{site}/organization/{org.name if org else ''}/fragor"),
    ])
    smtp.send(smtp.compose(contact, "", subject, body, headers={"Reply-To": question["email"]}))


def tell_asker(question_id: str) -> None:
    question = store.get(question_id, with_address=True)
    package = _public_dataset(question["package_id"]) if question else None
    if package is None or not question.get("answer"):
        return
    subject = _("Answer to your question about {title}").format(title=package.title)
    body = "\n\n".join([
        _("You asked about the dataset {title} ({url}):").format(title=package.title, url=_dataset_url(package)),
        question["message"],
        _("The answer:"),
        question["answer"],
    ])
    smtp.send(smtp.compose(question["email"], question["name"], subject, body))
