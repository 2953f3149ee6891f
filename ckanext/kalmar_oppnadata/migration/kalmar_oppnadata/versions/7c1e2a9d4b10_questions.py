"""Questions and error reports about datasets (dialog/).

Revision ID: 7c1e2a9d4b10
Revises:
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "7c1e2a9d4b10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kalmar_oppnadata_question",
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
    op.create_index("kalmar_oppnadata_question_package_idx", "kalmar_oppnadata_question", ["package_id"])


def downgrade():
    op.drop_table("kalmar_oppnadata_question")
