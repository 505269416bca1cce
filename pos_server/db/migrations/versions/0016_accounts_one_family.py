"""Points and money accounts as one family with a kind (issue 15 point 4).

``bonus_accounts`` + ``balance_accounts`` -> ``accounts`` (key: kind, id), ``bonus_postings`` +
``balance_postings`` -> ``postings`` and ``overdrafts`` + ``balance_overdrafts`` ->
``overdrafts``, each with ``account_kind``; ``bonus_holds`` gains ``account_kind`` ('points')
for its foreign key. Every row is copied.

Ids: an account's id is its guest's id in both old tables, so a guest with points and a
balance has the same id twice: the key becomes (kind, id) and no id changes. Postings and
overdrafts had an id sequence per table, overlapping: the points rows keep their ids and the
money rows follow the largest points id in their own order (nothing refers to a posting's or
an overdraft's id). The money accounts' foreign key to ``guests`` goes (the points accounts
never had one). PostgreSQL's id sequences are moved past the copied ids.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)
KEY = ("accounts.kind", "accounts.id")
POSTING = ("kind", "amount", "total_after", "at", "actor", "terminal_id", "reason", "ref")
OVERDRAFT = ("amount", "at", "reason", "ref")
HOLD = ("id", "account_id", "amount", "created_at", "expires_at", "terminal_id", "status",
        "committed_amount")  # fmt: skip


def _col(name: str, kind: sa.types.TypeEngine, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, kind, nullable=nullable)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", BigId, primary_key=True, autoincrement=True)


def _account(kind_default: str | None = None) -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column("account_kind", sa.String(8), nullable=False,
                      server_default=kind_default),
            _col("account_id", sa.String(64))]  # fmt: skip


def _execute(sql: str) -> None:
    op.execute(sa.text(sql))


def _copy(target: str, columns: tuple[str, ...], source: str, select: str) -> None:
    """INSERT INTO target (columns) SELECT select FROM source, ordered by the source's id."""
    names = ", ".join(columns)
    _execute(f"INSERT INTO {target} ({names}) SELECT {select} FROM {source} ORDER BY id")


def _advance_sequence(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        _execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                 f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")  # fmt: skip


def _new_holds(name: str, *, with_kind: bool) -> None:
    account = (_account("points") if with_kind else
               [sa.Column("account_id", sa.String(64), sa.ForeignKey("bonus_accounts.id"),
                          nullable=False)])  # fmt: skip
    constraints = ([sa.ForeignKeyConstraint(["account_kind", "account_id"], list(KEY))]
                   if with_kind else [])  # fmt: skip
    op.create_table(
        name, sa.Column("id", sa.String(64), primary_key=True), *account,
        _col("amount", sa.BigInteger()), _col("created_at", AT), _col("expires_at", AT),
        _col("terminal_id", sa.String(36), True), _col("status", sa.String(16)),
        _col("committed_amount", sa.BigInteger()), *constraints,
    )  # fmt: skip


def _hold_indexes() -> None:
    op.create_index("ix_bonus_holds_account_id", "bonus_holds", ["account_id"])
    op.create_index("ix_bonus_holds_expires_at", "bonus_holds", ["expires_at"])
    op.create_index("ix_bonus_holds_account_status", "bonus_holds", ["account_id", "status"])


def upgrade() -> None:
    op.create_table(
        "accounts", sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True), _col("total", sa.BigInteger()),
        _col("held", sa.BigInteger()),
    )  # fmt: skip
    _execute("INSERT INTO accounts (kind, id, total, held) "
             "SELECT 'points', id, total, held FROM bonus_accounts")  # fmt: skip
    _execute("INSERT INTO accounts (kind, id, total, held) "
             "SELECT 'money', id, total, 0 FROM balance_accounts")  # fmt: skip

    op.create_table(
        "postings", _id(), *_account(), _col("kind", sa.String(16)),
        _col("amount", sa.BigInteger()), _col("total_after", sa.BigInteger()),
        _col("held_after", sa.BigInteger()), _col("at", AT), _col("actor", sa.String(64)),
        _col("terminal_id", sa.String(36), True), _col("reason", sa.String(200)),
        _col("ref", sa.String(64), True), _col("hold_id", sa.String(64), True),
        sa.ForeignKeyConstraint(["account_kind", "account_id"], list(KEY)),
    )  # fmt: skip
    cols: tuple[str, ...] = ("id", "account_kind", "account_id", *POSTING, "held_after",
                             "hold_id")  # fmt: skip
    _copy("postings", cols, "bonus_postings",
          f"id, 'points', account_id, {', '.join(POSTING)}, held_after, hold_id")
    offset = "(SELECT COALESCE(MAX(id), 0) FROM bonus_postings)"
    _copy("postings", cols, "balance_postings",
          f"id + {offset}, 'money', account_id, {', '.join(POSTING)}, 0, NULL")
    op.create_index("ix_postings_account", "postings", ["account_id", "account_kind"])
    op.create_index("ix_postings_hold_id", "postings", ["hold_id"])
    _advance_sequence("postings")

    op.create_table(
        "ledger_overdrafts", _id(), *_account(), _col("amount", sa.BigInteger()),
        _col("at", AT), _col("reason", sa.String(200)), _col("ref", sa.String(64), True),
        _col("hold_id", sa.String(64), True),
        sa.ForeignKeyConstraint(["account_kind", "account_id"], list(KEY)),
    )  # fmt: skip
    cols = ("id", "account_kind", "account_id", *OVERDRAFT, "hold_id")
    _copy("ledger_overdrafts", cols, "overdrafts",
          f"id, 'points', account_id, {', '.join(OVERDRAFT)}, hold_id")
    offset = "(SELECT COALESCE(MAX(id), 0) FROM overdrafts)"
    _copy("ledger_overdrafts", cols, "balance_overdrafts",
          f"id + {offset}, 'money', account_id, {', '.join(OVERDRAFT)}, NULL")

    _new_holds("ledger_holds", with_kind=True)
    _copy("ledger_holds", HOLD, "bonus_holds", ", ".join(HOLD))

    for table in ("bonus_holds", "overdrafts", "balance_overdrafts", "bonus_postings",
                  "balance_postings", "bonus_accounts", "balance_accounts"):  # fmt: skip
        op.drop_table(table)
    op.rename_table("ledger_overdrafts", "overdrafts")
    op.create_index("ix_overdrafts_account", "overdrafts", ["account_id", "account_kind"])
    op.create_index("ix_overdrafts_hold_id", "overdrafts", ["hold_id"])
    _advance_sequence("overdrafts")
    op.rename_table("ledger_holds", "bonus_holds")
    _hold_indexes()


def downgrade() -> None:
    op.create_table("bonus_accounts", sa.Column("id", sa.String(64), primary_key=True),
                    _col("total", sa.BigInteger()), _col("held", sa.BigInteger()))
    op.create_table("balance_accounts",
                    sa.Column("id", sa.String(64), sa.ForeignKey("guests.id"), primary_key=True),
                    _col("total", sa.BigInteger()))  # fmt: skip
    _execute("INSERT INTO bonus_accounts (id, total, held) "
             "SELECT id, total, held FROM accounts WHERE kind = 'points'")  # fmt: skip
    _execute("INSERT INTO balance_accounts (id, total) "
             "SELECT id, total FROM accounts WHERE kind = 'money'")  # fmt: skip

    def account(table: str) -> sa.Column:  # type: ignore[type-arg]
        return sa.Column("account_id", sa.String(64), sa.ForeignKey(f"{table}.id"),
                         nullable=False)

    op.create_table(
        "bonus_postings", _id(), account("bonus_accounts"), _col("kind", sa.String(16)),
        _col("amount", sa.BigInteger()), _col("total_after", sa.BigInteger()),
        _col("held_after", sa.BigInteger()), _col("at", AT), _col("actor", sa.String(64)),
        _col("terminal_id", sa.String(36), True), _col("reason", sa.String(200)),
        _col("ref", sa.String(64), True), _col("hold_id", sa.String(64), True),
    )  # fmt: skip
    op.create_table(
        "balance_postings", _id(), account("balance_accounts"), _col("kind", sa.String(16)),
        _col("amount", sa.BigInteger()), _col("total_after", sa.BigInteger()), _col("at", AT),
        _col("actor", sa.String(64)), _col("terminal_id", sa.String(36), True),
        _col("reason", sa.String(200)), _col("ref", sa.String(64), True),
    )  # fmt: skip
    posting = ", ".join(("id", "account_id", *POSTING))
    _execute(f"INSERT INTO bonus_postings ({posting}, held_after, hold_id) SELECT {posting}, "
             "held_after, hold_id FROM postings WHERE account_kind = 'points' ORDER BY id")
    _execute(f"INSERT INTO balance_postings ({posting}) SELECT {posting} FROM postings "
             "WHERE account_kind = 'money' ORDER BY id")  # fmt: skip

    op.create_table(
        "points_overdrafts", _id(), account("bonus_accounts"), _col("amount", sa.BigInteger()),
        _col("at", AT), _col("reason", sa.String(200)), _col("ref", sa.String(64), True),
        _col("hold_id", sa.String(64), True),
    )  # fmt: skip
    op.create_table(
        "balance_overdrafts", _id(), account("balance_accounts"),
        _col("amount", sa.BigInteger()), _col("at", AT), _col("reason", sa.String(200)),
        _col("ref", sa.String(64), True),
    )  # fmt: skip
    overdraft = ", ".join(("id", "account_id", *OVERDRAFT))
    _execute(f"INSERT INTO points_overdrafts ({overdraft}, hold_id) SELECT {overdraft}, "
             "hold_id FROM overdrafts WHERE account_kind = 'points' ORDER BY id")
    _execute(f"INSERT INTO balance_overdrafts ({overdraft}) SELECT {overdraft} FROM overdrafts "
             "WHERE account_kind = 'money' ORDER BY id")  # fmt: skip

    _new_holds("points_holds", with_kind=False)
    _copy("points_holds", HOLD, "bonus_holds", ", ".join(HOLD))

    for table in ("bonus_holds", "overdrafts", "postings", "accounts"):
        op.drop_table(table)
    op.rename_table("points_overdrafts", "overdrafts")
    op.rename_table("points_holds", "bonus_holds")
    _hold_indexes()
    op.create_index("ix_bonus_postings_account_id", "bonus_postings", ["account_id"])
    op.create_index("ix_bonus_postings_hold_id", "bonus_postings", ["hold_id"])
    op.create_index("ix_balance_postings_account_id", "balance_postings", ["account_id"])
    op.create_index("ix_overdrafts_account_id", "overdrafts", ["account_id"])
    op.create_index("ix_overdrafts_hold_id", "overdrafts", ["hold_id"])
    op.create_index("ix_balance_overdrafts_account_id", "balance_overdrafts", ["account_id"])
    for table in ("bonus_postings", "balance_postings", "overdrafts", "balance_overdrafts"):
        _advance_sequence(table)
