"""A guest's open holds found without reading every hold they ever had.

Every hold operation reads the account's open holds (and the one it names). With only an
index on ``account_id`` that read walked all of the guest's holds, committed ones included,
so it grew with the guest's history; ``(account_id, status)`` finds the open ones directly.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_bonus_holds_account_status", "bonus_holds", ["account_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_bonus_holds_account_status", table_name="bonus_holds")
