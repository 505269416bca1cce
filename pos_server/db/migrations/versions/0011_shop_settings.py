"""The shop-wide settings published to the tills (the shop's time zone, issue 15).

One row, written when ``POS_SERVER_SHOP_TIMEZONE`` differs from what was last published; no
row means nothing was published and every till uses the domain default (Europe/Moscow).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shop_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shop_settings")
