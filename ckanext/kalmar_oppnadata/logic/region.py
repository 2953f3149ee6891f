"""Who "the region" is: the moderators of requests for data (data_requests/) and examples of use (reuse/).
Sysadmins, and the admins and editors of the
regional authority's organization (the entry of ``data/organizations.yaml`` whose publisher type is
RegionalAuthority: Region Kalmar län). Change it here and nowhere else."""
from __future__ import annotations

import functools

import ckan.model as model

from ckanext.kalmar_oppnadata.registers import organizations

REGIONAL_AUTHORITY = "http://purl.org/adms/publishertype/RegionalAuthority"


@functools.cache
def organization_name() -> str:
    return next(o["name"] for o in organizations.load_organizations() if o.get("dcat_type") == REGIONAL_AUTHORITY)


def is_region(user_name: str | None) -> bool:
    user = model.User.get(user_name) if user_name else None
    if user is None or user.state != "active":
        return False
    if user.sysadmin:
        return True
    org = model.Group.get(organization_name())
    if org is None or org.state != "active":
        return False
    return model.Session.query(model.Member).filter(
        model.Member.group_id == org.id, model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Member.capacity.in_(("admin", "editor"))).count() > 0
