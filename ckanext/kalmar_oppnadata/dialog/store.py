"""The questions table and its queries (SQLAlchemy Core on CKAN's session and metadata)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

import ckan.model as model
from ckan.model.meta import metadata

question_table = sa.Table(
    "kalmar_oppnadata_question", metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.UnicodeText, nullable=False),
    sa.Column("name", sa.UnicodeText, nullable=False, server_default=""),
    sa.Column("email", sa.UnicodeText, nullable=False),
    sa.Column("message", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("answer", sa.UnicodeText),
    sa.Column("answered_by", sa.UnicodeText),
    sa.Column("answered_at", sa.DateTime),
    sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false()),
)
KINDS = ("question", "error")
# What anyone but the mail sending may read of a question: never the asker's address.
PUBLIC_COLUMNS = ("id", "package_id", "kind", "name", "message", "created", "answer", "answered_at", "published")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _shown(row: Any) -> dict[str, Any]:
    values = row if isinstance(row, dict) else row._mapping
    shown = {column: values.get(column) for column in PUBLIC_COLUMNS}
    for column in ("created", "answered_at"):
        shown[column] = shown[column].isoformat() if shown[column] else None
    return shown


def add(package_id: str, kind: str, name: str, email: str, message: str) -> dict[str, Any]:
    row = {"id": str(uuid.uuid4()), "package_id": package_id, "kind": kind, "name": name, "email": email,
           "message": message, "created": _now(), "published": False}
    model.Session.execute(question_table.insert().values(**row))
    model.Session.commit()
    return _shown(row)


def get(question_id: str, with_address: bool = False) -> dict[str, Any] | None:
    row = model.Session.execute(sa.select(question_table).where(question_table.c.id == question_id)).first()
    if row is None:
        return None
    shown = _shown(row)
    if with_address:  # only for sending mail
        shown["email"] = row._mapping["email"]
    return shown


def for_datasets(package_ids: list[str]) -> list[dict[str, Any]]:
    if not package_ids:
        return []
    rows = model.Session.execute(sa.select(question_table).where(question_table.c.package_id.in_(package_ids))
                                 .order_by(question_table.c.created.desc())).all()
    return [_shown(row) for row in rows]


def published(package_id: str) -> list[dict[str, Any]]:
    rows = model.Session.execute(sa.select(question_table).where(
        question_table.c.package_id == package_id, question_table.c.published.is_(True),
        question_table.c.answer.isnot(None)).order_by(question_table.c.answered_at.desc())).all()
    return [_shown(row) for row in rows]


def answer(question_id: str, text: str, user_id: str, publish: bool) -> dict[str, Any]:
    model.Session.execute(question_table.update().where(question_table.c.id == question_id).values(
        answer=text, answered_by=user_id, answered_at=_now(), published=publish))
    model.Session.commit()
    return get(question_id)
