"""The timeline index (figure, current, date, document_id, start) replaces (figure, date) and (figure).

A figure's current claims are read in exactly this order, so the timeline query needs no sort
and the per-figure counts of `tracker figures` read the index alone; the two older indexes
served only what this one serves, and dropping them makes every claim insert cheaper.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_claim_timeline", "claim", ["figure", "current", "date", "document_id", "start"])
    op.drop_index("ix_claim_figure_date", table_name="claim")
    op.drop_index("ix_claim_figure", table_name="claim")


def downgrade() -> None:
    op.create_index("ix_claim_figure", "claim", ["figure"])
    op.create_index("ix_claim_figure_date", "claim", ["figure", "date"])
    op.drop_index("ix_claim_timeline", table_name="claim")
