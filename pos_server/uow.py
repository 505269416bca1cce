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

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from pos_app.domain.bonus import DEFAULT_HOLD_TTL

if TYPE_CHECKING:
    from pos_server.repositories.accounts import AccountRepository
    from pos_server.repositories.holds import HoldRepository
    from pos_server.repositories.loyalty import LoyaltyRepository
    from pos_server.repositories.refunds import RefundRepository
    from pos_server.repositories.staff import StaffRepository


class UnitOfWork:
    """One operation's transaction (or its savepoint in a group commit) and its origin.

    ``now`` is the server's clock, never the till's. The ORM session is made on first use,
    joined to the same transaction: the hot kinds (holds, sales) never pay for one. The
    pipeline keeps its work (``keep_session``) and commits the connection.
    """

    __slots__ = (
        "_accounts",
        "_holds",
        "_loyalty",
        "_refunds",
        "_session",
        "_staff",
        "alone",
        "connection",
        "hold_ttl",
        "now",
        "op_id",
        "terminal_id",
    )  # fmt: skip

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
        self._accounts: AccountRepository | None = None
        self._holds: HoldRepository | None = None
        self._loyalty: LoyaltyRepository | None = None
        self._refunds: RefundRepository | None = None
        self._staff: StaffRepository | None = None

    # Repositories, each made on first use (imported there: they build on this module).

    @property
    def accounts(self) -> AccountRepository:
        """Points and money accounts, their postings and overdrafts."""
        if self._accounts is None:
            from pos_server.repositories.accounts import AccountRepository

            self._accounts = AccountRepository(self)
        return self._accounts

    @property
    def holds(self) -> HoldRepository:
        if self._holds is None:
            from pos_server.repositories.holds import HoldRepository

            self._holds = HoldRepository(self)
        return self._holds

    @property
    def loyalty(self) -> LoyaltyRepository:
        """A guest's group and lifetime spend, the groups, today's counts, rule breaches."""
        if self._loyalty is None:
            from pos_server.repositories.loyalty import LoyaltyRepository

            self._loyalty = LoyaltyRepository(self)
        return self._loyalty

    @property
    def refunds(self) -> RefundRepository:
        if self._refunds is None:
            from pos_server.repositories.refunds import RefundRepository

            self._refunds = RefundRepository(self)
        return self._refunds

    @property
    def staff(self) -> StaffRepository:
        if self._staff is None:
            from pos_server.repositories.staff import StaffRepository

            self._staff = StaffRepository(self)
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
