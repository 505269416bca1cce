"""Deposit top-ups taken at the till (issue 17): listed on the shift reports apart from
revenue, and refunded by a manager (``models_till.DepositTopUpRow``).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deposit_top_ups",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("guest_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("card_ref", sa.String(length=64), nullable=True),
        sa.Column("refunded_at", sa.String(length=32), nullable=True),
        sa.Column("refunded_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("method IN ('cash', 'card')", name=op.f("ck_deposit_top_ups_method")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_deposit_top_ups_amount")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_top_ups")),
    )
    with op.batch_alter_table("deposit_top_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deposit_top_ups_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_deposit_top_ups_guest_id"), ["guest_id"],
                              unique=False)  # fmt: skip
        batch_op.create_index(batch_op.f("ix_deposit_top_ups_refunded_at"), ["refunded_at"],
                              unique=False)  # fmt: skip


def downgrade() -> None:
    op.drop_table("deposit_top_ups")
