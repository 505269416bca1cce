"""Programme settings set in the back office (issue 18 point 4): the venue, the loyalty
programme, the promo programme and guest ordering, one row per dotted key with its JSON value.
A key with no row takes its default (the ``POS_SERVER_*`` variable or the built-in one).

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("programme_settings")
