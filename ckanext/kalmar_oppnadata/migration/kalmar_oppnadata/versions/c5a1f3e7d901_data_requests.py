"""Requests for data ("Önska data", data_requests/): the requests, their supporters and comments, and the
requested datasets the region adds to the study's 28 (registers/requested_datasets.py).

Revision ID: c5a1f3e7d901
Revises: b4e8d1f0a372
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "c5a1f3e7d901"
down_revision = "b4e8d1f0a372"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kalmar_oppnadata_data_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("municipalities", sa.UnicodeText, nullable=False, server_default="[]"),
        sa.Column("email", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("approved", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.UnicodeText, nullable=False, server_default="new"),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("requested_id", sa.UnicodeText),
        sa.Column("organizations", sa.UnicodeText, nullable=False, server_default="[]"),
        sa.Column("datasets", sa.UnicodeText, nullable=False, server_default="[]"),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
    )
    op.create_index("kalmar_oppnadata_data_request_approved", "kalmar_oppnadata_data_request",
                    ["approved", "created"])
    op.create_table(
        "kalmar_oppnadata_data_request_support",
        sa.Column("request_id", sa.UnicodeText,
                  sa.ForeignKey("kalmar_oppnadata_data_request.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("supporter", sa.UnicodeText, primary_key=True),
        sa.Column("email", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "kalmar_oppnadata_data_request_comment",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText,
                  sa.ForeignKey("kalmar_oppnadata_data_request.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("name", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("text", sa.UnicodeText, nullable=False),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "kalmar_oppnadata_requested_dataset",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("name_en", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("request_id", sa.UnicodeText,
                  sa.ForeignKey("kalmar_oppnadata_data_request.id", ondelete="SET NULL")),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("kalmar_oppnadata_requested_dataset")
    op.drop_table("kalmar_oppnadata_data_request_comment")
    op.drop_table("kalmar_oppnadata_data_request_support")
    op.drop_table("kalmar_oppnadata_data_request")
