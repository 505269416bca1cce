"""Conversions between domain values and column values (JSON text, basis points, flags)."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from pos_app.domain.catalog import BundlePart, DiscountScope, Product, tile_colour
from pos_app.domain.money import Percent

# One encoder for all: ``json.dumps`` with options builds a new one per call (a third of the
# cost of encoding a sale's payload).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dump_json(value: Any) -> str:
    """Compact, key-sorted, UTF-8 friendly JSON: equal payloads give equal text (for hashing)."""
    return _ENCODER.encode(value)


def load_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def dump_tags(tags: Iterable[str]) -> str:
    return _dump_tag_set(frozenset(tags))


@functools.lru_cache(maxsize=4096)
def _dump_tag_set(tags: frozenset[str]) -> str:  # a catalogue has few distinct tag sets
    return dump_json(sorted(tags))


def load_tags(text: str | None) -> frozenset[str]:
    return frozenset(load_json(text) or ())


def scope_to_dict(scope: DiscountScope) -> dict[str, list[str]]:
    return {
        "product_group_ids": sorted(scope.product_group_ids),
        "product_ids": sorted(scope.product_ids),
        "tags": sorted(scope.tags),
    }


def scope_from_dict(data: Mapping[str, Iterable[str]] | None) -> DiscountScope:
    data = data or {}
    return DiscountScope(
        product_group_ids=frozenset(data.get("product_group_ids", ())),
        product_ids=frozenset(data.get("product_ids", ())),
        tags=frozenset(data.get("tags", ())),
    )


def percent_or_none(bp: int | None) -> Percent | None:
    return None if bp is None else Percent(bp)


def bp_or_none(percent: Percent | None) -> int | None:
    return None if percent is None else percent.bp


def product_from_row(row: Any) -> Product:
    """From any row by column name (Core ``RowMapping`` or ``sqlite3.Row``)."""
    return Product(
        id=row["id"],
        name=row["name"],
        price=row["price"],
        group_id=row["group_id"],
        tags=load_tags(row["tags"]),
        barcode=row["barcode"],
        guest_orderable=bool(row["guest_orderable"]),
        payable_with_points=bool(row["payable_with_points"]),
        colour=tile_colour(row["colour"]),
        image=row["image"],
        components=load_parts(row["components"]),
        minutes=row["minutes"],
        extra_barcodes=tuple(load_json(row["extra_barcodes"]) or ()),
    )


def dump_parts(parts: tuple[BundlePart, ...]) -> str:
    """A bundle's parts as the ``components`` columns keep them (``[]``: not a bundle)."""
    if not parts:
        return "[]"
    return dump_json([{"product_id": p.product_id, "name": p.name, "quantity": p.quantity}
                      for p in parts])  # fmt: skip


def load_parts(text: str | None) -> tuple[BundlePart, ...]:
    if not text or text == "[]":
        return ()
    return tuple(BundlePart(str(p["product_id"]), str(p["name"]), int(p["quantity"]))
                 for p in load_json(text) or ())  # fmt: skip


def product_to_row(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "name": product.name,
        "price": product.price,
        "group_id": product.group_id,
        "tags": dump_tags(product.tags),
        "barcode": product.barcode,
        "guest_orderable": product.guest_orderable,
        "payable_with_points": product.payable_with_points,
        "active": True,
        "colour": product.colour,
        "image": product.image,
        "components": dump_parts(product.components),
        "minutes": product.minutes,
        "extra_barcodes": dump_json(list(product.extra_barcodes)),
    }


def query(raw: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Rows by column name from the driver connection (hot reads skip Core's compile step)."""
    cursor = raw.cursor()
    cursor.row_factory = sqlite3.Row
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()
