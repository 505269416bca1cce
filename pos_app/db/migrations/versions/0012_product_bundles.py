"""Composite products and time packages (issue 18 point 6): a product's parts (JSON
``[{"product_id", "name", "quantity"}]``, ``[]`` for a plain product) and minutes, kept on the
catalogue's rows and on each sale line's snapshot (the receipt prints them from the sale);
``products.extra_barcodes`` (JSON list: the barcodes a product is found by besides ``barcode``).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLES = ("products", "sale_lines")


def upgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("components", sa.Text(), nullable=False,
                                          server_default="[]"))  # fmt: skip
            batch_op.add_column(sa.Column("minutes", sa.Integer(), nullable=True))
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra_barcodes", sa.Text(), nullable=False,
                                      server_default="[]"))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("extra_barcodes")
    for name in reversed(_TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("minutes")
            batch_op.drop_column("components")
