"""The classification gate for harvesting: a source's datasets are public only if an organization admin
confirmed that what the source publishes is classified as public.

A dataset made in the portal is public only with ``classification_confirmed`` (the dataset schema). A
harvest source brings many datasets at once, so the confirmation is made once, for the source, by an admin
of its organization (or a sysadmin), and recorded on the source: who confirmed and when
(``CONFIRMED_BY``, ``CONFIRMED_AT``). Harvested datasets of a source without it land private
(``hooks.prepare``). Editors may neither create sources nor confirm them.

The record is written only here, from the ``classification_confirmed`` flag of a create or an update
(the form's check box, or the API); anything sent as those extras is dropped, so it cannot be forged.
The flag left out of an update keeps the record; ``false`` withdraws it.
"""
from __future__ import annotations

import datetime
from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk

SOURCE_TYPE = "harvest"  # ckanext-harvest keeps each source as a dataset of this type
FLAG = "classification_confirmed"
CONFIRMED_BY = "classification_confirmed_by"
CONFIRMED_AT = "classification_confirmed_at"
RECORD = (CONFIRMED_BY, CONFIRMED_AT)


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


def confirmation(source: Any) -> dict[str, str] | None:
    """``{"by", "at"}`` of a source (a ``model.Package``), or None if not confirmed."""
    extras = (source.extras or {}) if source is not None else {}
    if extras.get(CONFIRMED_BY) and extras.get(CONFIRMED_AT):
        return {"by": extras[CONFIRMED_BY], "at": extras[CONFIRMED_AT]}
    return None


def record(context: dict[str, Any], data_dict: dict[str, Any], existing: Any = None) -> None:
    """Before a source is created or updated (``existing``: its ``model.Package``): turn the flag into the
    record, or keep the previous one."""
    flag = _flag(data_dict.pop(FLAG, None))
    extras = [e for e in (data_dict.get("extras") or []) if e.get("key") not in RECORD]
    kept = confirmation(existing) if flag is None else None
    if flag:
        kept = {"by": context.get("user") or "",
                "at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()}
    if kept:
        extras += [{"key": CONFIRMED_BY, "value": kept["by"]}, {"key": CONFIRMED_AT, "value": kept["at"]}]
    data_dict["extras"] = extras


def form_state(data: dict[str, Any]) -> dict[str, Any]:
    """For the source form: whether the box is ticked (the posted flag after an error, else the stored
    record) and the record itself."""
    extras = {e.get("key"): e.get("value") for e in (data.get("extras") or []) if isinstance(e, dict)}
    stored = ({"by": extras[CONFIRMED_BY], "at": extras[CONFIRMED_AT]}
              if extras.get(CONFIRMED_BY) and extras.get(CONFIRMED_AT) else None)
    posted = _flag(data.get(FLAG))
    return {"checked": posted if posted is not None else stored is not None, "record": stored}


def admin_only(context: dict[str, Any], org_id: str | None) -> dict[str, Any] | None:
    """None if the user may create or change sources of ``org_id``; else the refusal."""
    user = context.get("user")
    if org_id and authz.has_user_permission_for_group_or_org(org_id, user, "admin"):
        return None
    return {"success": False, "msg": tk._(
        "Only administrators of the organization may add harvest sources, change them or confirm their "
        "classification.")}
