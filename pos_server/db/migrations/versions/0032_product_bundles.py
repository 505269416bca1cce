"""Composite products and time packages (issue 18 point 6): ``products.components`` (a
bundle's parts, JSON ``[{"product_id", "quantity"}]``, empty for a plain product) and
``products.minutes`` (a time package's minutes, NULL otherwise); ``products.extra_barcodes``
(JSON list: the barcodes a product answers to besides ``barcode``).

Revision ID: 0032
Revises: 0031
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("products", sa.Column("components", sa.JSON(), nullable=False,
                                        server_default="[]"))  # fmt: skip
    op.add_column("products", sa.Column("minutes", sa.Integer(), nullable=True))
    op.add_column("products", sa.Column("extra_barcodes", sa.JSON(), nullable=False,
                                        server_default="[]"))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("products") as batch_op:
        batch_op.drop_column("extra_barcodes")
        batch_op.drop_column("minutes")
        batch_op.drop_column("components")
