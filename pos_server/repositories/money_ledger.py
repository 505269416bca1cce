"""Balance (money) accounts in the database, driven by ``pos_app.domain.balance``: the
statements behind ``uow.accounts`` for the kind ``money`` (``accounts.py``).

Same pattern as the points ledger (``points_ledger.py``): the account row is locked
(PostgreSQL SELECT ... FOR UPDATE; SQLite: the write lock of BEGIN IMMEDIATE), the domain object
decides, and its postings, overdrafts and a ``balance_account`` feed snapshot are written in the
same transaction. The tables are the points ledger's (``accounts``, ``postings``, ``overdrafts``,
migration 0016) with the kind ``money``, written with Core statements compiled once. The
account id is the guest id; the feed names it ``balance:<guest id>`` so a till's account
snapshots (keyed by account id) keep it apart from the points account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from pos_app.domain.balance import BalanceAccount
from pos_app.domain.ledger import Overdraft, Posting, PostingKind
from pos_server.db.fastexec import Fast, core_connection
from pos_server.db.models import MONEY, AccountRow, OverdraftRow, PostingRow
from pos_server.ledger.amount_range import check_in_range
from pos_server.ledger.feed_snapshots import defer_snapshot

BALANCE_ENTITY = "balance_account"

_ACCOUNT = cast(Table, AccountRow.__table__)  # the money accounts: kind = 'money'
_LOCK_TOTAL = Fast(select(_ACCOUNT.c.total).where(
    _ACCOUNT.c.kind == MONEY, _ACCOUNT.c.id == bindparam("account_id")).with_for_update())
_INSERT_ACCOUNT = Fast(insert(_ACCOUNT), column_keys=("kind", "id", "total", "held"))
_SET_TOTAL = Fast(update(_ACCOUNT).where(
    _ACCOUNT.c.kind == MONEY, _ACCOUNT.c.id == bindparam("account_id")
).values(total=bindparam("new_total")))
_INSERT_POSTINGS = Fast(insert(PostingRow), column_keys=(
    "account_kind", "account_id", "kind", "amount", "total_after", "held_after", "at", "actor",
    "terminal_id", "reason", "ref"))  # fmt: skip
_INSERT_OVERDRAFTS = Fast(insert(OverdraftRow), column_keys=(
    "account_kind", "account_id", "amount", "at", "reason", "ref"))  # fmt: skip


def load_balance(db: Session | Connection, guest_id: str) -> BalanceAccount:
    """The guest's balance account, locked (created empty on first use)."""
    connection = core_connection(db)
    total: int | None = _LOCK_TOTAL.scalar(connection, {"account_id": guest_id})
    if total is None:
        _INSERT_ACCOUNT.run(connection, {"kind": MONEY, "id": guest_id, "total": 0, "held": 0})
        # a concurrent creator makes that an IntegrityError: the op is retried
        total = _LOCK_TOTAL.scalar(connection, {"account_id": guest_id})
        assert total is not None
    return BalanceAccount(guest_id, total)


def save_balance(db: Session | Connection, account: BalanceAccount, now: datetime) -> None:
    """Write what the domain object did: the total, postings, overdrafts, a feed snapshot."""
    if not account.postings:
        return
    check_in_range("balance", account.total, *(o.amount for o in account.overdrafts))
    connection = core_connection(db)
    _SET_TOTAL.run(connection, {"account_id": account.account_id, "new_total": account.total})
    _INSERT_POSTINGS.run_many(connection, [{
        "account_kind": MONEY, "account_id": p.account_id, "kind": p.kind.value,
        "amount": p.amount, "total_after": p.total_after, "held_after": 0, "at": p.at,
        "actor": p.actor, "terminal_id": p.terminal_id, "reason": p.reason, "ref": p.ref,
    } for p in account.postings])  # fmt: skip
    if account.overdrafts:
        _INSERT_OVERDRAFTS.run_many(connection, [{
            "account_kind": MONEY, "account_id": o.account_id, "amount": o.amount, "at": o.at,
            "reason": o.reason, "ref": o.ref} for o in account.overdrafts])  # fmt: skip
    defer_snapshot(db, BALANCE_ENTITY, account.account_id, balance_snapshot(account), now)


def balance_snapshot(account: BalanceAccount) -> dict[str, Any]:
    return {"account_id": f"balance:{account.account_id}", "guest_id": account.account_id,
            "total": account.total, "held": 0, "available": account.available,
            "debt": account.debt}  # fmt: skip


def balance_postings(session: Session, guest_id: str) -> list[Posting]:
    """The account's postings, oldest first, as domain objects (deltas from the total chain)."""
    query = select(PostingRow).where(PostingRow.account_kind == MONEY,
                                     PostingRow.account_id == guest_id)
    postings: list[Posting] = []
    total_before = 0
    for r in session.scalars(query.order_by(PostingRow.id)):
        postings.append(Posting(
            account_id=r.account_id, kind=PostingKind(r.kind), amount=r.amount,
            total_after=r.total_after, held_after=0, at=r.at, actor=r.actor,
            terminal_id=r.terminal_id, reason=r.reason, ref=r.ref,
            total_delta=r.total_after - total_before, held_delta=0,
        ))  # fmt: skip
        total_before = r.total_after
    return postings


def balance_overdrafts(session: Session, guest_id: str) -> list[Overdraft]:
    """The overdrafts recorded on the account, oldest first."""
    query = select(OverdraftRow).where(OverdraftRow.account_kind == MONEY,
                                       OverdraftRow.account_id == guest_id)
    return [Overdraft(o.account_id, o.amount, o.at, o.reason, o.ref)
            for o in session.scalars(query.order_by(OverdraftRow.id))]
