"""Sales in SQLite: the sale row with its guest/group snapshot, its lines and payments.

A till edits one open sale many times (every scan is a unit of work), so this repository keeps
the open sales it has written in a ``SaleCache`` shared by the store, and writes only what
changed since: the sale row, the lines that are new/changed/removed, the new payments.
Each cached entry remembers the row ``version`` it was written at; ``get`` checks it with one
indexed read, so a sale changed by anything else (or a rolled-back save) is re-read, never
served stale. Entries touched by a unit of work that does not commit are dropped. The hot
statements are plain SQL on the sqlite3 connection inside the unit of work's transaction,
generated from the models (Core's per-statement overhead was most of a scan's cost).
A sale just opened is not written until its first change (see ``SaleCache``).
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table

from pos_app.db.codec import (
    dump_json,
    dump_parts,
    dump_tags,
    load_json,
    load_parts,
    load_tags,
    scope_from_dict,
)
from pos_app.db.codec import scope_to_dict as _scope_dict
from pos_app.db.models import PaymentRow, SaleLineRow, SaleRow, table
from pos_app.domain.catalog import DiscountScope, Product
from pos_app.domain.money import Percent
from pos_app.domain.pricing import GroupSnapshot, SaleLine
from pos_app.domain.sale import (
    GuestSnapshot,
    OrderDiscount,
    Payment,
    PaymentMethod,
    Sale,
    SaleStatus,
)

SALES = table(SaleRow)
LINES = table(SaleLineRow)
PAYMENTS = table(PaymentRow)
SALE_COLS = [c.name for c in SALES.columns]
LINE_COLS = [c.name for c in LINES.columns]
PAY_COLS = [c.name for c in PAYMENTS.columns]


def _insert_sql(table: Table, cols: list[str], verb: str = "INSERT") -> str:
    return f"{verb} INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


_INSERT_SALE = _insert_sql(SALES, SALE_COLS)
_UPDATES: dict[tuple[int, ...], str] = {}


def _update_sql(changed: tuple[int, ...]) -> str:
    """UPDATE of only the changed columns: SQLite rewrites every index of a column it sets."""
    sql = _UPDATES.get(changed)
    if sql is None:
        sets = ", ".join(f"{SALE_COLS[i]} = ?" for i in changed)
        sql = _UPDATES[changed] = f"UPDATE sales SET {sets} WHERE id = ? AND version = ?"
    return sql


# An upsert, not INSERT OR REPLACE: a changed line is updated in place, so SQLite leaves the
# primary-key index alone (REPLACE deletes and re-inserts, rewriting its index page too).
_UPSERT_LINE = (
    _insert_sql(LINES, LINE_COLS)
    + " ON CONFLICT (sale_id, line_no) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in LINE_COLS if c not in ("sale_id", "line_no"))
)
_DELETE_LINE = "DELETE FROM sale_lines WHERE sale_id = ? AND line_no = ?"
_INSERT_PAYMENT = _insert_sql(PAYMENTS, PAY_COLS)
_SELECT_SALE = f"SELECT {', '.join(SALE_COLS)} FROM sales WHERE id = ?"
_SELECT_VERSION = "SELECT version FROM sales WHERE id = ?"
_SELECT_LINES = f"SELECT {', '.join(LINE_COLS)} FROM sale_lines WHERE sale_id = ? ORDER BY line_no"
_SELECT_PAYMENTS = f"SELECT {', '.join(PAY_COLS)} FROM payments WHERE sale_id = ? ORDER BY position"


class ConcurrentSaleChange(RuntimeError):
    """The sale row changed under this unit of work (two writers on one sale)."""


@functools.lru_cache(maxsize=256)  # the open sales' times are written on every save
def _ts(at: datetime | None) -> str | None:
    """The same text as ``models.UTCDateTime`` writes."""
    return None if at is None else at.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


@functools.lru_cache(maxsize=256)  # a till has few groups; saved with every edit of a sale
def _scope_json(scope: DiscountScope) -> str:
    return dump_json(_scope_dict(scope))


# The value tuples below are built in these columns' order (plain tuples: saves run on every
# scan); the import-time check keeps them in step with the models.
_SALE_ORDER = (
    "id", "terminal_id", "status", "opened_at", "ended_at", "receipt_no", "next_line_no",
    "version", "guest_id", "guest_name", "identified_by", "group_id", "group_name",
    "discount_bp", "discount_scope", "subtotal", "discount", "total", "paid",
    "order_discount_bp", "order_discount_reason",
)  # fmt: skip
_LINE_ORDER = (
    "sale_id", "line_no", "product_id", "product_name", "product_group_id", "tags", "barcode",
    "payable_with_points", "unit_price", "quantity", "discount", "total", "components", "minutes",
)  # fmt: skip
_PAY_ORDER = ("sale_id", "position", "method", "amount", "tendered", "change", "at")
if (tuple(SALE_COLS), tuple(LINE_COLS), tuple(PAY_COLS)) != (_SALE_ORDER, _LINE_ORDER, _PAY_ORDER):
    raise RuntimeError("sales_repo value tuples are out of step with pos_app.db.models")


def _sale_values(sale: Sale, version: int) -> tuple[Any, ...]:
    totals = sale.totals
    guest = sale.guest
    group = guest.group if guest else None
    return (
        sale.id, sale.terminal_id, sale.status.value, _ts(sale.opened_at), _ts(sale.ended_at),
        sale.receipt_no, sale.next_line_no, version,
        *((guest.guest_id, guest.name, guest.identified_by) if guest else (None, None, None)),
        *((group.group_id, group.name, group.discount.bp, _scope_json(group.scope)) if group
          else (None, None, None, None)),
        totals.subtotal, totals.discount, totals.total, sale.paid,
        *((order.percent.bp, order.reason) if (order := sale.order_discount) else (None, None)),
    )  # fmt: skip


def _line_values(sale_id: str, line: SaleLine) -> tuple[Any, ...]:
    p = line.product
    return (
        sale_id, line.line_no, p.id, p.name, p.group_id, dump_tags(p.tags), p.barcode,
        p.payable_with_points, line.unit_price, line.quantity, line.discount, line.total,
        dump_parts(p.components), p.minutes,
    )  # fmt: skip


def _payment_values(sale_id: str, position: int, p: Payment) -> tuple[Any, ...]:
    return (sale_id, position, p.method.value, p.amount, p.tendered, p.change, _ts(p.at))


@dataclass
class _Written:
    """A sale and what the database holds for it as of the last write (``version``, ``row``,
    ``lines``, ``payments``: compared on the next write). ``dirty``: ``sale`` has basket edits
    the database does not have yet (see ``SaleCache``)."""

    sale: Sale
    version: int
    row: tuple[Any, ...]
    lines: dict[int, tuple[Any, ...]]
    payments: int
    dirty: bool = False


def _written(sale: Sale, version: int) -> _Written:
    lines = {line.line_no: _line_values(sale.id, line) for line in sale.lines}
    return _Written(sale, version, _sale_values(sale, version), lines, len(sale.payments))


class SaleCache:
    """Open sales by id, shared by the units of work of one store.

    Basket edits (scans, quantities, the guest) made in a relaxed unit of work are kept here
    and reach the database with the sale's next durable write - the payment that closes it, in
    one transaction with its outbox row - or with ``Store.flush_open_sales`` (the till calls it
    when idle, and on shutdown). That turns a sale's five or six commits into one or two. What
    a crash can lose is the same as before - basket edits, never money or an outbox row: a
    relaxed commit was already allowed to vanish in a power cut (``synchronous=NORMAL``); now
    a crash of the app loses the edits since the last flush as well, and the cashier scans
    again. Units of work get copies of the cached sales, so one that fails or rolls back
    leaves the cache as it was.

    A sale just opened, still empty, is only its id, terminal and opening time.
    """

    MAX_UNWRITTEN = 256  # abandoned empty sales: forget the oldest

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, _Written] = {}
        self._unwritten: dict[str, tuple[str, datetime]] = {}

    def get(self, sale_id: str) -> _Written | None:
        with self._lock:
            return self._entries.get(sale_id)

    def unwritten(self, sale_id: str) -> Sale | None:
        with self._lock:
            found = self._unwritten.get(sale_id)
        return None if found is None else Sale.open(sale_id, *found)

    def put(self, entry: _Written) -> None:
        sale = entry.sale
        with self._lock:
            if entry.version == 0 and not entry.dirty:
                self._unwritten[sale.id] = (sale.terminal_id, sale.opened_at)
                while len(self._unwritten) > self.MAX_UNWRITTEN:
                    del self._unwritten[next(iter(self._unwritten))]
                return
            self._unwritten.pop(sale.id, None)
            if sale.status is SaleStatus.OPEN:
                self._entries[sale.id] = entry
            else:
                self._entries.pop(sale.id, None)

    def dirty(self) -> list[_Written]:
        with self._lock:
            return [entry for entry in self._entries.values() if entry.dirty]


def _restore(row: dict[str, Any], lines: list[Any], payments: list[Any]) -> Sale:
    guest = None
    if row["guest_id"] is not None:
        group = None
        if row["group_id"] is not None:
            scope = scope_from_dict(load_json(row["discount_scope"]))
            group = GroupSnapshot(
                row["group_id"], row["group_name"], Percent(row["discount_bp"] or 0), scope
            )
        guest = GuestSnapshot(
            row["guest_id"], row["guest_name"], group, row["identified_by"] or "manual"
        )
    sale_lines = []
    for values in lines:
        r = dict(zip(LINE_COLS, values, strict=True))
        product = Product(
            r["product_id"], r["product_name"], r["unit_price"], r["product_group_id"],
            load_tags(r["tags"]), r["barcode"], payable_with_points=bool(r["payable_with_points"]),
            components=load_parts(r["components"]), minutes=r["minutes"],
        )  # fmt: skip
        sale_lines.append(SaleLine(r["line_no"], product, r["quantity"], r["unit_price"]))
    pays = []
    for values in payments:
        r = dict(zip(PAY_COLS, values, strict=True))
        at = _dt(r["at"])
        assert at is not None
        method = PaymentMethod(r["method"])
        pays.append(Payment(method, r["amount"], at, r["tendered"], r["change"]))
    opened_at = _dt(row["opened_at"])
    assert opened_at is not None
    return Sale(
        id=row["id"],
        terminal_id=row["terminal_id"],
        opened_at=opened_at,
        status=SaleStatus(row["status"]),
        lines=sale_lines,
        guest=guest,
        payments=pays,
        receipt_no=row["receipt_no"],
        ended_at=_dt(row["ended_at"]),
        next_line_no=row["next_line_no"],
        order_discount=None if row["order_discount_bp"] is None else OrderDiscount(
            Percent(row["order_discount_bp"]), row["order_discount_reason"] or ""),
    )  # fmt: skip


def _is_empty(sale: Sale) -> bool:
    return (sale.status is SaleStatus.OPEN and not sale.lines and not sale.payments
            and sale.guest is None)  # fmt: skip


class SqlSaleRepository:
    """Reads and writes whole Sale aggregates, writing only the difference on save."""

    def __init__(self, conn: sqlite3.Connection, cache: SaleCache, *, defer: bool = False) -> None:
        self._conn = conn
        self._cache = cache
        self._defer = defer  # a relaxed unit of work: keep basket edits in the cache
        self._pending: dict[str, _Written] = {}  # written in this transaction, not yet committed
        self.touched: set[str] = set()

    def add(self, sale: Sale) -> None:
        """A new sale; one still empty is written by its first ``save`` (see ``SaleCache``)."""
        if _is_empty(sale):
            self._remember(_Written(sale, 0, (), {}, 0))
        else:
            self._insert(sale)

    def get(self, sale_id: str) -> Sale | None:
        self.touched.add(sale_id)
        entry = self._pending.get(sale_id)
        if entry is not None:  # already in this unit of work
            return entry.sale
        entry = self._cache.get(sale_id)
        if entry is not None:
            if entry.version == 0:  # edited, never written: nothing else can have it
                return self._work_on(entry)
            version = self._run(_SELECT_VERSION, (sale_id,)).fetchone()
            if version is not None and version[0] == entry.version:
                return self._work_on(entry)
        found = self._run(_SELECT_SALE, (sale_id,)).fetchone()
        if found is None:
            sale = self._cache.unwritten(sale_id)
            if sale is not None:
                self._pending[sale_id] = _Written(sale, 0, (), {}, 0)
            return sale
        row = dict(zip(SALE_COLS, found, strict=True))
        lines = list(self._run(_SELECT_LINES, (sale_id,)))
        payments = list(self._run(_SELECT_PAYMENTS, (sale_id,)))
        sale = _restore(row, lines, payments)
        entry = _Written(sale, row["version"], tuple(found), {v[1]: tuple(v) for v in lines},
                         len(payments))  # fmt: skip
        self._pending[sale_id] = entry
        return sale

    def save(self, sale: Sale) -> None:
        old = self._pending.get(sale.id)
        if old is None:
            raise RuntimeError("save() a sale that was got or added in this unit of work")
        if self._defer and sale.status is SaleStatus.OPEN and len(sale.payments) == old.payments:
            self._remember(replace(old, sale=sale, dirty=True))
            return
        self._write(old, sale)

    def write_dirty(self) -> int:
        """Write every cached sale with unwritten basket edits; returns how many."""
        written = 0
        for entry in self._cache.dirty():
            version = self._run(_SELECT_VERSION, (entry.sale.id,)).fetchone()
            if (version[0] if version else 0) != entry.version:
                continue  # written meanwhile by another unit of work
            self._write(entry, entry.sale.copy())
            written += 1
        return written

    def _work_on(self, entry: _Written) -> Sale:
        """A copy for this unit of work, so a refused edit or a rollback leaves the cache alone."""
        working = replace(entry, sale=entry.sale.copy())
        self._pending[working.sale.id] = working
        return working.sale

    def _write(self, old: _Written, sale: Sale) -> None:
        if old.version == 0:
            self._insert(sale)
            return
        new = _written(sale, old.version + 1)
        changed = tuple(i for i, (a, b) in enumerate(zip(old.row, new.row, strict=True)) if a != b)
        params = (*(new.row[i] for i in changed), sale.id, old.version)
        result = self._run(_update_sql(changed), params)
        if result.rowcount != 1:
            raise ConcurrentSaleChange(f"sale {sale.id} changed under this unit of work")
        self._write_lines(sale.id, old.lines, new.lines)
        self._write_payments(sale, old.payments)
        self._remember(new)

    def after_commit(self) -> None:
        for entry in self._pending.values():
            self._cache.put(entry)
        self._pending.clear()
        self.touched.clear()

    def after_rollback(self) -> None:
        # The cache still holds what was committed: this unit of work worked on copies.
        self._pending.clear()
        self.touched.clear()

    def _insert(self, sale: Sale) -> None:
        entry = _written(sale, 1)
        self._run(_INSERT_SALE, entry.row)
        self._write_lines(sale.id, {}, entry.lines)
        self._write_payments(sale, 0)
        self._remember(entry)

    def _remember(self, entry: _Written) -> None:
        self.touched.add(entry.sale.id)
        self._pending[entry.sale.id] = entry

    def _write_lines(
        self, sale_id: str, old: dict[int, tuple[Any, ...]], new: dict[int, tuple[Any, ...]]
    ) -> None:
        changed = [v for no, v in new.items() if old.get(no) != v]
        removed = [(sale_id, no) for no in old if no not in new]
        if removed:
            self._conn.executemany(_DELETE_LINE, removed)
        if changed:
            self._conn.executemany(_UPSERT_LINE, changed)

    def _write_payments(self, sale: Sale, written: int) -> None:
        rows = [
            _payment_values(sale.id, position, p)
            for position, p in enumerate(sale.payments, start=1)
            if position > written
        ]
        if rows:
            self._conn.executemany(_INSERT_PAYMENT, rows)

    def _run(self, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)
