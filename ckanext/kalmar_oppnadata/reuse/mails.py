"""The region's decision, mailed by the jobs worker to a proposer who left an address."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import portal_gettext as _
from ckanext.kalmar_oppnadata.mail import smtp
from ckanext.kalmar_oppnadata.reuse import store


def tell_proposer(reuse_id: str) -> None:
    example = store.get(reuse_id, with_address=True)
    if example is None or not example["email"] or example["state"] == store.PENDING:
        return
    site = tk.config.get("ckan.site_url").rstrip("/")
    if example["state"] == store.APPROVED:
        subject = _("Your example of use {title} is published").format(title=example["title"])
        parts = [_("Thank you! {site} now shows your example of use {title}: {url}").format(
            site=tk.config.get("ckan.site_title"), title=example["title"],
            url=f"{site}/anvandningsexempel/{example['id']}")]
    else:
        subject = _("Your example of use {title} was not published").format(title=example["title"])
        parts = [_("Thank you for proposing {title}. The region has decided not to publish it on {site}.").format(
            title=example["title"], site=tk.config.get("ckan.site_title"))]
    if example["reason"]:
        parts += [_("The region's comment:"), example["reason"]]
    smtp.send(smtp.compose(example["email"], example["name"], subject, "\n\n".join(parts)))
