"""The guest card (issue 17): its fields on the guest, the kinds of contacts, blocked
identifiers and permissions granted to staff one by one.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("guests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("birthday", sa.String(10), nullable=True))
        batch_op.add_column(sa.Column("sex", sa.String(8), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column(
                "cabinet_login_allowed", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
        batch_op.add_column(
            sa.Column("group_by_hand", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("accrual_bp", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_redemption_bp", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("contact_labels", sa.Text(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("permissions", sa.Text(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("permissions")
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.drop_column("blocked")
    with op.batch_alter_table("guests", schema=None) as batch_op:
        for column in (
            "contact_labels",
            "max_redemption_bp",
            "accrual_bp",
            "group_by_hand",
            "cabinet_login_allowed",
            "note",
            "sex",
            "birthday",
        ):
            batch_op.drop_column(column)
