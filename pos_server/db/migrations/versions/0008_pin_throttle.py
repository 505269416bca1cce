"""Wrong-PIN counts of the staff checks on HTTP calls, shared by every server process.

Owned by the server-admin work stream (``pos_server/staff/auth.py``).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pin_failures",
        sa.Column("terminal_id", sa.String(36), primary_key=True),
        sa.Column("staff_id", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("pin_failures")
