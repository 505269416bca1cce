"""Card top-ups from the guest cabinet (issue 19 point 5): ``card_top_ups``, one row per
attempt, the provider's payment id unique (``pos_server/db/models_payments.py``).

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "card_top_ups",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payment_id", sa.String(64), nullable=True, unique=True),
        sa.Column("confirmation_url", sa.String(2000), nullable=True),
        sa.Column("failure", sa.String(200), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("credited_at", _AT, nullable=True),
    )
    op.create_index("ix_card_top_ups_guest", "card_top_ups", ["guest_id", "created_at"])
    op.create_index("ix_card_top_ups_status", "card_top_ups", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_card_top_ups_status", "card_top_ups")
    op.drop_index("ix_card_top_ups_guest", "card_top_ups")
    op.drop_table("card_top_ups")
