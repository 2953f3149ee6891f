"""Who moderates for the region: sysadmins, and the admins and editors of the region's organization
(``ckanext.kalmar_oppnadata.catalog_publisher``, the organization that also publishes the portal's catalog).
The one place to change it."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk


def is_region(user_name: str | None) -> bool:
    user = model.User.get(user_name) if user_name else None
    if user is None or user.state != "active":
        return False
    if user.sysadmin:
        return True
    org = model.Group.get(tk.config.get("ckanext.kalmar_oppnadata.catalog_publisher") or "")
    if org is None:
        return False
    return model.Session.query(model.Member).filter(
        model.Member.group_id == org.id, model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Member.capacity.in_(("admin", "editor"))).count() > 0
