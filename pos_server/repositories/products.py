"""The catalogue's rows as the catalogue service changes them (``pos_server.catalogue.service``:
the import). Reading prices at a feed version is ``uow.catalogue`` (``catalogue.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import String, cast, select

from pos_server.db.models_staff import ProductGroupRow, ProductRow
from pos_server.db.upsert import upsert_changed
from pos_server.uow import Repository


class Products(Repository):
    __slots__ = ()

    def any(self) -> bool:
        """Whether the server has a catalogue at all (orders are checked against it once so)."""
        return self._session.scalars(select(ProductRow.id).limit(1)).first() is not None

    def by_ids(self, ids: set[str]) -> dict[str, ProductRow]:
        rows = self._session.scalars(select(ProductRow).where(ProductRow.id.in_(ids)))
        return {row.id: row for row in rows}

    def group_ids(self) -> set[str]:
        return set(self._session.scalars(select(ProductGroupRow.id)))

    def inactive_group_ids(self) -> set[str]:
        """The groups switched off in the back office: their products are off sale."""
        query = select(ProductGroupRow.id).where(ProductGroupRow.active.is_(False))
        return set(self._session.scalars(query))

    def barcodes(self) -> dict[str, str]:
        """Every stored barcode (the extra ones too) and the product that has it."""
        query = select(ProductRow.id, ProductRow.barcode).where(ProductRow.barcode.is_not(None))
        found = {code: pid for pid, code in self._session.execute(query) if code is not None}
        extra = select(ProductRow.id, ProductRow.extra_barcodes).where(
            cast(ProductRow.extra_barcodes, String) != "[]"
        )
        for pid, codes in self._session.execute(extra):
            found.update((str(code), pid) for code in codes or ())
        return found

    def bundles(self) -> dict[str, list[str]]:
        """Every composite product and its parts' ids (few rows: the others store ``[]``)."""
        query = select(ProductRow.id, ProductRow.components).where(
            cast(ProductRow.components, String) != "[]"
        )
        return {pid: [str(part["product_id"]) for part in parts or ()]
                for pid, parts in self._session.execute(query) if parts}  # fmt: skip

    def names(self, ids: set[str]) -> dict[str, str]:
        """The names of the products of ``ids`` that exist."""
        found: dict[str, str] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), 1000):
            query = select(ProductRow.id, ProductRow.name).where(
                ProductRow.id.in_(ordered[start : start + 1000])
            )
            found.update((pid, name) for pid, name in self._session.execute(query))
        return found

    def group(self, group_id: str) -> ProductGroupRow | None:
        return self._session.get(ProductGroupRow, group_id)

    def product(self, product_id: str) -> ProductRow | None:
        return self._session.get(ProductRow, product_id)

    def groups(self) -> list[ProductGroupRow]:
        """Every group in the tiles' order."""
        query = select(ProductGroupRow).order_by(ProductGroupRow.position, ProductGroupRow.name)
        return list(self._session.scalars(query))

    def all_products(self) -> list[ProductRow]:
        """Every product, by group and name (the export)."""
        query = select(ProductRow).order_by(ProductRow.group_id, ProductRow.name, ProductRow.id)
        return list(self._session.scalars(query))

    def find(self, text: str, limit: int) -> list[ProductRow]:
        """Products whose name or id holds ``text`` (any case, Cyrillic too: SQLite's lower()
        knows only ASCII, so names and ids are matched here), by name; the first ``limit``."""
        needle = text.casefold()
        names = self._session.execute(
            select(ProductRow.id, ProductRow.name).order_by(ProductRow.name, ProductRow.id)
        )
        ids = [pid for pid, name in names
               if needle in name.casefold() or needle in pid.casefold()][:limit]  # fmt: skip
        rows = {row.id: row for row in self._session.scalars(
            select(ProductRow).where(ProductRow.id.in_(ids)))} if ids else {}  # fmt: skip
        return [rows[pid] for pid in ids]

    def upsert_groups(self, values: Sequence[Mapping[str, Any]]) -> list[ProductGroupRow]:
        """Insert or update by id; the rows that changed (flushed: products refer to them)."""
        changed = upsert_changed(self._session, ProductGroupRow, values, self._uow.now)
        self._session.flush()
        return changed

    def upsert_products(self, values: Sequence[Mapping[str, Any]]) -> list[ProductRow]:
        changed = upsert_changed(self._session, ProductRow, values, self._uow.now)
        self._session.flush()
        return changed
