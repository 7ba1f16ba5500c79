"""An index on claim.aspect, so `--aspect` filters across figures need no table scan.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_claim_aspect", "claim", ["aspect"])


def downgrade() -> None:
    op.drop_index("ix_claim_aspect", table_name="claim")
