"""The unit of work an operation is judged in: where it came from, when, and the repositories
over its transaction.

A handler is ``handle(op, uow) -> Verdict``. It asks repositories (``uow.sales``,
``uow.accounts``, ...) for what it needs and never sees a connection or a session: the SQL,
including any statement written for one dialect, lives inside the repositories. The pipeline
(``pos_server/ops/pipeline.py``) owns the transaction: it begins, keeps or undoes each
operation, commits; a handler never commits.

Migration note: the families of operations not yet behind a repository still reach the
transaction through ``connection`` and ``session`` below. Those two attributes are the
repositories' own way in (``Repository._connection`` / ``_session``); they go from the public
surface when the last handler stops using them (issue 15 point 4).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from pos_app.domain.bonus import DEFAULT_HOLD_TTL

if TYPE_CHECKING:  # the repositories import Repository from here
    from pos_server.repositories.orders import Orders
    from pos_server.repositories.promos import Promos
    from pos_server.repositories.shifts import Shifts
    from pos_server.repositories.staff import Staff


class UnitOfWork:
    """One operation's transaction (or its savepoint in a group commit) and its origin.

    ``now`` is the server's clock, never the till's. The ORM session is made on first use,
    joined to the same transaction: the hot kinds (holds, sales) never pay for one. The
    pipeline keeps its work (``keep_session``) and commits the connection.
    """

    __slots__ = ("_orders", "_promos", "_session", "_shifts", "_staff", "alone", "connection",
                 "hold_ttl", "now", "op_id", "terminal_id")  # fmt: skip

    def __init__(
        self, connection: Connection, terminal_id: str, op_id: str, now: datetime,
        hold_ttl: timedelta = DEFAULT_HOLD_TTL,
    ) -> None:  # fmt: skip
        self.connection = connection
        self.terminal_id = terminal_id
        self.op_id = op_id
        self.now = now
        self.hold_ttl = hold_ttl
        self._session: Session | None = None
        self.alone = True  # False: the operation shares its transaction (group commit)
        self._orders: Orders | None = None
        self._shifts: Shifts | None = None
        self._promos: Promos | None = None
        self._staff: Staff | None = None

    # The repositories, each made on first use (most operations need one or two).

    @property
    def orders(self) -> Orders:
        if self._orders is None:
            from pos_server.repositories.orders import Orders

            self._orders = Orders(self)
        return self._orders

    @property
    def shifts(self) -> Shifts:
        if self._shifts is None:
            from pos_server.repositories.shifts import Shifts

            self._shifts = Shifts(self)
        return self._shifts

    @property
    def promos(self) -> Promos:
        if self._promos is None:
            from pos_server.repositories.promos import Promos

            self._promos = Promos(self)
        return self._promos

    @property
    def staff(self) -> Staff:
        if self._staff is None:
            from pos_server.repositories.staff import Staff

            self._staff = Staff(self)
        return self._staff

    @property
    def session(self) -> Session:
        if self._session is None:
            # Grouped, the session works in a savepoint of its own, so a failed flush undoes
            # only this operation's ORM work, never the kept operations before it.
            self._session = Session(
                bind=self.connection, expire_on_commit=False,
                join_transaction_mode="rollback_only" if self.alone else "create_savepoint",
            )  # fmt: skip
        return self._session

    @property
    def has_session(self) -> bool:
        return self._session is not None

    def keep_session(self) -> None:
        """The session's work becomes part of the operation's transaction (flushed, its
        savepoint released) and the session is closed."""
        if self._session is None:
            return
        if self.alone:
            self._session.flush()
        else:
            self._session.commit()  # create_savepoint: releases its savepoint only
        self.close_session()

    def close_session(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


@contextmanager
def unit_of_work(
    engine: Engine, *, actor: str, now: datetime, hold_ttl: timedelta = DEFAULT_HOLD_TTL,
) -> Iterator[UnitOfWork]:  # fmt: skip
    """A unit of work for a request outside the operations pipeline (a guest's order, a
    console's list): one transaction, committed when the block ends, rolled back when it
    raises. ``actor`` names who acts (a terminal id), as an operation's terminal does."""
    with engine.connect() as connection:
        connection.begin()
        uow = UnitOfWork(connection, actor, "", now, hold_ttl)
        try:
            yield uow
            uow.keep_session()
            connection.commit()
        finally:
            uow.close_session()
            if connection.in_transaction():
                connection.rollback()


class Repository:
    """Base of the repositories: the only code that reaches the unit of work's transaction.

    A repository is built once per unit of work (cheaply: it keeps a reference) and reads the
    connection and the session through it, so the session is still made only on first use.
    """

    __slots__ = ("_uow",)

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @property
    def _connection(self) -> Connection:
        return self._uow.connection

    @property
    def _session(self) -> Session:
        return self._uow.session

    @property
    def _dialect(self) -> str:
        return self._uow.connection.dialect.name
