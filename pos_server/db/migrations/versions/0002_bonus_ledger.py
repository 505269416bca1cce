"""Bonus accounts, holds, append-only postings and overdrafts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _account() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("account_id", sa.String(64), sa.ForeignKey("bonus_accounts.id"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "bonus_accounts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("held", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "bonus_holds",
        sa.Column("id", sa.String(64), primary_key=True),
        _account(),
        sa.Column("amount", sa.BigInteger, nullable=False),
        _at("created_at"),
        _at("expires_at"),
        sa.Column("terminal_id", sa.String(36)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("committed_amount", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_bonus_holds_account_id", "bonus_holds", ["account_id"])
    op.create_index("ix_bonus_holds_expires_at", "bonus_holds", ["expires_at"])
    op.create_table(
        "bonus_postings",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        _account(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("total_after", sa.BigInteger, nullable=False),
        sa.Column("held_after", sa.BigInteger, nullable=False),
        _at("at"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("terminal_id", sa.String(36)),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("ref", sa.String(64)),
    )
    op.create_index("ix_bonus_postings_account_id", "bonus_postings", ["account_id"])
    op.create_table(
        "overdrafts",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        _account(),
        sa.Column("amount", sa.BigInteger, nullable=False),
        _at("at"),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("ref", sa.String(64)),
    )
    op.create_index("ix_overdrafts_account_id", "overdrafts", ["account_id"])


def downgrade() -> None:
    for table in ("overdrafts", "bonus_postings", "bonus_holds", "bonus_accounts"):
        op.drop_table(table)
