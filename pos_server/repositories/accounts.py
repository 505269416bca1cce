"""Guests' accounts of both kinds, points and money, with their postings and overdrafts.

One repository for the two ledgers: ``kind`` picks the account (``"points"``: the bonus
account, ``pos_app.domain.bonus.BonusAccount`` with its holds; ``"money"``: the balance account,
``pos_app.domain.balance.BalanceAccount``). A handler loads an account locked, lets the domain
object decide and saves what it did; which tables that touches is known here and in the two
statement modules of this package it wraps (``points_ledger.py``, ``money_ledger.py``: the
dialect SQL of the two ledgers, kept apart for their size).

Both kinds live in the same tables (``accounts`` keyed by kind and id, ``postings`` and
``overdrafts`` with ``account_kind``; migration 0016), written with Core statements compiled
once (``db/fastexec.py``) on the operation's connection: no ORM session is made for a hold or
a balance payment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal, overload

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pos_app.domain.balance import BalanceAccount
from pos_app.domain.bonus import BonusAccount
from pos_app.domain.ledger import Overdraft, Posting
from pos_app.domain.venue_clock import business_day
from pos_server.db.models import OverdraftRow
from pos_server.db.models_ledger import StaffTopUpRow
from pos_server.programme.service import current
from pos_server.repositories.money_ledger import (
    balance_overdrafts,
    balance_postings,
    load_balance,
    save_balance,
)
from pos_server.repositories.points_ledger import (
    load_account,
    load_account_of_hold,
    load_overdrafts,
    load_postings,
    save_account,
)
from pos_server.uow import Repository

AccountKind = Literal["points", "money"]
POINTS: Literal["points"] = "points"
MONEY: Literal["money"] = "money"


class Accounts(Repository):
    """``uow.accounts``: load (locked, created empty on first use) and save accounts."""

    __slots__ = ()

    @property
    def _db(self) -> Session | Connection:
        """The session when the operation already has one (its pending rows are flushed
        before the ledger's Core statements, as an ORM query would), else the connection:
        a hold never pays for a session."""
        return self._uow.session if self._uow.has_session else self._uow.connection

    @overload
    def load(
        self, kind: Literal["points"], account_id: str, hold_ids: Iterable[str] = ()
    ) -> BonusAccount: ...

    @overload
    def load(self, kind: Literal["money"], account_id: str) -> BalanceAccount: ...

    def load(
        self, kind: AccountKind, account_id: str, hold_ids: Iterable[str] = ()
    ) -> BonusAccount | BalanceAccount:
        """The account, its row locked for the rest of the transaction (PostgreSQL: FOR
        UPDATE; SQLite: the write lock of BEGIN IMMEDIATE); points with their open holds and
        the holds named."""
        if kind == POINTS:
            return load_account(self._db, account_id, hold_ids)
        if kind == MONEY:
            return load_balance(self._db, account_id)
        raise ValueError(f"unknown account kind {kind!r}")

    def points_of_hold(self, hold_id: str) -> BonusAccount | None:
        """The points account holding ``hold_id``, locked in the same statement, with its
        open holds and that hold; None for a hold the server does not know."""
        return load_account_of_hold(self._connection, hold_id)

    def save(self, account: BonusAccount | BalanceAccount) -> None:
        """Write what the domain object did (balances, holds, postings, overdrafts) and its
        snapshot for the change feed at commit. A total beyond the safe range writes nothing
        (``AmountOutOfRange``)."""
        if isinstance(account, BonusAccount):
            save_account(self._db, account, self._uow.now)
        else:
            save_balance(self._db, account, self._uow.now)

    def postings(self, kind: AccountKind, account_id: str) -> list[Posting]:
        """The account's postings, oldest first."""
        if kind == POINTS:
            return load_postings(self._session, account_id)
        return balance_postings(self._session, account_id)

    def overdrafts(self, kind: AccountKind, account_id: str) -> list[Overdraft]:
        """The overdrafts recorded on the account, oldest first."""
        if kind == POINTS:
            return load_overdrafts(self._session, account_id)
        return balance_overdrafts(self._session, account_id)

    def count_top_up(self, staff_id: str, amount: int) -> int:
        """Add ``amount`` to what ``staff_id`` topped up on the shop's business day of
        ``uow.now``; what they had topped up that day before it. One statement (an upsert
        returning the new total, the row locked until the end of the transaction), so two
        top-ups in one person's name are counted one after the other; undone with the
        operation when it is refused."""
        day = business_day(self._uow.now, current(self._uow).venue.zone)
        dialect = postgresql if self._dialect == "postgresql" else sqlite
        statement = dialect.insert(StaffTopUpRow).values(staff_id=staff_id, day=day, total=amount)
        statement = statement.on_conflict_do_update(
            index_elements=["staff_id", "day"],
            set_={"total": StaffTopUpRow.total + statement.excluded.total},
        ).returning(StaffTopUpRow.total)  # fmt: skip
        total = int(self._connection.execute(statement).scalar_one())
        return total - amount

    def recent_overdrafts(self, since: datetime | None, limit: int) -> list[Any]:
        """At most ``limit`` overdrafts of both kinds, newest first, from ``since`` on: rows
        with the ``overdrafts`` columns (the managers' list, ``ledger/overdraft_list.py``)."""
        return newest(self._connection, OverdraftRow, since, limit)


def newest(connection: Connection, table: Any, since: datetime | None, limit: int) -> list[Any]:
    """The newest ``limit`` rows of ``table`` (an ``id`` and an ``at`` column), newest first."""
    query = select(*table.__table__.c).order_by(table.id.desc()).limit(limit)
    if since is not None:
        query = query.where(table.at >= since)
    return list(connection.execute(query))
