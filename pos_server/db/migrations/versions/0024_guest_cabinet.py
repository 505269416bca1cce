"""The guest cabinet (issue 19): cabinet accounts (login, argon2id password, a pending
recovery password, the phone's confirmation) and registrations waiting for their SMS code.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "cabinet_accounts",
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), primary_key=True),
        sa.Column("login", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("recovery_hash", sa.String(200), nullable=True),
        sa.Column("recovery_expires_at", _AT, nullable=True),
        sa.Column("recovery_sent_at", _AT, nullable=True),
        sa.Column("phone_confirmed_at", _AT, nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("password_changed_at", _AT, nullable=False),
    )
    op.create_table(
        "cabinet_signups",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("guest_id", sa.String(64), nullable=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("wrong_codes", sa.Integer(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
    )
    op.create_index("ix_cabinet_signups_expires_at", "cabinet_signups", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_cabinet_signups_expires_at", "cabinet_signups")
    op.drop_table("cabinet_signups")
    op.drop_table("cabinet_accounts")
