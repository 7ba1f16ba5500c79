"""The timeline index (figure, date, document_id, start) replaces (figure, date) and (figure).

A figure's claims are read in exactly this order, so the query needs no sort; the two older
indexes are prefixes of it, and dropping them makes every claim insert cheaper.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_claim_timeline", "claim", ["figure", "date", "document_id", "start"])
    op.drop_index("ix_claim_figure_date", table_name="claim")
    op.drop_index("ix_claim_figure", table_name="claim")


def downgrade() -> None:
    op.create_index("ix_claim_figure", "claim", ["figure"])
    op.create_index("ix_claim_figure_date", "claim", ["figure", "date"])
    op.drop_index("ix_claim_timeline", table_name="claim")
