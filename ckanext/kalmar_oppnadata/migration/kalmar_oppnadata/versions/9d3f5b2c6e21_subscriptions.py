"""Subscriptions by e-mail without an account (digests/).

Revision ID: 9d3f5b2c6e21
Revises: 7c1e2a9d4b10
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "9d3f5b2c6e21"
down_revision = "7c1e2a9d4b10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kalmar_oppnadata_subscription",
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


def downgrade():
    op.drop_table("kalmar_oppnadata_subscription")
