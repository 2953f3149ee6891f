"""Telling the requester and the supporters who left an address that a request's status changed (sent
by the jobs worker after the change was saved, one message per address, in the portal's language). A
published request names its datasets that are still public; nothing is sent about a request that was
never approved but for its rejection (the requester hears why)."""
from __future__ import annotations

import logging

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import portal_gettext as _
from ckanext.kalmar_oppnadata.data_requests import store
from ckanext.kalmar_oppnadata.mail import smtp
from ckanext.kalmar_oppnadata.registers.values import N_

log = logging.getLogger(__name__)

STATUS_LABELS = {store.NEW: N_("New"), store.IN_PROGRESS: N_("Being handled"), store.PUBLISHED: N_("Published"),
                 store.REJECTED: N_("Rejected")}


def _site() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def _public_datasets(ids: list[str]) -> list[model.Package]:
    packages = (model.Package.get(i) for i in ids)
    return [p for p in packages if p is not None and not p.private and p.state == "active"]


def tell_status(request_id: str, status: str) -> None:
    found = store.get(request_id)
    if found is None or found["status"] != status:  # changed again since: that change sends its own
        return
    recipients = store.addresses(request_id)
    if not found["approved"]:
        if status != store.REJECTED:
            return
        recipients = recipients[:1]  # only the requester: nobody else could support it
    subject = _("Your request for data \"{title}\": {status}").format(title=found["title"],
                                                                        status=_(STATUS_LABELS[status]))
    lines = [_("The request for data \"{title}\" on {site} now has the status: {status}.").format(
        title=found["title"], site=tk.config.get("ckan.site_title"), status=_(STATUS_LABELS[status]))]
    if status == store.REJECTED:
        lines.append(_("Reason: {reason}").format(reason=found["reason"]))
    if status == store.PUBLISHED:
        lines.append(_("The data is published here:"))
        lines.append("\n".join(f"{p.title}: {_site()}/dataset/{p.name}" for p in _public_datasets(found["datasets"])))
    if found["approved"]:
        lines.append(_("The request: {url}").format(url=f"{_site()}/onska-data/{request_id}"))
    lines.append(_("You get this mail because you left your address with the request or with your support."))
    body = "\n\n".join(lines)
    for address in recipients:
        try:
            smtp.send(smtp.compose(address, "", subject, body))
        except smtp.MailNotSent as error:  # the others still get theirs
            log.warning("data request %s: status mail to one recipient not sent: %s", request_id, error)
