"""Product tiles (issue 22 point 8): a colour and a small picture per product and per group.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_TABLES = ("product_groups", "products")


def upgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name) as table:
            table.add_column(sa.Column("colour", sa.String(7), nullable=True))
            table.add_column(sa.Column("image", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    for name in reversed(_TABLES):
        with op.batch_alter_table(name) as table:
            table.drop_column("image")
            table.drop_column("colour")
