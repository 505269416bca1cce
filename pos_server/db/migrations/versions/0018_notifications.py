"""The notification outbox, Telegram subscription links, the guest's chat and the lease of
the one Telegram poller (issue 21).

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("idempotency_key", sa.String(200), nullable=False, unique=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=True),
        sa.Column("guest_id", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text", sa.String(4096), nullable=False),
        sa.Column("qr", sa.String(256), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", AT, nullable=False),
        sa.Column("claimed_until", AT, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("sent_at", AT, nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("provider_id", sa.String(64), nullable=True),
    )
    op.create_index("ix_notifications_due", "notifications", ["status", "next_attempt_at"])
    op.create_index("ix_notifications_guest_status", "notifications", ["guest_id", "status"])
    op.create_table(
        "telegram_links",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("guest_id", sa.String(64), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("used_at", AT, nullable=True),
        sa.Column("chat_id", sa.String(32), nullable=True),
    )
    op.create_index("ix_telegram_links_guest_id", "telegram_links", ["guest_id"])
    op.create_table(
        "notify_leases",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("until", AT, nullable=False),
    )
    with op.batch_alter_table("guests") as guests:
        guests.add_column(sa.Column("telegram_chat_id", sa.String(32), nullable=True))
        guests.add_column(sa.Column("telegram_bound_at", AT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("guests") as guests:
        guests.drop_column("telegram_bound_at")
        guests.drop_column("telegram_chat_id")
    op.drop_table("notify_leases")
    op.drop_index("ix_telegram_links_guest_id", table_name="telegram_links")
    op.drop_table("telegram_links")
    op.drop_index("ix_notifications_guest_status", table_name="notifications")
    op.drop_index("ix_notifications_due", table_name="notifications")
    op.drop_table("notifications")
