"""A points payment names its hold (issue 16 point 1): ``sale_payments.hold_id``.

A hold backs one sale only; the column (indexed) is how the server finds a hold already used.
Payments recorded before this have none.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sale_payments", sa.Column("hold_id", sa.String(64), nullable=True))
    op.create_index("ix_sale_payments_hold_id", "sale_payments", ["hold_id"])


def downgrade() -> None:
    op.drop_index("ix_sale_payments_hold_id", table_name="sale_payments")
    with op.batch_alter_table("sale_payments") as batch:
        batch.drop_column("hold_id")
