"""The tables of requests for data and their queries (SQLAlchemy Core on CKAN's session and metadata).

Lists (``municipalities``, ``organizations``: organization names; ``datasets``: dataset ids) are stored as
JSON text. A supporter is a key (``actions.supporter_key``): one row per request and key, so a second
support from the same person is not counted. Nothing here commits but ``commit``, so that an action writes
all of its changes or none.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

import ckan.model as model
from ckan.model.meta import metadata

NEW, IN_PROGRESS, PUBLISHED, REJECTED = "new", "in_progress", "published", "rejected"
STATUSES = (NEW, IN_PROGRESS, PUBLISHED, REJECTED)

request_table = sa.Table(
    "kalmar_oppnadata_data_request", metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("title", sa.UnicodeText, nullable=False),  # what data
    sa.Column("purpose", sa.UnicodeText, nullable=False),  # for what use
    sa.Column("municipalities", sa.UnicodeText, nullable=False, server_default="[]"),
    sa.Column("email", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("approved", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("status", sa.UnicodeText, nullable=False, server_default=NEW),
    sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("requested_id", sa.UnicodeText),  # its entry in registers/requested_datasets.py
    sa.Column("organizations", sa.UnicodeText, nullable=False, server_default="[]"),
    sa.Column("datasets", sa.UnicodeText, nullable=False, server_default="[]"),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
)
support_table = sa.Table(
    "kalmar_oppnadata_data_request_support", metadata,
    sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("kalmar_oppnadata_data_request.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("supporter", sa.UnicodeText, primary_key=True),
    sa.Column("email", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("created", sa.DateTime, nullable=False),
)
comment_table = sa.Table(
    "kalmar_oppnadata_data_request_comment", metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("kalmar_oppnadata_data_request.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("name", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("text", sa.UnicodeText, nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created", sa.DateTime, nullable=False),
)
LISTS = ("municipalities", "organizations", "datasets")
# What may be shown of a request (to the region also before approval): never the requester's address.
SHOWN = ("id", "title", "purpose", "municipalities", "approved", "status", "reason", "requested_id",
         "organizations", "datasets", "created", "updated")


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _shown(row: Any) -> dict[str, Any]:
    values = row._mapping
    shown = {column: values[column] for column in SHOWN}
    for column in LISTS:
        shown[column] = json.loads(shown[column] or "[]")
    for column in ("created", "updated"):
        shown[column] = shown[column].isoformat()
    return shown


def _supporters() -> Any:
    return (sa.select(sa.func.count()).select_from(support_table)
            .where(support_table.c.request_id == request_table.c.id).scalar_subquery())


def add(title: str, purpose: str, municipalities: list[str], email: str) -> dict[str, Any]:
    moment = now()
    row = {"id": str(uuid.uuid4()), "title": title, "purpose": purpose, "municipalities": json.dumps(municipalities),
           "email": email, "approved": False, "status": NEW, "reason": "", "organizations": "[]",
           "datasets": "[]", "created": moment, "updated": moment}
    model.Session.execute(request_table.insert().values(**row))
    model.Session.commit()
    return get(row["id"])


def get(request_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(request_table, _supporters().label("supporters"))
                                .where(request_table.c.id == request_id)).first()
    if row is None:
        return None
    return {**_shown(row), "supporters": row.supporters}


def listed(approved_only: bool, status: str | None = None) -> list[dict[str, Any]]:
    query = sa.select(request_table, _supporters().label("supporters"))
    if approved_only:
        query = query.where(request_table.c.approved.is_(True))
    if status:
        query = query.where(request_table.c.status == status)
    rows = model.Session.execute(query.order_by(request_table.c.created.desc())).all()
    return [{**_shown(row), "supporters": row.supporters} for row in rows]


def update(request_id: str, **values: Any) -> None:
    for column in LISTS:
        if column in values:
            values[column] = json.dumps(values[column])
    model.Session.execute(request_table.update().where(request_table.c.id == request_id)
                          .values(**values, updated=now()))


def commit() -> None:
    model.Session.commit()


def support(request_id: str, supporter: str, email: str) -> bool:
    """Count a supporter once; True if counted now. A supporter who supports again with an address (and
    gave none before) is told of changes from then on."""
    exists = model.Session.execute(sa.select(support_table.c.email).where(
        support_table.c.request_id == request_id, support_table.c.supporter == supporter)).first()
    if exists is None:
        model.Session.execute(support_table.insert().values(request_id=request_id, supporter=supporter, email=email,
                                                            created=now()))
    elif email and not exists.email:
        model.Session.execute(support_table.update().where(
            support_table.c.request_id == request_id, support_table.c.supporter == supporter).values(email=email))
    model.Session.commit()
    return exists is None


def addresses(request_id: str) -> list[str]:
    """Whom to tell of a change (for mails.py only): the requester and the supporters who left an address."""
    request = model.Session.execute(sa.select(request_table.c.email).where(request_table.c.id == request_id)).first()
    found = [request.email] if request and request.email else []
    found += [r.email for r in model.Session.execute(sa.select(support_table.c.email).where(
        support_table.c.request_id == request_id, support_table.c.email != "").order_by(support_table.c.created))]
    return list(dict.fromkeys(a.lower() for a in found))


def add_comment(request_id: str, name: str, text: str) -> dict[str, Any]:
    row = {"id": str(uuid.uuid4()), "request_id": request_id, "name": name, "text": text, "hidden": False,
           "created": now()}
    model.Session.execute(comment_table.insert().values(**row))
    model.Session.commit()
    return {**row, "created": row["created"].isoformat()}


def comments(request_id: str, with_hidden: bool = False) -> list[dict[str, Any]]:
    query = sa.select(comment_table).where(comment_table.c.request_id == request_id)
    if not with_hidden:
        query = query.where(comment_table.c.hidden.is_(False))
    rows = model.Session.execute(query.order_by(comment_table.c.created)).all()
    return [{"id": r.id, "name": r.name, "text": r.text, "hidden": r.hidden, "created": r.created.isoformat()}
            for r in rows]


def hide_comments(request_id: str, comment_ids: list[str]) -> None:
    model.Session.execute(comment_table.update().where(comment_table.c.request_id == request_id,
                                                       comment_table.c.id.in_(comment_ids)).values(hidden=True))


def demand() -> dict[str, dict[str, int]]:
    """Per entry of the register of requested datasets: the approved requests linked to it and their
    supporters (for the overview)."""
    rows = model.Session.execute(
        sa.select(request_table.c.requested_id, sa.func.count(sa.distinct(request_table.c.id)),
                  sa.func.count(support_table.c.supporter))
        .select_from(request_table.outerjoin(support_table, support_table.c.request_id == request_table.c.id))
        .where(request_table.c.approved.is_(True), request_table.c.requested_id.isnot(None))
        .group_by(request_table.c.requested_id)).all()
    return {r[0]: {"requests": r[1], "supporters": r[2]} for r in rows}


def state() -> str:
    """What the overview's demand column is made from (for its cache key)."""
    row = model.Session.execute(sa.text(
        "SELECT (SELECT count(*) FROM kalmar_oppnadata_data_request_support), "
        "(SELECT max(updated) FROM kalmar_oppnadata_data_request), "
        "(SELECT count(*) FROM kalmar_oppnadata_requested_dataset)")).first()
    return "|".join(str(v) for v in row)
