"""An index on ``sales.closed_at``: every report of the back office reads sales by period.

Without it, a day's report on a chain with years of sales scans the whole table.

Revision ID: 0029
Revises: 0028
"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sales_closed_at", "sales", ["closed_at"])


def downgrade() -> None:
    op.drop_index("ix_sales_closed_at", "sales")
