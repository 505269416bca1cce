"""Bonus accounts in the database, driven by ``pos_app.domain.bonus`` (the rules are not copied):
the statements behind ``uow.accounts`` for the kind ``points`` and ``uow.holds``.

An operation loads the account with its row locked (PostgreSQL: SELECT ... FOR UPDATE; SQLite:
the write lock of BEGIN IMMEDIATE), lets the domain object decide, then writes the postings,
holds, overdrafts and a feed snapshot in the same transaction. So concurrent holds on one
account are judged one after another and can never overspend it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Table, bindparam, insert, select, union, update
from sqlalchemy.orm import Session

from pos_app.domain.bonus import BonusAccount, Hold, HoldStatus
from pos_app.domain.ledger import Overdraft, Posting, PostingKind
from pos_server.db.fastexec import Fast, core_connection
from pos_server.db.models import POINTS, AccountRow, BonusHoldRow, OverdraftRow, PostingRow
from pos_server.ledger.amount_range import check_in_range
from pos_server.ledger.feed_snapshots import defer_snapshot

_ACCOUNT = cast(Table, AccountRow.__table__)  # the points accounts: kind = 'points'
_POSTINGS = cast(Table, PostingRow.__table__)
_HOLDS = cast(Table, BonusHoldRow.__table__)
_HOLD_COLUMNS = (_HOLDS.c.id, _HOLDS.c.account_id, _HOLDS.c.amount, _HOLDS.c.created_at,
                 _HOLDS.c.expires_at, _HOLDS.c.terminal_id, _HOLDS.c.status,
                 _HOLDS.c.committed_amount)  # fmt: skip
# hold id -> (status, committed_amount) as loaded, per account object: save_account writes
# only what the domain object changed, without one more SELECT per hold
_LOADED: WeakKeyDictionary[BonusAccount, dict[str, tuple[str, int]]] = WeakKeyDictionary()


# Statements compiled once and run on the DBAPI cursor (pos_server/db/fastexec.py): this is
# the hot path of every hold operation.
_LOCK_TOTAL = Fast(select(_ACCOUNT.c.total).where(
    _ACCOUNT.c.kind == POINTS, _ACCOUNT.c.id == bindparam("account_id")).with_for_update())
# the account's open holds (index account_id, status) and the one named (primary key): a
# UNION, so each half uses its index whatever the length of the guest's history
_OPEN_AND_ONE = Fast(union(
    select(*_HOLD_COLUMNS).where(_HOLDS.c.account_id == bindparam("account_id"),
                                 _HOLDS.c.status == HoldStatus.OPEN.value),
    select(*_HOLD_COLUMNS).where(_HOLDS.c.id == bindparam("hold_id"),
                                 _HOLDS.c.account_id == bindparam("account_id")),
))  # fmt: skip
_HOLDS_OF = union(  # the same with several named holds (an IN list: Connection.execute)
    select(*_HOLD_COLUMNS).where(_HOLDS.c.account_id == bindparam("account_id"),
                                 _HOLDS.c.status == HoldStatus.OPEN.value),
    select(*_HOLD_COLUMNS).where(_HOLDS.c.id.in_(bindparam("wanted", expanding=True)),
                                 _HOLDS.c.account_id == bindparam("account_id")),
)  # fmt: skip
_INSERT_ACCOUNT = Fast(insert(_ACCOUNT), column_keys=("kind", "id", "total", "held"))
_SET_BALANCES = Fast(update(_ACCOUNT).where(
    _ACCOUNT.c.kind == POINTS, _ACCOUNT.c.id == bindparam("account_id")
).values(total=bindparam("new_total"), held=bindparam("new_held")))
_INSERT_HOLDS = Fast(insert(_HOLDS), column_keys=(
    "id", "account_id", "amount", "created_at", "expires_at", "terminal_id", "status",
    "committed_amount"))  # fmt: skip
_INSERT_POSTINGS = Fast(insert(_POSTINGS), column_keys=(
    "account_kind", "account_id", "kind", "amount", "total_after", "held_after", "at", "actor",
    "terminal_id", "reason", "ref", "hold_id"))  # fmt: skip
_INSERT_OVERDRAFTS = insert(OverdraftRow)


def _locked_total(connection: Connection, account_id: str) -> int | None:
    total: int | None = _LOCK_TOTAL.scalar(connection, {"account_id": account_id})
    return total


def _holds_of(connection: Connection, account_id: str, wanted: list[str]) -> list[Hold]:
    """Read in a statement of its own AFTER the lock is granted: on PostgreSQL (READ
    COMMITTED) a statement that waited for the lock still sees its own start snapshot for
    every other table, so holds joined to the locking SELECT would miss the hold the previous
    lock holder just placed (tested: tests/server/test_holds.py, fifty terminals at once)."""
    if len(wanted) <= 1:
        hold_id = wanted[0] if wanted else ""
        found = _OPEN_AND_ONE.rows(connection, {"account_id": account_id, "hold_id": hold_id})
        return [_hold(r) for r in found]
    rows = connection.execute(_HOLDS_OF, {"account_id": account_id, "wanted": wanted})
    return [_hold(r) for r in rows]


def load_account(
    db: Session | Connection, account_id: str, hold_ids: Iterable[str] = ()
) -> BonusAccount:
    """The account (created empty on first use) with its open holds and the named holds.

    Core statements, not ORM objects: this runs in every hold operation. The account row is
    locked (PostgreSQL: FOR UPDATE; SQLite: the write lock of BEGIN IMMEDIATE).
    """
    connection = core_connection(db)
    total = _locked_total(connection, account_id)
    if total is None:
        _INSERT_ACCOUNT.run(connection, {"kind": POINTS, "id": account_id, "total": 0,
                                         "held": 0})  # fmt: skip
        # a concurrent creator makes that an IntegrityError: the op is retried
        total = _locked_total(connection, account_id)
        assert total is not None
    return locked_account(connection, account_id, total, hold_ids)


def locked_account(
    connection: Connection, account_id: str, total: int, hold_ids: Iterable[str] = ()
) -> BonusAccount:
    """The domain object of an account whose row the caller has just locked and read."""
    holds = _holds_of(connection, account_id, list(hold_ids))
    account = BonusAccount(account_id, total, holds)
    _LOADED[account] = {h.id: (h.status.value, h.committed_amount) for h in holds}
    return account


# The account of a hold, locked, in one statement (hold.committed / hold.released)
_LOCK_BY_HOLD = Fast(
    select(_ACCOUNT.c.id, _ACCOUNT.c.total)
    .join(_HOLDS, (_HOLDS.c.account_kind == _ACCOUNT.c.kind)
          & (_HOLDS.c.account_id == _ACCOUNT.c.id))
    .where(_HOLDS.c.id == bindparam("hold_id")).with_for_update(of=_ACCOUNT)
)  # fmt: skip


def load_account_of_hold(connection: Connection, hold_id: str) -> BonusAccount | None:
    """The account holding ``hold_id``, locked, with its open holds and that hold; None for a
    hold the server does not know."""
    row = _LOCK_BY_HOLD.first(connection, {"hold_id": hold_id})
    if row is None:
        return None
    return locked_account(connection, row.id, row.total, [hold_id])


def _hold(row: Any) -> Hold:
    return Hold(
        id=row.id, account_id=row.account_id, amount=row.amount, created_at=row.created_at,
        expires_at=row.expires_at, terminal_id=row.terminal_id, status=HoldStatus(row.status),
        committed_amount=row.committed_amount,
    )


def save_account(db: Session | Connection, account: BonusAccount, now: datetime) -> None:
    """Write what the domain object did: balances, holds, postings, overdrafts, a snapshot.
    Nothing is written when a total would leave the safe range (``AmountOutOfRange``)."""
    check_in_range("points balance", account.total, account.held,
                   *(o.amount for o in account.overdrafts))
    loaded = _LOADED.get(account, {})
    connection = core_connection(db)  # ORM objects of the caller first (a sale postings refer to)
    new, changed = [], []
    for hold in account.holds.values():
        state = (hold.status.value, hold.committed_amount)
        if hold.id not in loaded:
            new.append({"id": hold.id, "account_id": hold.account_id, "amount": hold.amount,
                        "created_at": hold.created_at, "expires_at": hold.expires_at,
                        "terminal_id": hold.terminal_id, "status": state[0],
                        "committed_amount": state[1]})  # fmt: skip
        elif loaded[hold.id] != state:
            changed.append({"hold_id": hold.id, "status": state[0], "committed": state[1]})
        loaded[hold.id] = state
    _LOADED[account] = loaded
    postings = [{
        "account_kind": POINTS, "account_id": p.account_id, "kind": p.kind.value,
        "amount": p.amount, "total_after": p.total_after, "held_after": p.held_after, "at": p.at,
        "actor": p.actor, "terminal_id": p.terminal_id, "reason": p.reason, "ref": p.ref,
        "hold_id": p.hold_id} for p in account.postings]  # fmt: skip
    if connection.dialect.name == "postgresql" and postings and not account.overdrafts:
        statement, params = _save_in_one(account, new, changed, postings)
        statement.run(connection, params)
        defer_snapshot(db, "bonus_account", account.account_id, snapshot(account), now)
        return
    _SET_BALANCES.run(connection, {"account_id": account.account_id,
                                   "new_total": account.total, "new_held": account.held})
    if new:
        _INSERT_HOLDS.run_many(connection, new)
    if changed:
        _UPDATE_HOLD.run_many(connection, changed)
    if postings:
        _INSERT_POSTINGS.run_many(connection, postings)
    if account.overdrafts:
        connection.execute(_INSERT_OVERDRAFTS, [{
            "account_kind": POINTS, "account_id": o.account_id, "amount": o.amount,
            "at": o.at, "reason": o.reason, "ref": o.ref, "hold_id": o.hold_id}
            for o in account.overdrafts])  # fmt: skip
    if account.postings:
        defer_snapshot(db, "bonus_account", account.account_id, snapshot(account), now)


_UPDATE_HOLD = Fast(
    update(_HOLDS).where(_HOLDS.c.id == bindparam("hold_id"))
    .values(status=bindparam("status"), committed_amount=bindparam("committed"))
)  # fmt: skip
_HOLD_KEYS = ("id", "account_id", "amount", "created_at", "expires_at", "terminal_id", "status",
              "committed_amount")  # fmt: skip
_POSTING_KEYS = ("account_kind", "account_id", "kind", "amount", "total_after", "held_after",
                 "at", "actor", "terminal_id", "reason", "ref", "hold_id")  # fmt: skip
_SAVE_SHAPES: dict[tuple[int, int, int], Fast] = {}


def _save_in_one(
    account: BonusAccount, new: list[dict[str, Any]], changed: list[dict[str, Any]],
    postings: list[dict[str, Any]],
) -> tuple[Fast, dict[str, Any]]:  # fmt: skip
    """PostgreSQL: balances, new and changed holds and the postings in ONE statement (the
    first three as data-modifying CTEs, the postings as one multi-row INSERT so their ids
    keep their order): a hold or a commit is one round trip instead of three or four. The
    statement is built once per shape (how many holds and postings)."""
    shape = (len(new), len(changed), len(postings))
    statement = _SAVE_SHAPES.get(shape)
    if statement is None:
        ctes = [update(_ACCOUNT)
                .where(_ACCOUNT.c.kind == POINTS, _ACCOUNT.c.id == bindparam("account_id"))
                .values(total=bindparam("new_total"), held=bindparam("new_held"))
                .returning(_ACCOUNT.c.id).cte("balances")]  # fmt: skip
        ctes += [insert(_HOLDS).values({k: bindparam(f"n{i}_{k}") for k in _HOLD_KEYS})
                 .returning(_HOLDS.c.id).cte(f"new_hold_{i}") for i in range(shape[0])]
        ctes += [update(_HOLDS).where(_HOLDS.c.id == bindparam(f"c{i}_hold_id"))
                 .values(status=bindparam(f"c{i}_status"),
                         committed_amount=bindparam(f"c{i}_committed"))
                 .returning(_HOLDS.c.id).cte(f"changed_hold_{i}") for i in range(shape[1])]
        rows: list[dict[str, Any]] = [
            {k: bindparam(f"p{i}_{k}") for k in _POSTING_KEYS} for i in range(shape[2])]
        statement = _SAVE_SHAPES[shape] = Fast(
            insert(_POSTINGS).values(rows).add_cte(*ctes))
    params: dict[str, Any] = {"account_id": account.account_id, "new_total": account.total,
                              "new_held": account.held}  # fmt: skip
    for prefix, rows_of in (("n", new), ("c", changed), ("p", postings)):
        for i, row in enumerate(rows_of):
            params.update({f"{prefix}{i}_{k}": v for k, v in row.items()})
    return statement, params


def snapshot(account: BonusAccount) -> dict[str, int | str]:
    return {"account_id": account.account_id, "total": account.total, "held": account.held,
            "available": account.available}


def load_postings(session: Session, account_id: str) -> list[Posting]:
    """The account's postings, oldest first, as domain objects (deltas from the balance chain)."""
    rows = session.scalars(
        select(PostingRow).where(PostingRow.account_kind == POINTS,
                                 PostingRow.account_id == account_id).order_by(PostingRow.id)
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
    query = (select(OverdraftRow).where(OverdraftRow.account_kind == POINTS)
             .order_by(OverdraftRow.id))  # fmt: skip
    if account_id is not None:
        query = query.where(OverdraftRow.account_id == account_id)
    return [Overdraft(o.account_id, o.amount, o.at, o.reason, o.ref, o.hold_id)
            for o in session.scalars(query)]




def credit_points(
    session: Session, account_id: str, amount: int, *, now: datetime, actor: str, reason: str
) -> BonusAccount:
    """Add points outside a sale (manual adjustment by an operator, tests, imports)."""
    account = load_account(session, account_id)
    account.credit(amount, now=now, actor=actor, terminal_id=None, reason=reason,
                   kind=PostingKind.ADJUSTMENT)
    save_account(session, account, now)
    return account
