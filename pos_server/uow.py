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
    from pos_server.repositories.applied import AppliedOperations
    from pos_server.repositories.catalogue import CatalogueHistory
    from pos_server.repositories.feed import Feed
    from pos_server.repositories.groups import Groups
    from pos_server.repositories.guests import Guests
    from pos_server.repositories.identifiers import Identifiers
    from pos_server.repositories.reconciliation import Reconciliation
    from pos_server.repositories.sales import Sales


class UnitOfWork:
    """One operation's transaction (or its savepoint in a group commit) and its origin.

    ``now`` is the server's clock, never the till's. The ORM session is made on first use,
    joined to the same transaction: the hot kinds (holds, sales) never pay for one. The
    pipeline keeps its work (``keep_session``) and commits the connection.
    """

    # one slot per repository (``_sales``, ...), each made on first use
    __slots__ = (
        "_applied",
        "_catalogue",
        "_feed",
        "_groups",
        "_guests",
        "_identifiers",
        "_reconciliation",
        "_sales",
        "_session",
        "alone",
        "connection",
        "hold_ttl",
        "now",
        "op_id",
        "terminal_id",
    )

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
        self._applied: AppliedOperations | None = None
        self._catalogue: CatalogueHistory | None = None
        self._feed: Feed | None = None
        self._groups: Groups | None = None
        self._guests: Guests | None = None
        self._identifiers: Identifiers | None = None
        self._reconciliation: Reconciliation | None = None
        self._sales: Sales | None = None

    # --- repositories (imported on first use: they import this module for ``Repository``) ---

    @property
    def applied(self) -> AppliedOperations:
        if self._applied is None:
            from pos_server.repositories.applied import AppliedOperations

            self._applied = AppliedOperations(self)
        return self._applied

    @property
    def catalogue(self) -> CatalogueHistory:
        if self._catalogue is None:
            from pos_server.repositories.catalogue import CatalogueHistory

            self._catalogue = CatalogueHistory(self)
        return self._catalogue

    @property
    def feed(self) -> Feed:
        if self._feed is None:
            from pos_server.repositories.feed import Feed

            self._feed = Feed(self)
        return self._feed

    @property
    def groups(self) -> Groups:
        if self._groups is None:
            from pos_server.repositories.groups import Groups

            self._groups = Groups(self)
        return self._groups

    @property
    def guests(self) -> Guests:
        if self._guests is None:
            from pos_server.repositories.guests import Guests

            self._guests = Guests(self)
        return self._guests

    @property
    def identifiers(self) -> Identifiers:
        if self._identifiers is None:
            from pos_server.repositories.identifiers import Identifiers

            self._identifiers = Identifiers(self)
        return self._identifiers

    @property
    def reconciliation(self) -> Reconciliation:
        if self._reconciliation is None:
            from pos_server.repositories.reconciliation import Reconciliation

            self._reconciliation = Reconciliation(self)
        return self._reconciliation

    @property
    def sales(self) -> Sales:
        if self._sales is None:
            from pos_server.repositories.sales import Sales

            self._sales = Sales(self)
        return self._sales

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
