"""The subscriptions table and its queries."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

import ckan.model as model
from ckan.model.meta import metadata

subscription_table = sa.Table(
    "kalmar_oppnadata_subscription", metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("email", sa.UnicodeText, nullable=False),
    sa.Column("topic_type", sa.UnicodeText, nullable=False),
    sa.Column("topic", sa.UnicodeText, nullable=False),
    sa.Column("lang", sa.UnicodeText, nullable=False, server_default="sv"),
    sa.Column("confirmed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("last_sent", sa.DateTime),
    sa.UniqueConstraint("email", "topic_type", "topic", name="kalmar_oppnadata_subscription_once"),
)
TOPIC_TYPES = ("dataset", "organization", "goal")
T = subscription_table.c


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def add(email: str, topic_type: str, topic: str, lang: str) -> dict[str, Any]:
    """The subscription (new and unconfirmed, or the one already there for this address and topic)."""
    found = model.Session.execute(sa.select(subscription_table).where(
        T.email == email, T.topic_type == topic_type, T.topic == topic)).first()
    if found:
        return dict(found._mapping)
    row = {"id": str(uuid.uuid4()), "email": email, "topic_type": topic_type, "topic": topic, "lang": lang,
           "confirmed": False, "created": now()}
    model.Session.execute(subscription_table.insert().values(**row))
    model.Session.commit()
    return row


def get(subscription_id: str) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(subscription_table).where(T.id == subscription_id)).first()
    return dict(row._mapping) if row else None


def confirm(subscription_id: str) -> None:
    # A digest covers what happened after the confirmation, not before.
    model.Session.execute(subscription_table.update().where(T.id == subscription_id, T.confirmed.is_(False))
                          .values(confirmed=True, last_sent=now()))
    model.Session.commit()


def remove(subscription_id: str) -> None:
    model.Session.execute(subscription_table.delete().where(T.id == subscription_id))
    model.Session.commit()


def due(before: datetime) -> list[dict[str, Any]]:
    rows = model.Session.execute(sa.select(subscription_table).where(
        T.confirmed.is_(True), T.last_sent <= before).order_by(T.email)).all()
    return [dict(r._mapping) for r in rows]


def sent(subscription_id: str, at: datetime) -> None:
    model.Session.execute(subscription_table.update().where(T.id == subscription_id).values(last_sent=at))
    model.Session.commit()
