"""Balance accounts, loyalty rules on sales, offline allowance, audited admin actions.

Owned by the server-ledger work stream. Tables: balance_accounts / balance_postings /
balance_overdrafts (money), guest_loyalty (group and lifetime spend; guest_groups itself comes
in 0006, so no foreign key to it), sale_loyalty, rule_breaches, admin_audit.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)


def _col(name: str, kind: sa.types.TypeEngine, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, kind, nullable=nullable)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", BigId, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, primary: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(64), sa.ForeignKey(target), primary_key=primary,
                     nullable=False)


def _balance_tables() -> None:
    op.create_table("balance_accounts", _fk("id", "guests.id", primary=True),
                    _col("total", sa.BigInteger()))
    op.create_table(
        "balance_postings", _id(), _fk("account_id", "balance_accounts.id"),
        _col("kind", sa.String(16)), _col("amount", sa.BigInteger()),
        _col("total_after", sa.BigInteger()), _col("at", AT), _col("actor", sa.String(64)),
        _col("terminal_id", sa.String(36), True), _col("reason", sa.String(200)),
        _col("ref", sa.String(64), True),
    )
    op.create_index("ix_balance_postings_account_id", "balance_postings", ["account_id"])
    op.create_table(
        "balance_overdrafts", _id(), _fk("account_id", "balance_accounts.id"),
        _col("amount", sa.BigInteger()), _col("at", AT), _col("reason", sa.String(200)),
        _col("ref", sa.String(64), True),
    )
    op.create_index("ix_balance_overdrafts_account_id", "balance_overdrafts", ["account_id"])


def upgrade() -> None:
    _balance_tables()
    op.create_table(
        "guest_loyalty", _fk("guest_id", "guests.id", primary=True),
        _col("group_id", sa.String(64), True), _col("lifetime_spend", sa.BigInteger()),
        _col("updated_at", AT),
    )
    op.create_table(
        "sale_loyalty", _fk("sale_id", "sales.id", primary=True), _fk("guest_id", "guests.id"),
        _col("group_id", sa.String(64), True), _col("closed_at", AT),
        _col("money_paid", sa.BigInteger()), _col("points_paid", sa.BigInteger()),
        _col("accrual", sa.BigInteger()), _col("offline", sa.Boolean()),
    )
    op.create_index("ix_sale_loyalty_guest_id", "sale_loyalty", ["guest_id"])
    op.create_index("ix_sale_loyalty_closed_at", "sale_loyalty", ["closed_at"])
    op.create_table(
        "rule_breaches", _id(), _fk("guest_id", "guests.id"), _col("rule", sa.String(32)),
        _col("amount", sa.BigInteger()), _col("at", AT), _col("terminal_id", sa.String(36), True),
        _col("ref", sa.String(64), True), _col("message", sa.String(500)),
    )
    op.create_index("ix_rule_breaches_guest_id", "rule_breaches", ["guest_id"])
    op.create_index("ix_rule_breaches_ref", "rule_breaches", ["ref"])
    op.create_table(
        "admin_audit", _id(), _col("at", AT), _col("action", sa.String(32)),
        _col("actor", sa.String(64)), _col("terminal_id", sa.String(36), True),
        _col("target", sa.String(128)), _col("reason", sa.String(500)),
        _col("details", sa.JSON()),
    )


def downgrade() -> None:
    for table in ("admin_audit", "rule_breaches", "sale_loyalty", "guest_loyalty",
                  "balance_overdrafts", "balance_postings", "balance_accounts"):
        op.drop_table(table)
