"""Catalogue, guest-group and account-snapshot repositories over one connection.

The catalogue is read far more often than it changes (every scan), so product lookups go
through a ``CatalogCache`` shared by the store: it is filled lazily and dropped whenever a unit
of work that wrote to the catalogue commits (or rolls back).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from pos_app.db.codec import (
    bp_or_none,
    dump_json,
    load_json,
    percent_or_none,
    product_from_row,
    product_to_row,
    query,
    scope_from_dict,
    scope_to_dict,
)
from pos_app.db.models import AccountSnapshot, GuestGroupRow, ProductGroup, ProductRow, table
from pos_app.domain.catalog import Product, tile_colour
from pos_app.domain.groups import GuestGroup
from pos_app.domain.money import Percent
from pos_app.services.ports import AccountView

PRODUCTS = table(ProductRow)
PRODUCT_GROUPS = table(ProductGroup)
GROUPS = table(GuestGroupRow)
ACCOUNTS = table(AccountSnapshot)


class CatalogCache:
    """Products by id and by barcode, loaded once per catalogue version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[str, Product] | None = None
        self._by_barcode: dict[str, Product] = {}

    def lookup(self, conn: Connection) -> tuple[dict[str, Product], dict[str, Product]]:
        with self._lock:
            if self._by_id is None:
                rows = conn.execute(_on_sale())
                products = [product_from_row(r._mapping) for r in rows]
                self._by_id = {p.id: p for p in products}
                self._by_barcode = {code: p for p in products
                                    for code in (*p.extra_barcodes, p.barcode) if code}  # fmt: skip
            return self._by_id, self._by_barcode

    def invalidate(self) -> None:
        with self._lock:
            self._by_id = None
            self._by_barcode = {}


class SqlProductRepository:
    def __init__(self, conn: Connection, cache: CatalogCache) -> None:
        self._conn = conn
        self._cache = cache
        self.dirty = False

    def get(self, product_id: str) -> Product | None:
        if self.dirty:  # our own uncommitted writes are not in the shared cache
            row = self._conn.execute(_on_sale(PRODUCTS.c.id == product_id)).first()
            return None if row is None else product_from_row(row._mapping)
        return self._cache.lookup(self._conn)[0].get(product_id)

    def by_barcode(self, barcode: str) -> Product | None:
        if self.dirty:
            row = _by_barcode(self._conn, barcode, GROUP_ON_SALE)
            return None if row is None else product_from_row(row._mapping)
        return self._cache.lookup(self._conn)[1].get(barcode)

    def off_sale_group(self, *, product_id: str | None = None,
                       barcode: str | None = None) -> tuple[str, str] | None:  # fmt: skip
        """(the product's name, its group's name) when a product not withdrawn is found by
        ``product_id`` or ``barcode`` but its group is inactive (the scan says why), else None."""
        if product_id is not None:
            row = self._conn.execute(select(PRODUCTS).where(
                PRODUCTS.c.id == product_id, PRODUCTS.c.active.is_(True))).first()  # fmt: skip
        elif barcode is not None:
            row = _by_barcode(self._conn, barcode)
        else:
            return None
        if row is None or row.group_id is None:
            return None
        group = self._conn.execute(select(PRODUCT_GROUPS.c.name).where(
            PRODUCT_GROUPS.c.id == row.group_id, PRODUCT_GROUPS.c.active.is_(False),
        )).first()  # fmt: skip
        return None if group is None else (row.name, group.name)

    def add(self, product: Product) -> None:
        row = product_to_row(product)
        stmt = sqlite_insert(PRODUCTS).values(row)
        self._conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=row))
        self.dirty = True

    def withdraw(self, product_id: str) -> None:
        self._conn.execute(update(PRODUCTS).where(PRODUCTS.c.id == product_id)
                           .values(active=False, barcode=None))  # fmt: skip
        self.dirty = True

    def add_group(self, group_id: str, name: str, sort_order: int = 0,
                  colour: str | None = None, image: bytes | None = None, *,
                  active: bool = True) -> None:  # fmt: skip
        row = {"id": group_id, "name": name, "sort_order": sort_order,
               "colour": tile_colour(colour), "image": image, "active": active}  # fmt: skip
        stmt = sqlite_insert(PRODUCT_GROUPS).values(row)
        self._conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=row))
        self.dirty = True  # the group's products go off (or back on) sale with it

    def all(self) -> Sequence[Product]:
        rows = self._conn.execute(_on_sale().order_by(PRODUCTS.c.group_id, PRODUCTS.c.name))
        return [product_from_row(r._mapping) for r in rows]


# a product's group is not inactive (or it has none): inactive groups' products are off sale
GROUP_ON_SALE = or_(PRODUCTS.c.group_id.is_(None), PRODUCTS.c.group_id.not_in(
    select(PRODUCT_GROUPS.c.id).where(PRODUCT_GROUPS.c.active.is_(False))))  # fmt: skip


def _on_sale(*where: Any) -> Select[Any]:
    """Products not withdrawn whose group is active."""
    return select(PRODUCTS).where(PRODUCTS.c.active.is_(True), GROUP_ON_SALE, *where)


def _by_barcode(conn: Connection, barcode: str, *where: Any) -> Any:
    """The row of the product not withdrawn with ``barcode`` as its own or an extra one."""
    row = conn.execute(select(PRODUCTS).where(
        PRODUCTS.c.barcode == barcode, PRODUCTS.c.active.is_(True), *where)).first()  # fmt: skip
    if row is None:  # an extra barcode (few products have any)
        row = conn.execute(select(PRODUCTS).where(
            PRODUCTS.c.extra_barcodes != "[]", PRODUCTS.c.active.is_(True), *where,
            PRODUCTS.c.extra_barcodes.contains(dump_json(barcode)),
        )).first()  # fmt: skip
        if row is not None and barcode not in load_json(row.extra_barcodes):
            row = None
    return row


def group_from_row(r: Any) -> GuestGroup:
    return GuestGroup(
        id=r["id"],
        name=r["name"],
        discount=Percent(r["discount_bp"]),
        spend_threshold=r["spend_threshold"],
        scope=scope_from_dict(load_json(r["scope"])),
        auto_move=bool(r["auto_move"]),
        no_demotion=bool(r["no_demotion"]),
        demote_to=r["demote_to"],
        daily_identification_limit=r["daily_identification_limit"],
        daily_points_spend_limit=r["daily_points_spend_limit"],
        accrual=percent_or_none(r["accrual_bp"]),
        max_redemption=percent_or_none(r["max_redemption_bp"]),
        offline_allowance=r["offline_allowance"],
    )


class SqlGuestGroupRepository:
    def __init__(self, conn: Connection, raw: sqlite3.Connection) -> None:
        self._conn = conn
        self._raw = raw

    def get(self, group_id: str) -> GuestGroup | None:
        rows = query(self._raw, "SELECT * FROM guest_groups WHERE id = ?", (group_id,))
        return group_from_row(rows[0]) if rows else None

    def add(self, group: GuestGroup) -> None:
        row = {
            "id": group.id,
            "name": group.name,
            "discount_bp": group.discount.bp,
            "spend_threshold": group.spend_threshold,
            "scope": dump_json(scope_to_dict(group.scope)),
            "auto_move": group.auto_move,
            "no_demotion": group.no_demotion,
            "demote_to": group.demote_to,
            "daily_identification_limit": group.daily_identification_limit,
            "daily_points_spend_limit": group.daily_points_spend_limit,
            "accrual_bp": bp_or_none(group.accrual),
            "max_redemption_bp": bp_or_none(group.max_redemption),
            "offline_allowance": group.offline_allowance,
        }
        stmt = sqlite_insert(GROUPS).values(row)
        self._conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=row))

    def all(self) -> Sequence[GuestGroup]:
        rows = self._conn.execute(select(GROUPS).order_by(GROUPS.c.spend_threshold, GROUPS.c.id))
        return [group_from_row(r._mapping) for r in rows]


class SqlAccountRepository:
    def __init__(self, conn: Connection, raw: sqlite3.Connection) -> None:
        self._conn = conn
        self._raw = raw

    def set_snapshot(
        self, account_id: str, guest_id: str, kind: str, *, total: int, held: int, at: datetime
    ) -> None:
        row = {
            "account_id": account_id,
            "guest_id": guest_id,
            "kind": kind,
            "total": total,
            "held": held,
            "updated_at": at,
        }
        stmt = sqlite_insert(ACCOUNTS).values(row)
        self._conn.execute(stmt.on_conflict_do_update(index_elements=["account_id"], set_=row))

    def for_guest(self, guest_id: str) -> Sequence[AccountView]:
        rows = self._raw.execute(
            "SELECT account_id, kind, total, held FROM account_snapshots"
            " WHERE guest_id = ? ORDER BY kind, account_id",
            (guest_id,),
        )
        return [AccountView(*r) for r in rows]


class SqlSettingsRepository:
    """The ``settings`` table: one JSON value per key."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw

    def get(self, key: str, default: Any = None) -> Any:
        row = self._raw.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set(self, key: str, value: Any) -> None:
        self._raw.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
        )

    def delete(self, key: str) -> None:
        self._raw.execute("DELETE FROM settings WHERE key = ?", (key,))

    def with_prefix(self, prefix: str) -> dict[str, Any]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._raw.execute(
            "SELECT key, value FROM settings WHERE key LIKE ? ESCAPE '\\' ORDER BY key",
            (escaped + "%",),
        )
        return {key: json.loads(value) for key, value in rows}
