"""Operator console: the guests' money balances from the change feed (order detail).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_balances",
        sa.Column("guest_id", sa.String(length=64), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guest_id", name=op.f("pk_console_balances")),
    )


def downgrade() -> None:
    op.drop_table("console_balances")
