"""The examples of use and the datasets each uses (SQLAlchemy Core on CKAN's session and metadata).

An example is ``pending`` (proposed, seen only by the region), ``approved`` (public) or ``declined``.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

import ckan.model as model
from ckan.model.meta import metadata

from ckanext.kalmar_oppnadata.registers.values import N_

reuse_table = sa.Table(
    "kalmar_oppnadata_reuse", metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("title", sa.UnicodeText, nullable=False),
    sa.Column("description", sa.UnicodeText, nullable=False),
    sa.Column("url", sa.UnicodeText, nullable=False),
    sa.Column("image_url", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("kind", sa.UnicodeText, nullable=False),
    sa.Column("state", sa.UnicodeText, nullable=False),
    sa.Column("name", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("email", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("moderated_by", sa.UnicodeText),
    sa.Column("moderated_at", sa.DateTime),
    sa.Column("reason", sa.UnicodeText),
)
reuse_dataset_table = sa.Table(
    "kalmar_oppnadata_reuse_dataset", metadata,
    sa.Column("reuse_id", sa.UnicodeText, sa.ForeignKey("kalmar_oppnadata_reuse.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
)
KINDS = ("app", "research", "article", "visualisation")
KIND_LABELS = {"app": N_("App or service"), "research": N_("Research"), "article": N_("Article"),
               "visualisation": N_("Visualisation")}
PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
STATES = (PENDING, APPROVED, DECLINED)
# What anyone but the mail sending may read of an example: never the proposer's address.
PUBLIC_COLUMNS = ("id", "title", "description", "url", "image_url", "kind", "state", "name", "created",
                  "moderated_at", "reason")
FIELDS = ("title", "description", "url", "image_url", "kind")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _shown(row: Any, package_ids: list[str]) -> dict[str, Any]:
    values = row if isinstance(row, dict) else row._mapping
    shown = {column: values.get(column) for column in PUBLIC_COLUMNS}
    for column in ("created", "moderated_at"):
        shown[column] = shown[column].isoformat() if shown[column] else None
    shown["package_ids"] = package_ids
    return shown


def _package_ids(reuse_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {i: [] for i in reuse_ids}
    if reuse_ids:
        for row in model.Session.execute(sa.select(reuse_dataset_table).where(
                reuse_dataset_table.c.reuse_id.in_(reuse_ids))):
            found[row.reuse_id].append(row.package_id)
    return found


def _set_datasets(reuse_id: str, package_ids: list[str]) -> None:
    model.Session.execute(reuse_dataset_table.delete().where(reuse_dataset_table.c.reuse_id == reuse_id))
    for package_id in dict.fromkeys(package_ids):
        model.Session.execute(reuse_dataset_table.insert().values(reuse_id=reuse_id, package_id=package_id))


def add(values: dict[str, Any], package_ids: list[str], state: str, name: str, email: str,
        moderator: str | None = None) -> dict[str, Any]:
    """One transaction: the example and its datasets are saved together or not at all."""
    row = {"id": str(uuid.uuid4()), **{f: values[f] for f in FIELDS}, "state": state, "name": name,
           "email": email, "created": _now()}
    if moderator:
        row.update(moderated_by=moderator, moderated_at=row["created"])
    model.Session.execute(reuse_table.insert().values(**row))
    _set_datasets(row["id"], package_ids)
    model.Session.commit()
    return get(row["id"])


def get(reuse_id: str, with_address: bool = False) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(reuse_table).where(reuse_table.c.id == reuse_id)).first()
    if row is None:
        return None
    shown = _shown(row, _package_ids([reuse_id])[reuse_id])
    if with_address:  # only for sending mail
        shown["email"] = row._mapping["email"]
    return shown


def find(states: tuple[str, ...] = (APPROVED,), package_id: str | None = None) -> list[dict[str, Any]]:
    query = sa.select(reuse_table).where(reuse_table.c.state.in_(states))
    if package_id:
        query = query.where(reuse_table.c.id.in_(sa.select(reuse_dataset_table.c.reuse_id).where(
            reuse_dataset_table.c.package_id == package_id)))
    rows = model.Session.execute(query.order_by(reuse_table.c.created.desc())).all()
    ids = _package_ids([row.id for row in rows])
    return [_shown(row, ids[row.id]) for row in rows]


def update(reuse_id: str, values: dict[str, Any], package_ids: list[str] | None = None) -> dict[str, Any]:
    if values:
        model.Session.execute(reuse_table.update().where(reuse_table.c.id == reuse_id).values(**values))
    if package_ids is not None:
        _set_datasets(reuse_id, package_ids)
    model.Session.commit()
    return get(reuse_id)


def moderate(reuse_id: str, state: str, user_id: str, reason: str) -> dict[str, Any]:
    return update(reuse_id, {"state": state, "moderated_by": user_id, "moderated_at": _now(),
                             "reason": reason or None})


def delete(reuse_id: str) -> None:
    model.Session.execute(reuse_table.delete().where(reuse_table.c.id == reuse_id))
    model.Session.commit()


def count_per_organization() -> dict[str, int]:
    """Approved examples per organization (by name) that use at least one of its public, active datasets."""
    package = model.package_table
    group = model.group_table
    query = (sa.select(group.c.name, sa.func.count(sa.distinct(reuse_table.c.id)))
             .select_from(reuse_table.join(reuse_dataset_table, reuse_dataset_table.c.reuse_id == reuse_table.c.id)
                          .join(package, package.c.id == reuse_dataset_table.c.package_id)
                          .join(group, group.c.id == package.c.owner_org))
             .where(reuse_table.c.state == APPROVED, package.c.private.is_(False), package.c.state == "active")
             .group_by(group.c.name))
    return {name: count for name, count in model.Session.execute(query)}


def approved_state() -> str:
    """What the approved examples and their datasets are now, as text: kept documents that count them
    (the anonymous overview, catalog/caching.py) are made again when it changes."""
    rows = model.Session.execute(
        sa.select(reuse_dataset_table.c.reuse_id, reuse_dataset_table.c.package_id)
        .join(reuse_table, reuse_table.c.id == reuse_dataset_table.c.reuse_id)
        .where(reuse_table.c.state == APPROVED)
        .order_by(reuse_dataset_table.c.reuse_id, reuse_dataset_table.c.package_id)).all()
    return ",".join(f"{row.reuse_id}:{row.package_id}" for row in rows)
