"""Postings and overdrafts name the hold that made them, so an order's ref joins to its hold.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("bonus_postings", "overdrafts")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("hold_id", sa.String(64), nullable=True))
            batch.create_index(f"ix_{table}_hold_id", ["hold_id"])


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_hold_id")
            batch.drop_column("hold_id")
