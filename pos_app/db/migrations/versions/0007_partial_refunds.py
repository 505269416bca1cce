"""Refunds by line and quantity: a sale may have several refunds, each naming its lines.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_constraint("uq_refunds_sale_id", type_="unique")
        batch_op.create_index(batch_op.f("ix_refunds_sale_id"), ["sale_id"], unique=False)
        batch_op.add_column(sa.Column("lines", sa.Text(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_column("lines")
        batch_op.drop_index(batch_op.f("ix_refunds_sale_id"))
        batch_op.create_unique_constraint("uq_refunds_sale_id", ["sale_id"])
