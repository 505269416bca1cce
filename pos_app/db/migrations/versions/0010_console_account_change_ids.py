"""Operator console: the change id that last wrote a guest's points and balance (issue 20
point 5). Order changes now carry the guest's accounts too, so two sources write them; the
newer change wins, whichever arrives last (a feed page re-read after a live order event).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("console_points", "console_balances")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("change_id", sa.Integer(), nullable=False, server_default="0")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("change_id")
