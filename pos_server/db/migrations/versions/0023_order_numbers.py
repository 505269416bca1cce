"""Short order numbers (issue 20 point 5): ``guest_orders.number`` ("A-017") and the counter of
each venue day, ``guest_order_numbers``. Orders placed before keep no number (the consoles
show their id's head as before). Orders priced at placement (point 1): each line's group
discount, ``guest_order_lines.discount`` (0 for the lines before). The points a paid order
earned (point 2), ``guest_orders.accrual``, and the till sale that paid it,
``guest_orders.paid_by_sale``.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("guest_orders", sa.Column("number", sa.String(16), nullable=True))
    op.add_column(
        "guest_orders", sa.Column("accrual", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.add_column("guest_orders", sa.Column("paid_by_sale", sa.String(64), nullable=True))
    op.add_column(
        "guest_order_lines",
        sa.Column("discount", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.create_table(
        "guest_order_numbers",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("guest_order_numbers")
    with op.batch_alter_table("guest_order_lines") as batch:
        batch.drop_column("discount")
    with op.batch_alter_table("guest_orders") as batch:
        batch.drop_column("paid_by_sale")
        batch.drop_column("accrual")
        batch.drop_column("number")
