"""A product group's ``active`` flag on the till (issue 18 point 6): the back office's
inactive group takes its tile and its products off sale at the tills; active again brings
them back. Every stored group starts active (the feed sends the flag with each group change).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("product_groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("product_groups", schema=None) as batch_op:
        batch_op.drop_column("active")
