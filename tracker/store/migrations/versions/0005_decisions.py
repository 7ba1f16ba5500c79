"""Decisions on claims (Correct the record): the decision table, and each claim's status and extracted fields.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("doc_key", sa.String(), nullable=False),
        sa.Column("doc_hash", sa.String(length=64), nullable=True),
        sa.Column("figure", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("occurrence", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=True),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("undone_at", sa.String(), nullable=True),
        sa.Column("undone_by", sa.String(), nullable=True),
        sa.UniqueConstraint("uid", name="uq_decision_uid"),
    )
    op.create_index("ix_decision_doc_key", "decision", ["doc_key"])
    op.create_index("ix_decision_claim_id", "decision", ["claim_id"])
    op.create_index("ix_decision_doc_hash", "decision", ["doc_hash"])
    with op.batch_alter_table("claim") as batch:
        batch.add_column(sa.Column("status", sa.String(), nullable=False, server_default="extracted"))
        batch.add_column(sa.Column("original", sa.Text(), nullable=True))
        batch.add_column(sa.Column("add_uid", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.drop_column("add_uid")
        batch.drop_column("original")
        batch.drop_column("status")
    op.drop_index("ix_decision_doc_hash", table_name="decision")
    op.drop_index("ix_decision_claim_id", table_name="decision")
    op.drop_index("ix_decision_doc_key", table_name="decision")
    op.drop_table("decision")
