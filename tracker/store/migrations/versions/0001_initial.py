"""The first schema: documents and their claims, as tracker 0.1.0 created them.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("doc", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("author", sa.String(), nullable=True),
        sa.Column("date", sa.String(), nullable=True),
        sa.Column("date_inferred", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("content_hash", name="uq_document_content_hash"),
    )
    for column in ("content_hash", "doc", "source", "url", "date", "current"):
        op.create_index(f"ix_document_{column}", "document", [column])
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False),
        sa.Column("figure", sa.String(), nullable=False),
        sa.Column("aspect", sa.String(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("hedge", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("attribution", sa.String(), nullable=True),
        sa.Column("qualifiers", sa.String(), nullable=False),
        sa.Column("date", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
    )
    for column in ("document_id", "figure", "date", "source"):
        op.create_index(f"ix_claim_{column}", "claim", [column])
    op.create_index("ix_claim_figure_date", "claim", ["figure", "date"])
    op.create_index("ix_claim_figure_aspect_date", "claim", ["figure", "aspect", "date"])


def downgrade() -> None:
    op.drop_table("claim")
    op.drop_table("document")
