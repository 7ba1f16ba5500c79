"""Stories and confidence: each document and claim names the negotiation it belongs to; claims carry the extractor's confidence.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("story", sa.String(), nullable=True))
        batch.create_index("ix_document_story", ["story"])
    with op.batch_alter_table("claim") as batch:
        batch.add_column(sa.Column("story", sa.String(), nullable=True))
        batch.add_column(sa.Column("confidence", sa.Float(), nullable=True))
        batch.create_index("ix_claim_story", ["story"])


def downgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.drop_index("ix_claim_story")
        batch.drop_column("confidence")
        batch.drop_column("story")
    with op.batch_alter_table("document") as batch:
        batch.drop_index("ix_document_story")
        batch.drop_column("story")
