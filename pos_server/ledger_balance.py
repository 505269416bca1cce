"""Balance (money) accounts in the database, driven by ``pos_app.domain.balance``.

Same pattern as the points ledger (``pos_server.ledger``): the account row is locked (PostgreSQL
SELECT ... FOR UPDATE; SQLite: the write lock of BEGIN IMMEDIATE), the domain object decides,
and its postings, overdrafts and a ``balance_account`` feed snapshot are written in the same
transaction. The account id is the guest id; the feed names it ``balance:<guest id>`` so a
till's account snapshots (keyed by account id) keep it apart from the points account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.balance import BalanceAccount
from pos_app.domain.ledger import Overdraft, Posting, PostingKind
from pos_server.amount_range import check_in_range
from pos_server.db.models_ledger import BalanceAccountRow, BalanceOverdraftRow, BalancePostingRow
from pos_server.ledger_feed import defer_snapshot

BALANCE_ENTITY = "balance_account"


def _locked_row(session: Session, guest_id: str) -> BalanceAccountRow | None:
    query = select(BalanceAccountRow).where(BalanceAccountRow.id == guest_id).with_for_update()
    return session.scalars(query).one_or_none()


def load_balance(session: Session, guest_id: str) -> BalanceAccount:
    """The guest's balance account, locked (created empty on first use)."""
    row = _locked_row(session, guest_id)
    if row is None:
        session.add(BalanceAccountRow(id=guest_id, total=0))
        session.flush()  # a concurrent creator makes this an IntegrityError: the op is retried
        row = _locked_row(session, guest_id)
        assert row is not None
    return BalanceAccount(guest_id, row.total)


def save_balance(session: Session, account: BalanceAccount, now: datetime) -> None:
    """Write what the domain object did: the total, postings, overdrafts, a feed snapshot."""
    if not account.postings:
        return
    check_in_range("balance", account.total, *(o.amount for o in account.overdrafts))
    session.get_one(BalanceAccountRow, account.account_id).total = account.total
    for p in account.postings:
        session.add(BalancePostingRow(
            account_id=p.account_id, kind=p.kind.value, amount=p.amount,
            total_after=p.total_after, at=p.at, actor=p.actor, terminal_id=p.terminal_id,
            reason=p.reason, ref=p.ref,
        ))  # fmt: skip
    for o in account.overdrafts:
        session.add(BalanceOverdraftRow(account_id=o.account_id, amount=o.amount, at=o.at,
                                        reason=o.reason, ref=o.ref))  # fmt: skip
    session.flush()
    defer_snapshot(session, BALANCE_ENTITY, account.account_id, balance_snapshot(account), now)


def balance_snapshot(account: BalanceAccount) -> dict[str, Any]:
    return {"account_id": f"balance:{account.account_id}", "guest_id": account.account_id,
            "total": account.total, "held": 0, "available": account.available,
            "debt": account.debt}  # fmt: skip


def balance_postings(session: Session, guest_id: str) -> list[Posting]:
    """The account's postings, oldest first, as domain objects (deltas from the total chain)."""
    query = select(BalancePostingRow).where(BalancePostingRow.account_id == guest_id)
    postings: list[Posting] = []
    total_before = 0
    for r in session.scalars(query.order_by(BalancePostingRow.id)):
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
    query = select(BalanceOverdraftRow).where(BalanceOverdraftRow.account_id == guest_id)
    return [Overdraft(o.account_id, o.amount, o.at, o.reason, o.ref)
            for o in session.scalars(query.order_by(BalanceOverdraftRow.id))]


def order_money_effect(
    session: Session, kind: str, guest_id: str, amount: int, *, order_id: str, terminal_id: str,
    now: datetime,
) -> None:  # fmt: skip
    """A guest order's money effect on the balance account: ``pay`` (a balance payment, never
    beyond the balance: InsufficientBalance), ``refund`` (a voided balance payment given back)
    or ``debt`` (completed unpaid: the amount is owed)."""
    if amount <= 0:
        return
    account = load_balance(session, guest_id)
    who: dict[str, Any] = {"now": now, "actor": f"terminal:{terminal_id}",
                           "terminal_id": terminal_id, "ref": order_id}  # fmt: skip
    if kind == "pay":
        account.pay(amount, reason=f"order {order_id} paid", **who)
    elif kind == "refund":
        account.credit(amount, reason=f"order {order_id} voided", **who)
    else:
        account.charge_debt(amount, reason=f"order {order_id} completed unpaid", **who)
    save_balance(session, account, now)
