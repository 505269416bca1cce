"""Bonus accounts in the database, driven by ``pos_app.domain.bonus`` (the rules are not copied).

An operation loads the account with its row locked (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
the write lock of BEGIN IMMEDIATE), lets the domain object decide, then writes the postings,
holds, overdrafts and a feed snapshot in the same transaction. So concurrent holds on one
account are judged one after another and can never overspend it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pos_app.domain.bonus import BonusAccount, Hold, HoldStatus, Overdraft
from pos_app.domain.ledger import Posting, PostingKind
from pos_server.db.models import BonusAccountRow, BonusHoldRow, OverdraftRow, PostingRow
from pos_server.ledger_feed import defer_snapshot


def _locked_row(session: Session, account_id: str) -> BonusAccountRow | None:
    query = select(BonusAccountRow).where(BonusAccountRow.id == account_id).with_for_update()
    return session.scalars(query).one_or_none()


def load_account(session: Session, account_id: str, hold_ids: Iterable[str] = ()) -> BonusAccount:
    """The account (created empty on first use) with its open holds and the named holds."""
    row = _locked_row(session, account_id)
    if row is None:
        session.add(BonusAccountRow(id=account_id, total=0, held=0))
        session.flush()  # a concurrent creator makes this an IntegrityError: the op is retried
        row = _locked_row(session, account_id)
        assert row is not None
    wanted = list(hold_ids)
    holds = list(session.scalars(
        select(BonusHoldRow).where(
            BonusHoldRow.account_id == account_id,
            or_(BonusHoldRow.status == HoldStatus.OPEN.value, BonusHoldRow.id.in_(wanted)),
        )
    ))  # fmt: skip
    _loaded(session).update((h.id, h) for h in holds)
    return BonusAccount(account_id, row.total, [_hold(h) for h in holds])


def _loaded(session: Session) -> dict[str, BonusHoldRow]:
    """Hold rows this transaction loaded: save_account tells new holds from stored ones
    without one more SELECT per hold (the hot path of every hold operation)."""
    loaded: dict[str, BonusHoldRow] = session.info.setdefault("bonus_holds_loaded", {})
    return loaded


def _hold(row: BonusHoldRow) -> Hold:
    return Hold(
        id=row.id, account_id=row.account_id, amount=row.amount, created_at=row.created_at,
        expires_at=row.expires_at, terminal_id=row.terminal_id, status=HoldStatus(row.status),
        committed_amount=row.committed_amount,
    )


def save_account(session: Session, account: BonusAccount, now: datetime) -> None:
    """Write what the domain object did: balances, holds, postings, overdrafts, a snapshot."""
    row = session.get_one(BonusAccountRow, account.account_id)
    row.total, row.held = account.total, account.held
    loaded = _loaded(session)
    for hold in account.holds.values():
        stored = loaded.get(hold.id)
        if stored is None:
            loaded[hold.id] = BonusHoldRow(
                id=hold.id, account_id=hold.account_id, amount=hold.amount,
                created_at=hold.created_at, expires_at=hold.expires_at,
                terminal_id=hold.terminal_id, status=hold.status.value,
                committed_amount=hold.committed_amount,
            )  # fmt: skip
            session.add(loaded[hold.id])
        else:
            stored.status, stored.committed_amount = hold.status.value, hold.committed_amount
    for p in account.postings:
        session.add(PostingRow(
            account_id=p.account_id, kind=p.kind.value, amount=p.amount,
            total_after=p.total_after, held_after=p.held_after, at=p.at, actor=p.actor,
            terminal_id=p.terminal_id, reason=p.reason, ref=p.ref, hold_id=p.hold_id,
        ))  # fmt: skip
    for o in account.overdrafts:
        session.add(OverdraftRow(
            account_id=o.account_id, amount=o.amount, at=o.at, reason=o.reason, ref=o.ref,
            hold_id=o.hold_id,
        ))  # fmt: skip
    session.flush()
    if account.postings:
        defer_snapshot(session, "bonus_account", account.account_id, snapshot(account), now)


def snapshot(account: BonusAccount) -> dict[str, int | str]:
    return {"account_id": account.account_id, "total": account.total, "held": account.held,
            "available": account.available}


def load_postings(session: Session, account_id: str) -> list[Posting]:
    """The account's postings, oldest first, as domain objects (deltas from the balance chain)."""
    rows = session.scalars(
        select(PostingRow).where(PostingRow.account_id == account_id).order_by(PostingRow.id)
    )
    postings: list[Posting] = []
    total_before = held_before = 0
    for r in rows:
        postings.append(Posting(
            account_id=r.account_id, kind=PostingKind(r.kind), amount=r.amount,
            total_after=r.total_after, held_after=r.held_after, at=r.at, actor=r.actor,
            terminal_id=r.terminal_id, reason=r.reason, ref=r.ref,
            total_delta=r.total_after - total_before, held_delta=r.held_after - held_before,
            hold_id=r.hold_id,
        ))  # fmt: skip
        total_before, held_before = r.total_after, r.held_after
    return postings


def load_overdrafts(session: Session, account_id: str | None = None) -> list[Overdraft]:
    """Recorded overdrafts (of one account, or all), oldest first, with the hold that made them."""
    query = select(OverdraftRow).order_by(OverdraftRow.id)
    if account_id is not None:
        query = query.where(OverdraftRow.account_id == account_id)
    return [Overdraft(o.account_id, o.amount, o.at, o.reason, o.ref, o.hold_id)
            for o in session.scalars(query)]


def hold_account_id(session: Session, hold_id: str) -> str | None:
    return session.scalar(select(BonusHoldRow.account_id).where(BonusHoldRow.id == hold_id))


def credit_points(
    session: Session, account_id: str, amount: int, *, now: datetime, actor: str, reason: str
) -> BonusAccount:
    """Add points outside a sale (manual adjustment by an operator, tests, imports)."""
    account = load_account(session, account_id)
    account.credit(amount, now=now, actor=actor, terminal_id=None, reason=reason,
                   kind=PostingKind.ADJUSTMENT)
    save_account(session, account, now)
    return account
