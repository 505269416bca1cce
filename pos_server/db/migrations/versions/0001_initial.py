"""Terminals, applied operations, guests and identifiers, sales, the change feed.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "terminals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        _at("created_at"),
        sa.Column("enrol_code_hash", sa.String(64), unique=True),
        sa.Column("token_hash", sa.String(64), unique=True),
        _at("enrolled_at", nullable=True),
        _at("revoked_at", nullable=True),
        sa.Column("last_seq", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.create_table(
        "applied_operations",
        sa.Column("op_id", sa.String(36), primary_key=True),
        sa.Column("terminal_id", sa.String(36), sa.ForeignKey("terminals.id"), nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        _at("created_at"),
        _at("received_at"),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64)),
        sa.Column("message", sa.String(500)),
        sa.Column("current", sa.JSON),
        sa.UniqueConstraint("terminal_id", "seq", name="uq_applied_operations_seq"),
    )
    op.create_index("ix_applied_operations_terminal_id", "applied_operations", ["terminal_id"])
    op.create_table(
        "guests",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(32)),
        _at("created_at"),
        sa.Column("created_by", sa.String(36), sa.ForeignKey("terminals.id"), nullable=False),
    )
    op.create_table(
        "guest_identifiers",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id"), nullable=False),
        sa.Column("medium", sa.String(32), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("value", sa.String(128), nullable=False, unique=True),
        _at("bound_at"),
    )
    op.create_index("ix_guest_identifiers_guest_id", "guest_identifiers", ["guest_id"])
    _create_sales()
    _create_feed()


def _create_sales() -> None:
    op.create_table(
        "sales",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("terminal_id", sa.String(36), sa.ForeignKey("terminals.id"), nullable=False),
        sa.Column("op_id", sa.String(36), nullable=False),
        sa.Column("receipt_no", sa.String(32)),
        sa.Column("guest_id", sa.String(64), sa.ForeignKey("guests.id")),
        _at("opened_at"),
        _at("closed_at"),
        sa.Column("total", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_sales_terminal_id", "sales", ["terminal_id"])
    op.create_index("ix_sales_guest_id", "sales", ["guest_id"])
    op.create_table(
        "sale_lines",
        sa.Column("sale_id", sa.String(64), sa.ForeignKey("sales.id"), primary_key=True),
        sa.Column("line_no", sa.Integer, primary_key=True),
        sa.Column("product_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("unit_price", sa.BigInteger, nullable=False),
        sa.Column("discount", sa.BigInteger, nullable=False),
        sa.Column("total", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "sale_payments",
        sa.Column("sale_id", sa.String(64), sa.ForeignKey("sales.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
    )


def _create_feed() -> None:
    counter = op.create_table(
        "feed_counter",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_id", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(counter, [{"id": 1, "last_id": 0}])
    op.create_table(
        "changes",
        sa.Column("id", BigId, primary_key=True, autoincrement=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(128), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        _at("at"),
    )


def downgrade() -> None:
    for table in (
        "changes", "feed_counter", "sale_payments", "sale_lines", "sales",
        "guest_identifiers", "guests", "applied_operations", "terminals",
    ):
        op.drop_table(table)
