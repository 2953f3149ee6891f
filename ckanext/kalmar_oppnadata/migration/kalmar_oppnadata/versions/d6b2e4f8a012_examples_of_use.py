"""Examples of use and the datasets each uses (reuse/store.py).

Revision ID: d6b2e4f8a012
Revises: b4e8d1f0a372
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "d6b2e4f8a012"
down_revision = "c5a1f3e7d901"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kalmar_oppnadata_reuse",
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
    op.create_index("kalmar_oppnadata_reuse_state_idx", "kalmar_oppnadata_reuse", ["state"])
    op.create_table(
        "kalmar_oppnadata_reuse_dataset",
        sa.Column("reuse_id", sa.UnicodeText, sa.ForeignKey("kalmar_oppnadata_reuse.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  primary_key=True),
    )
    op.create_index("kalmar_oppnadata_reuse_dataset_package_idx", "kalmar_oppnadata_reuse_dataset", ["package_id"])


def downgrade():
    op.drop_table("kalmar_oppnadata_reuse_dataset")
    op.drop_table("kalmar_oppnadata_reuse")
