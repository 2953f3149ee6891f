"""The classification gate for harvesting: a source's datasets are public only if an organization admin
confirmed that what the source publishes is classified as public.

A dataset made in the portal is public only with ``classification_confirmed`` (the dataset schema). A
harvest source brings many datasets at once, so the confirmation is made once, for the source, by an admin
of its organization (or a sysadmin), and recorded on the source: who confirmed and when
(``CONFIRMED_BY``, ``CONFIRMED_AT``), and for which address and organization (``CONFIRMED_FOR``). Harvested
datasets of a source without it land private (``hooks.prepare``), and withdrawing it makes them private at
once. Editors may neither create sources nor confirm them.

The record is written only here, from the ``classification_confirmed`` flag of a create or an update
(the form's check box, or the API); anything sent as those extras is dropped, so it cannot be forged.
The flag left out of an update keeps the record; ``false`` withdraws it.
"""
from __future__ import annotations

import datetime
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import site_context

SOURCE_TYPE = "harvest"  # ckanext-harvest keeps each source as a dataset of this type
FLAG = "classification_confirmed"
CONFIRMED_BY = "classification_confirmed_by"  # the confirming user's id (user details are not public)
CONFIRMED_AT = "classification_confirmed_at"
CONFIRMED_FOR = "classification_confirmed_for"  # the source address and organization it was given for
RECORD = (CONFIRMED_BY, CONFIRMED_AT, CONFIRMED_FOR)


def _flag(value: Any) -> bool | None:
    """The check box or API flag: None when left out; a form may send several values (hidden + box)."""
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    return any(tk.asbool(v) for v in values if v not in ("", None))


def is_source(data_dict: dict[str, Any] | None, package: Any = None) -> bool:
    if package is not None:
        return package.type == SOURCE_TYPE
    return (data_dict or {}).get("type") == SOURCE_TYPE


def _stored(extras: dict[str, Any]) -> dict[str, str] | None:
    if all(extras.get(k) for k in RECORD):
        return {"by": extras[CONFIRMED_BY], "at": extras[CONFIRMED_AT], "for": extras[CONFIRMED_FOR]}
    return None


def confirmation(source: Any) -> dict[str, str] | None:
    """``{"by", "at", "for"}`` of a source (a ``model.Package``), or None if not confirmed."""
    return _stored((source.extras or {}) if source is not None else {})


def _scope(data_dict: dict[str, Any], existing: Any) -> str:
    """What a confirmation is about: the source's address and organization. Changing either ends it."""
    url = data_dict.get("url") or (existing.url if existing is not None else "") or ""
    org_ref = data_dict.get("owner_org") or (existing.owner_org if existing is not None else "") or ""
    org = model.Group.get(org_ref) if org_ref else None
    return f"{url.strip()} {org.id if org else org_ref}"


def record(context: dict[str, Any], data_dict: dict[str, Any], existing: Any = None) -> None:
    """Before a source is created or updated (``existing``: its ``model.Package``): turn the flag into the
    record. A confirmation stays while the address and organization stay (the form re-sending a ticked box
    changes nothing); left out, it is kept; ``false`` withdraws it."""
    flag = _flag(data_dict.pop(FLAG, None))
    extras = [e for e in (data_dict.get("extras") or []) if e.get("key") not in RECORD]
    scope = _scope(data_dict, existing)
    previous = confirmation(existing)
    kept = previous if previous and previous["for"] == scope and flag is not False else None
    if flag and kept is None:
        user = model.User.get(context.get("user") or "")
        kept = {"by": user.id if user else "", "for": scope,
                "at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()}
    if kept:
        extras += [{"key": CONFIRMED_BY, "value": kept["by"]}, {"key": CONFIRMED_AT, "value": kept["at"]},
                   {"key": CONFIRMED_FOR, "value": kept["for"]}]
    data_dict["extras"] = extras


def withdrawn(before: dict[str, str] | None, source_id: str) -> int:
    """After a save that ended a source's confirmation: its harvested datasets become private now, not at
    the next harvest. Returns how many were made private."""
    source = model.Package.get(source_id)
    if before is None or source is None or confirmation(source) is not None:
        return 0
    rows = (model.Session.query(model.Package.id)
            .filter(model.Package.extras["harvest_source_id"].astext == source.id,
                    model.Package.private.is_(False), model.Package.state == "active").all())
    ids = [r.id for r in rows]
    if ids:
        tk.get_action("bulk_update_private")(site_context(), {"datasets": ids, "org_id": source.owner_org})
    return len(ids)


def form_state(data: dict[str, Any]) -> dict[str, Any]:
    """For the source form: whether the box is ticked (the posted flag after an error, else the stored
    record) and the record, with the confirming user's display name."""
    extras = {e.get("key"): e.get("value") for e in (data.get("extras") or []) if isinstance(e, dict)}
    stored = _stored(extras)
    if stored:
        user = model.User.get(stored["by"])
        stored = {**stored, "by": user.display_name if user else stored["by"]}
    posted = _flag(data.get(FLAG))
    return {"checked": posted if posted is not None else stored is not None, "record": stored}


def admin_only(context: dict[str, Any], org_id: str | None) -> dict[str, Any] | None:
    """None if the user may create or change sources of ``org_id`` (without one: of some organization, as
    ckanext-harvest asks before showing "Add harvest source"); else the refusal."""
    user = context.get("user")
    if org_id and authz.has_user_permission_for_group_or_org(org_id, user, "admin"):
        return None
    if not org_id and authz.has_user_permission_for_some_org(user, "admin"):
        return None
    return {"success": False, "msg": tk._(
        "Only administrators of the organization may add harvest sources, change them or confirm their "
        "classification.")}
