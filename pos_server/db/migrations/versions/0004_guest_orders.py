"""Guest orders and their lines (seed 001).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _col(name: str, kind: sa.types.TypeEngine, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, kind, nullable=nullable)


def upgrade() -> None:
    at = sa.DateTime(timezone=True)
    op.create_table(
        "guest_orders",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), nullable=False),
        _col("state", sa.String(16)),
        _col("method", sa.String(16)),
        _col("note", sa.String(500)),
        _col("ready_by", at, nullable=True),
        _col("points_hold_id", sa.String(64), nullable=True),
        _col("points_hold_amount", sa.BigInteger()),
        _col("total", sa.BigInteger()),
        _col("invoice_status", sa.String(16)),
        _col("paid_money", sa.BigInteger()),
        _col("paid_points", sa.BigInteger()),
        _col("reversed_amount", sa.BigInteger()),
        _col("debt", sa.BigInteger()),
        _col("placed_at", at),
        sa.Column("placed_by", sa.String(36), sa.ForeignKey("terminals.id"), nullable=False),
        _col("updated_at", at),
        _col("updated_by", sa.String(36)),
        _col("version", sa.Integer()),
    )
    op.create_index("ix_guest_orders_guest_id", "guest_orders", ["guest_id"])
    op.create_index("ix_guest_orders_state", "guest_orders", ["state"])
    op.create_table(
        "guest_order_lines",
        sa.Column("order_id", sa.String(64), sa.ForeignKey("guest_orders.id"), primary_key=True),
        sa.Column("line_id", sa.String(16), primary_key=True),
        _col("position", sa.Integer()),
        _col("product_id", sa.String(64)),
        _col("name", sa.String(200)),
        _col("quantity", sa.Integer()),
        _col("unit_price", sa.BigInteger()),
        _col("in_points", sa.Boolean()),
        _col("delivered", sa.Boolean()),
    )


def downgrade() -> None:
    op.drop_table("guest_order_lines")
    op.drop_table("guest_orders")
