"""Product tiles (issue 22 point 8): the colour and picture the catalogue sends for a product
and for a product group.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TABLES = ("product_groups", "products")


def upgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("colour", sa.String(7), nullable=True))
            batch_op.add_column(sa.Column("image", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    for name in reversed(_TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("image")
            batch_op.drop_column("colour")
