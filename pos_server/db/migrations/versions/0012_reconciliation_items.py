"""Reconciliation items of closed sales, and the feed index their recomputation reads.

The server recomputes every ``sale.closed`` with the domain's pricing
(``pos_server.ops.sale_review``) and keeps each difference as an item for a manager, never as a
refusal. The recomputation looks up a product's price and a guest's group as they were at a past
feed position or moment, in the change feed's history: ``(entity, entity_id, id)`` finds the latest
change of one record before a point without reading the others.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reconciliation_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("at", AT, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("sale_id", sa.String(64), nullable=False),
        sa.Column("terminal_id", sa.String(36), nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("resolved_at", AT, nullable=True),
        sa.Column("resolved_by", sa.String(64), nullable=True),
    )
    op.create_index("ix_reconciliation_items_sale_id", "reconciliation_items", ["sale_id"])
    op.create_index("ix_changes_entity_record", "changes", ["entity", "entity_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_changes_entity_record", table_name="changes")
    op.drop_index("ix_reconciliation_items_sale_id", table_name="reconciliation_items")
    op.drop_table("reconciliation_items")
