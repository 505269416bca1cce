"""Refunds by line (issue 22 point 5): a sale may be refunded in several parts.

``sale_refunds`` was keyed by the sale (one refund, in full); it is now keyed by the refund,
with the sale indexed and what each refund gave back by method (``by_method``; the rows of
full refunds before this keep NULL: they gave back everything the sale recorded).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_COLUMNS = ("refund_id, sale_id, terminal_id, refunded_at, approved_by, total, "
            "accrual_taken_back, cashback_taken_back, at")


def _table(name: str, *, by_method: bool) -> None:
    at = sa.DateTime(timezone=True)
    op.create_table(
        name,
        sa.Column("refund_id", sa.String(64), primary_key=True),
        sa.Column("sale_id", sa.String(64), sa.ForeignKey("sales.id"), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("refunded_at", at, nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("accrual_taken_back", sa.BigInteger(), nullable=False),
        sa.Column("cashback_taken_back", sa.BigInteger(), nullable=False),
        sa.Column("at", at, nullable=False),
        *([sa.Column("by_method", sa.JSON(), nullable=True)] if by_method else []),
    )


def upgrade() -> None:
    _table("sale_refunds_0016", by_method=True)
    op.execute(f"INSERT INTO sale_refunds_0016 ({_COLUMNS}) SELECT {_COLUMNS} FROM sale_refunds")
    op.drop_table("sale_refunds")
    op.rename_table("sale_refunds_0016", "sale_refunds")
    op.create_index("ix_sale_refunds_sale_id", "sale_refunds", ["sale_id"])


def downgrade() -> None:
    op.drop_index("ix_sale_refunds_sale_id", table_name="sale_refunds")
    op.rename_table("sale_refunds", "sale_refunds_0016")
    op.create_table(
        "sale_refunds",
        sa.Column("sale_id", sa.String(64), sa.ForeignKey("sales.id"), primary_key=True),
        sa.Column("refund_id", sa.String(64), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("accrual_taken_back", sa.BigInteger(), nullable=False),
        sa.Column("cashback_taken_back", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    # one row per sale again: the parts of a sale refunded in several are summed
    op.execute(
        "INSERT INTO sale_refunds (sale_id, refund_id, terminal_id, refunded_at, approved_by,"
        " total, accrual_taken_back, cashback_taken_back, at)"
        " SELECT sale_id, MIN(refund_id), MIN(terminal_id), MIN(refunded_at), MIN(approved_by),"
        " SUM(total), SUM(accrual_taken_back), SUM(cashback_taken_back), MIN(at)"
        " FROM sale_refunds_0016 GROUP BY sale_id"
    )
    op.drop_table("sale_refunds_0016")
