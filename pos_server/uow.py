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

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from pos_app.domain.bonus import DEFAULT_HOLD_TTL
from pos_server.ledger.feed_snapshots import op_changes, write_changes

if TYPE_CHECKING:  # the repositories import Repository from here
    from pos_server.repositories.accounts import Accounts
    from pos_server.repositories.applied import AppliedOperations
    from pos_server.repositories.audit import Audit
    from pos_server.repositories.cabinet import Cabinet
    from pos_server.repositories.cabinet_shop import CabinetShop
    from pos_server.repositories.card_top_ups import CardTopUps
    from pos_server.repositories.catalogue import CatalogueHistory
    from pos_server.repositories.feed import Feed
    from pos_server.repositories.groups import Groups
    from pos_server.repositories.guest_cards import GuestCards
    from pos_server.repositories.guest_history import GuestHistory
    from pos_server.repositories.guest_search import GuestSearch
    from pos_server.repositories.guests import Guests
    from pos_server.repositories.holds import Holds
    from pos_server.repositories.identifiers import Identifiers
    from pos_server.repositories.loyalty import Loyalty
    from pos_server.repositories.notifications import Notifications
    from pos_server.repositories.orders import Orders
    from pos_server.repositories.products import Products
    from pos_server.repositories.programme import ProgrammeStore
    from pos_server.repositories.promos import Promos
    from pos_server.repositories.reconciliation import Reconciliation
    from pos_server.repositories.refunds import Refunds
    from pos_server.repositories.reports import Reports
    from pos_server.repositories.sales import Sales
    from pos_server.repositories.shifts import Shifts
    from pos_server.repositories.staff import PinFailures, Staff
    from pos_server.repositories.terminals import Terminals
    from pos_server.repositories.web import SignInFailures, WebSessions

R = TypeVar("R")


class _Lazy(Generic[R]):
    """A repository of the unit of work, made on first use (most operations need one or two)
    and kept in the unit of work's slot of the same name with a leading underscore. Its module
    is imported then: the repositories import this module for ``Repository``."""

    __slots__ = ("_class", "_module", "_slot")

    def __init__(self, module: str, class_name: str) -> None:
        self._module = f"pos_server.repositories.{module}"
        self._class, self._slot = class_name, ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = "_" + name

    def __get__(self, uow: UnitOfWork, owner: type | None = None) -> R:
        try:
            repository: R = getattr(uow, self._slot)
        except AttributeError:
            made = getattr(importlib.import_module(self._module), self._class)
            repository = made(uow)
            setattr(uow, self._slot, repository)
        return repository


class UnitOfWork:
    """One operation's transaction (or its savepoint in a group commit) and its origin.

    ``now`` is the server's clock, never the till's. The ORM session is made on first use,
    joined to the same transaction: the hot kinds (holds, sales) never pay for one. The
    pipeline keeps its work (``keep_session``) and commits the connection.
    """

    __slots__ = (
        "_accounts",
        "_applied",
        "_audit",
        "_cabinet",
        "_cabinet_shop",
        "_card_top_ups",
        "_catalogue",
        "_feed",
        "_groups",
        "_guest_cards",
        "_guest_history",
        "_guest_search",
        "_guests",
        "_holds",
        "_identifiers",
        "_loyalty",
        "_notifications",
        "_orders",
        "_pin_failures",
        "_products",
        "_programme",
        "_promos",
        "_reconciliation",
        "_refunds",
        "_reports",
        "_sales",
        "_session",
        "_shifts",
        "_sign_in_failures",
        "_staff",
        "_terminals",
        "_web_sessions",
        "alone",
        "connection",
        "hold_ttl",
        "now",
        "op_id",
        "terminal_id",
    )

    # The repositories, each made on first use (``_Lazy``) over this unit of work's transaction.
    accounts: _Lazy[Accounts] = _Lazy("accounts", "Accounts")
    applied: _Lazy[AppliedOperations] = _Lazy("applied", "AppliedOperations")
    audit: _Lazy[Audit] = _Lazy("audit", "Audit")
    cabinet: _Lazy[Cabinet] = _Lazy("cabinet", "Cabinet")
    cabinet_shop: _Lazy[CabinetShop] = _Lazy("cabinet_shop", "CabinetShop")
    card_top_ups: _Lazy[CardTopUps] = _Lazy("card_top_ups", "CardTopUps")
    catalogue: _Lazy[CatalogueHistory] = _Lazy("catalogue", "CatalogueHistory")
    feed: _Lazy[Feed] = _Lazy("feed", "Feed")
    groups: _Lazy[Groups] = _Lazy("groups", "Groups")
    guests: _Lazy[Guests] = _Lazy("guests", "Guests")
    guest_cards: _Lazy[GuestCards] = _Lazy("guest_cards", "GuestCards")
    guest_history: _Lazy[GuestHistory] = _Lazy("guest_history", "GuestHistory")
    guest_search: _Lazy[GuestSearch] = _Lazy("guest_search", "GuestSearch")
    holds: _Lazy[Holds] = _Lazy("holds", "Holds")
    identifiers: _Lazy[Identifiers] = _Lazy("identifiers", "Identifiers")
    loyalty: _Lazy[Loyalty] = _Lazy("loyalty", "Loyalty")
    notifications: _Lazy[Notifications] = _Lazy("notifications", "Notifications")
    orders: _Lazy[Orders] = _Lazy("orders", "Orders")
    pin_failures: _Lazy[PinFailures] = _Lazy("staff", "PinFailures")
    products: _Lazy[Products] = _Lazy("products", "Products")
    programme: _Lazy[ProgrammeStore] = _Lazy("programme", "ProgrammeStore")
    promos: _Lazy[Promos] = _Lazy("promos", "Promos")
    reconciliation: _Lazy[Reconciliation] = _Lazy("reconciliation", "Reconciliation")
    refunds: _Lazy[Refunds] = _Lazy("refunds", "Refunds")
    reports: _Lazy[Reports] = _Lazy("reports", "Reports")
    sales: _Lazy[Sales] = _Lazy("sales", "Sales")
    shifts: _Lazy[Shifts] = _Lazy("shifts", "Shifts")
    sign_in_failures: _Lazy[SignInFailures] = _Lazy("web", "SignInFailures")
    staff: _Lazy[Staff] = _Lazy("staff", "Staff")
    terminals: _Lazy[Terminals] = _Lazy("terminals", "Terminals")
    web_sessions: _Lazy[WebSessions] = _Lazy("web", "WebSessions")

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
    with engine.connect() as connection, op_changes() as changes:
        connection.begin()
        uow = UnitOfWork(connection, actor, "", now, hold_ttl)
        try:
            yield uow
            uow.keep_session()
            write_changes(connection, changes)  # the accounts' feed snapshots, as the pipeline
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
