"""The name a registration gives (issue 19 point 1): when no guest has the confirmed phone,
the cabinet creates the guest with it (``pos_server.guests.new_guest.create_guest_by_guest``).

Revision ID: 0034
Revises: 0033
"""

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cabinet_signups", sa.Column("name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cabinet_signups") as batch:
        batch.drop_column("name")
