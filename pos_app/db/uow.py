"""The SQLite unit of work and the ``Store`` that makes them.

A unit of work is one connection and one transaction (begun ``IMMEDIATE``). Leaving the
``with`` block rolls back whatever was not committed; ``commit()`` is the only way to keep
changes. After a commit the same unit of work may go on; its next statement begins a new
transaction.

Durability: every connection opens with ``synchronous=FULL``, and every durable unit of work
(the default) runs with it, so its commit is on the disk when it returns. A unit of work made
with ``durable=False`` (basket edits: open a sale, scan a line, identify the guest) runs with
``synchronous=NORMAL`` instead (set before its BEGIN; the pooled connection remembers its mode
so it is switched only when it changes): in WAL mode that is still atomic and
never corrupts, but a power cut may lose the last such commits (the cashier scans again). The
next durable commit (closing the sale) syncs the WAL and with it every commit before it. A
relaxed unit of work may not write outbox operations, so nothing the sync worker could have
sent is ever lost. The sales repository goes further and keeps a relaxed unit of work's basket
edits in memory until the sale's next durable write or ``Store.flush_open_sales`` (see
``SaleCache``), so a sale costs one commit.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from pos_app.db.guests_repo import SqlGuestRepository
from pos_app.db.outbox import SqlOutbox, SqlTerminal, ensure_terminal, read_terminal
from pos_app.db.repositories import (
    CatalogCache,
    SqlAccountRepository,
    SqlGuestGroupRepository,
    SqlProductRepository,
    SqlSettingsRepository,
)
from pos_app.db.sales_repo import SaleCache, SqlSaleRepository
from pos_app.db.store import describe_failure, make_engine, prepare_file, store_error
from pos_app.db.sync_repo import SqlSyncRepository
from pos_app.db.till_repo import (
    SqlGuestSearch,
    SqlPromoRepository,
    SqlShiftRepository,
    SqlStaffRepository,
)
from pos_app.services.ports import Clock, StoreError, TerminalInfo

DEFAULT_RECEIPT_PREFIX = "T1"
log = logging.getLogger(__name__)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class UuidGenerator:
    def new_id(self) -> str:
        return str(uuid.uuid4())


class SqlUnitOfWork:
    """One transaction on one pooled connection; see the module docstring."""

    def __init__(self, store: Store, *, durable: bool = True) -> None:
        self._store = store
        self.durable = durable
        self._conn: Connection | None = None
        self._raw: sqlite3.Connection | None = None
        # Repositories are made on first use: most units of work touch two or three of them.
        self._products: SqlProductRepository | None = None
        self._sales: SqlSaleRepository | None = None

    @property
    def products(self) -> SqlProductRepository:
        if self._products is None:
            self._products = SqlProductRepository(self.connection, self._store.catalog)
        return self._products

    @property
    def groups(self) -> SqlGuestGroupRepository:
        return SqlGuestGroupRepository(self.connection, self._driver)

    @property
    def guests(self) -> SqlGuestRepository:
        return SqlGuestRepository(self.connection, self._driver)

    @property
    def accounts(self) -> SqlAccountRepository:
        return SqlAccountRepository(self.connection, self._driver)

    @property
    def sales(self) -> SqlSaleRepository:
        if self._sales is None:
            self._sales = SqlSaleRepository(
                self._driver, self._store.sales, defer=not self.durable
            )
        return self._sales

    @property
    def outbox(self) -> SqlOutbox:
        return SqlOutbox(self.connection, self._driver, self._store.clock, durable=self.durable)

    @property
    def terminal(self) -> SqlTerminal:
        return SqlTerminal(self._driver, self._store.terminal)

    @property
    def settings(self) -> SqlSettingsRepository:
        return SqlSettingsRepository(self._driver)

    # the till's own tables (till_repo.py)
    @property
    def staff(self) -> SqlStaffRepository:
        return SqlStaffRepository(self._driver)

    @property
    def shifts(self) -> SqlShiftRepository:
        return SqlShiftRepository(self._driver)

    @property
    def promo(self) -> SqlPromoRepository:
        return SqlPromoRepository(self._driver)

    @property
    def guest_search(self) -> SqlGuestSearch:
        return SqlGuestSearch(self.connection, self._driver)

    @property
    def sync(self) -> SqlSyncRepository:
        return SqlSyncRepository(self._driver)

    @property
    def _driver(self) -> sqlite3.Connection:
        if self._raw is None:
            raise RuntimeError("the unit of work is not entered")
        return self._raw

    @property
    def connection(self) -> Connection:
        """The live connection (for adapters in ``pos_app.db`` and tests, not for services)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not entered")
        return self._conn

    def __enter__(self) -> Self:
        try:
            conn = self._store.checkout()
            raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
            mode = "FULL" if self.durable else "NORMAL"
            if conn.info.get("synchronous", "FULL") != mode:  # pooled connections remember it
                raw.execute(f"PRAGMA synchronous = {mode}")  # SQLite allows it only outside BEGIN
                conn.info["synchronous"] = mode
            raw.execute("BEGIN IMMEDIATE")
        except (DBAPIError, sqlite3.Error) as exc:
            raise store_error(self._store.path, str(getattr(exc, "orig", exc))) from exc
        self._conn, self._raw = conn, raw
        self._products = self._sales = None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, raw = self._conn, self._raw
        self._conn = self._raw = None
        if conn is None or raw is None:
            return
        try:
            self._end(conn, raw, commit=False)
        finally:
            self._store.checkin(conn)
        failure = _storage_failure(exc)
        if failure is not None:
            raise store_error(self._store.path, describe_failure(failure)) from exc

    def commit(self) -> None:
        """Make this transaction's changes permanent; the unit of work may go on after it."""
        conn, raw = self.connection, self._raw
        assert raw is not None
        self._end(conn, raw, commit=True)
        raw.execute("BEGIN")  # deferred: costs nothing until the unit of work goes on

    def rollback(self) -> None:
        conn, raw = self.connection, self._raw
        assert raw is not None
        self._end(conn, raw, commit=False)
        raw.execute("BEGIN")

    def _end(self, conn: Connection, raw: sqlite3.Connection, *, commit: bool) -> None:
        # Core statements make SQLAlchemy track a transaction too; ending it through SQLAlchemy
        # ends the driver's as well, so both always agree.
        sales, products = self._sales, self._products
        if commit:
            conn.commit() if conn.in_transaction() else raw.commit()
            if sales is not None:
                sales.after_commit()
        else:
            conn.rollback() if conn.in_transaction() else raw.rollback()
            if sales is not None:
                sales.after_rollback()
        if products is not None and products.dirty:
            self._store.catalog.invalidate()
            products.dirty = False


def _storage_failure(exc: BaseException | None) -> sqlite3.Error | None:
    """The driver error behind ``exc`` when the file itself failed (full, locked, I/O,
    read-only, damaged), as opposed to a constraint or a programming error."""
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.OperationalError) or type(orig) is sqlite3.DatabaseError:
        return orig
    return None


class Store:
    """An open till database; ``unit_of_work()`` is what services get as their factory."""

    def __init__(self, path: Path, engine: Engine, clock: Clock) -> None:
        self.path = path
        self.engine = engine
        self.clock = clock
        self.catalog = CatalogCache()
        self.sales = SaleCache()
        self.terminal = TerminalInfo("", "")  # read by open_store
        # Each thread keeps its last connection between units of work (the till's op thread
        # runs one after another); the pool serves any other.
        self._local = threading.local()
        self._kept: list[Connection] = []
        self._lock = threading.Lock()

    def checkout(self) -> Connection:
        conn: Connection | None = getattr(self._local, "idle", None)
        if conn is not None:
            self._local.idle = None
            return conn
        return self.engine.connect()

    def checkin(self, conn: Connection) -> None:
        if getattr(self._local, "idle", None) is None and not conn.closed:
            self._local.idle = conn
            with self._lock:
                if conn not in self._kept:
                    self._kept.append(conn)
        else:
            conn.close()

    def unit_of_work(self, *, durable: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(self, durable=durable)

    __call__ = unit_of_work

    def flush_open_sales(self) -> int:
        """Write the open sales' basket edits still held in memory (see ``SaleCache``); the
        till calls it when idle and it runs on close. Returns how many sales were written."""
        if not self.sales.dirty():
            return 0
        with self.unit_of_work(durable=False) as uow:
            written = uow.sales.write_dirty()
            uow.commit()
        return written

    def close(self) -> None:
        try:
            self.flush_open_sales()
        except StoreError as exc:  # closing anyway: the basket edits are what may be lost
            log.warning("open sales not written on close: %s", exc)
        with self._lock:
            kept, self._kept = self._kept, []
        for conn in kept:
            conn.close()
        self._local = threading.local()
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    path: str | Path,
    *,
    terminal_id: str | None = None,
    receipt_prefix: str = DEFAULT_RECEIPT_PREFIX,
    clock: Clock | None = None,
) -> Store:
    """Check, back up, migrate and open the store at ``path``; raises ``StoreError``.

    ``terminal_id`` and ``receipt_prefix`` name the till the first time the file is used; an
    existing store keeps the identity it has.
    """
    path = Path(path).expanduser().absolute()
    prepare_file(path)
    store = Store(path, make_engine(path), clock or SystemClock())
    try:
        with store.engine.connect() as conn:
            ensure_terminal(conn, terminal_id or str(uuid.uuid4()), receipt_prefix)
            conn.commit()
            store.terminal = read_terminal(conn)
    except DBAPIError as exc:
        store.close()
        raise store_error(path, str(exc.orig)) from exc
    return store


__all__ = ["SqlUnitOfWork", "Store", "StoreError", "open_store"]
