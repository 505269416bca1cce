"""The cabinet's shop (issue 19 point 6): the order a guest is building, kept on the server.

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cabinet_basket_lines",
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), primary_key=True),
        sa.Column("product_id", sa.String(64), primary_key=True),
        sa.Column("in_points", sa.Boolean(), primary_key=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("cabinet_basket_lines")
