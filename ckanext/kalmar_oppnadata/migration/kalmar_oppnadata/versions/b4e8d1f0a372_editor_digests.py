"""When each organization's editors last got their weekly digest (digests/editors.py).

Revision ID: b4e8d1f0a372
Revises: 9d3f5b2c6e21
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "b4e8d1f0a372"
down_revision = "9d3f5b2c6e21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kalmar_oppnadata_editor_digest",
        sa.Column("organization_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("sent", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("kalmar_oppnadata_editor_digest")
