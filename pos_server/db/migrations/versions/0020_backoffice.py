"""The web back office (issue 18 point 1): server-side sessions, sign-in throttling, staff
permissions; an index of guests by group (a group's members tab). The audit of back-office
changes goes to the existing ``admin_audit`` table.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    at = sa.DateTime(timezone=True)
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("realm", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", at, nullable=False),
        sa.Column("last_seen_at", at, nullable=False),
        sa.Column("expires_at", at, nullable=False),
    )
    op.create_index("ix_web_sessions_subject_id", "web_sessions", ["subject_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])
    op.create_table(
        "sign_in_failures",
        sa.Column("realm", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", at, nullable=True),
    )
    op.create_table(
        "staff_permissions",
        sa.Column("staff_id", sa.String(36), sa.ForeignKey("staff.id"), primary_key=True),
        sa.Column("permission", sa.String(32), primary_key=True),
    )
    op.create_index("ix_guest_loyalty_group_id", "guest_loyalty", ["group_id"])


def downgrade() -> None:
    op.drop_index("ix_guest_loyalty_group_id", table_name="guest_loyalty")
    op.drop_table("staff_permissions")
    op.drop_table("sign_in_failures")
    op.drop_index("ix_web_sessions_expires_at", table_name="web_sessions")
    op.drop_index("ix_web_sessions_subject_id", table_name="web_sessions")
    op.drop_table("web_sessions")
