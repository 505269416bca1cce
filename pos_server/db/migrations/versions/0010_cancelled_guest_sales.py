"""Cancelled sales of identified guests, so they count against the daily identification limit.

The limit counts identifications ("лимит операций в день": authorisations of the guest at a
till per day, seed 002), and a basket cancelled after the guest was identified was one. The
server kept cancelled sales only as stored operations; this table lets the count find them by
guest and day, as ``sale_loyalty`` does for closed ones.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cancelled_guest_sales",
        sa.Column("sale_id", sa.String(64), primary_key=True),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), nullable=False),
        sa.Column("terminal_id", sa.String(36), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_cancelled_guest_sales_guest_at", "cancelled_guest_sales", ["guest_id", "cancelled_at"]
    )


def downgrade() -> None:
    op.drop_table("cancelled_guest_sales")
