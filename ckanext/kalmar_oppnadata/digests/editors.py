"""The editors' weekly digest: for each organization, what needs their attention, mailed to its editors
and admins at most once a week and only when there is something: datasets late for their update, broken
links, files failing their specification check, and questions not yet answered."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.model.meta import metadata

from ckanext.kalmar_oppnadata.common import portal_gettext as _
from ckanext.kalmar_oppnadata.common import site_context
from ckanext.kalmar_oppnadata.dialog import store as questions
from ckanext.kalmar_oppnadata.digests.store import now
from ckanext.kalmar_oppnadata.files import records
from ckanext.kalmar_oppnadata.links import wording as links
from ckanext.kalmar_oppnadata.mail import smtp
from ckanext.kalmar_oppnadata.registers.values import N_
from ckanext.kalmar_oppnadata.search.paging import all_datasets

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
digest_table = sa.Table(
    "kalmar_oppnadata_editor_digest", metadata,
    sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sent", sa.DateTime, nullable=False),
)


def _last_sent(org_id: str):
    return model.Session.execute(sa.select(digest_table.c.sent).where(
        digest_table.c.organization_id == org_id)).scalar()


def _mark_sent(org_id: str, moment) -> None:
    table = digest_table
    if _last_sent(org_id) is None:
        model.Session.execute(table.insert().values(organization_id=org_id, sent=moment))
    else:
        model.Session.execute(table.update().where(table.c.organization_id == org_id).values(sent=moment))
    model.Session.commit()


def _editors(org_id: str) -> list[str]:
    rows = (model.Session.query(model.User.email).join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.group_id == org_id, model.Member.table_name == "user",
                    model.Member.state == "active", model.Member.capacity.in_(["editor", "admin"]),
                    model.User.state == "active", model.User.email.isnot(None)))
    return sorted({email for (email,) in rows if email})


def attention(org: dict[str, Any]) -> dict[str, list[str]]:
    """What the organization's editors should look at, each as a line of text with a link."""
    site = tk.config.get("ckan.site_url").rstrip("/")
    datasets = list(all_datasets(site_context(), fq=f'owner_org:"{org["id"]}"', include_private=True))
    late, broken, failing = [], [], []
    for d in datasets:
        url = f"{site}/dataset/{d['name']}"
        if (d.get("freshness") or {}).get("state") == "overdue":
            late.append(f"{d['title']}: {url}")
        for resource in links.broken(d):
            name = resource.get("name") or resource["url"]
            broken.append(f"{d['title']} – {name}: {links.problem(links.result(resource))}")
        if any((records.report_of(r) or {}).get("status") == "invalid" for r in d.get("resources") or []):
            failing.append(f"{d['title']}: {url}")
    titles = {d["id"]: d["title"] for d in datasets}
    unanswered = [f"{titles.get(q['package_id'], '')}: {q['message'][:80]}"
                  for q in questions.for_datasets(list(titles)) if not q["answer"]]
    return {"late": late, "broken": broken, "failing": failing, "unanswered": unanswered}


HEADINGS = {
    "late": N_("Datasets late for their update:"),
    "broken": N_("Links that did not work at the last check:"),
    "failing": N_("Files that do not follow their specification:"),
    "unanswered": N_("Questions not answered yet:"),
}


def send_weekly() -> int:
    moment = now()
    sent = 0
    for org in model.Session.query(model.Group).filter(model.Group.is_organization.is_(True),
                                                        model.Group.state == "active").all():
        last = _last_sent(org.id)
        if last is not None and moment - last < WEEK:
            continue
        found = attention({"id": org.id, "name": org.name})
        if not any(found.values()):
            continue
        recipients = _editors(org.id)
        if not recipients:
            continue
        sections = ["\n".join([_(HEADINGS[key])] + [f"  - {line}" for line in lines])
                    for key, lines in found.items() if lines]
        site = tk.config.get("ckan.site_url").rstrip("/")
        body = "\n\n".join([_("This week at {org}:").format(org=org.title)] + sections + [
            _("Questions are answered at {url}").format(url=f"{site}/organization/{org.name}/fragor")])
        try:
            for email in recipients:
                smtp.send(smtp.compose(email, "", _("Weekly summary for {org}").format(org=org.title), body))
        except smtp.MailNotSent as error:
            log.warning("editors' digest for %s not sent: %s", org.name, error)
            continue
        _mark_sent(org.id, moment)
        sent += 1
    return sent
