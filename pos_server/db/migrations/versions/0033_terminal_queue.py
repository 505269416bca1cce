"""The queue each till last reported (issue 18 point 7): operations waiting, since when the
oldest has waited, when the report came; the back office's terminals page shows them
(``pos_server.terminals.queue``).

Revision ID: 0033
Revises: 0032
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("terminals", sa.Column("queue_waiting", sa.Integer(), nullable=True))
    op.add_column("terminals", sa.Column("queue_oldest_at", sa.DateTime(timezone=True),
                                         nullable=True))  # fmt: skip
    op.add_column("terminals", sa.Column("queue_reported_at", sa.DateTime(timezone=True),
                                         nullable=True))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("terminals") as batch:
        batch.drop_column("queue_reported_at")
        batch.drop_column("queue_oldest_at")
        batch.drop_column("queue_waiting")
