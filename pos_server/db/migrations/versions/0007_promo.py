"""Promo codes and referral cashback on the server; the tills' cash shifts and refunds
(``models_till``).

Owned by the till-services work stream.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    at = sa.DateTime(timezone=True)
    op.create_table(
        "shifts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("terminal_id", sa.String(36), sa.ForeignKey("terminals.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened_at", at, nullable=False),
        sa.Column("opened_by", sa.String(64), nullable=False),
        sa.Column("opening_cash", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", at, nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        sa.Column("counted_cash", sa.BigInteger(), nullable=True),
        sa.Column("expected_cash", sa.BigInteger(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.UniqueConstraint("terminal_id", "number", name="uq_shifts_terminal_number"),
    )
    op.create_index("ix_shifts_terminal_id", "shifts", ["terminal_id"])
    op.create_table(
        "promo_codes",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), nullable=False),
        sa.Column("phone", sa.String(32), nullable=True, unique=True),
        sa.Column("issued_at", at, nullable=False),
        sa.Column("issued_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_promo_codes_guest_id", "promo_codes", ["guest_id"])
    op.create_table(
        "promo_redemptions",
        sa.Column("sale_id", sa.String(64), primary_key=True),
        sa.Column("code", sa.String(64), sa.ForeignKey("promo_codes.code"), nullable=False),
        sa.Column("owner_guest_id", sa.String(64), nullable=False),
        sa.Column("buyer_guest_id", sa.String(64), nullable=True),
        sa.Column("paid_in_money", sa.BigInteger(), nullable=False),
        sa.Column("cashback", sa.BigInteger(), nullable=False),
        sa.Column("at", at, nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_promo_redemptions_code", "promo_redemptions", ["code"])
    op.create_table(
        "sale_refunds",
        sa.Column("sale_id", sa.String(64), sa.ForeignKey("sales.id"), primary_key=True),
        sa.Column("refund_id", sa.String(64), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("refunded_at", at, nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("accrual_taken_back", sa.BigInteger(), nullable=False),
        sa.Column("cashback_taken_back", sa.BigInteger(), nullable=False),
        sa.Column("at", at, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sale_refunds")
    op.drop_table("promo_redemptions")
    op.drop_table("promo_codes")
    op.drop_table("shifts")
