"""The catalogue's rows as the catalogue service changes them (``pos_server.catalogue.service``:
the import). Reading prices at a feed version is ``uow.catalogue`` (``catalogue.py``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from pos_server.db.models_staff import ProductGroupRow, ProductRow
from pos_server.db.upsert import upsert_changed
from pos_server.uow import Repository


class Products(Repository):
    __slots__ = ()

    def group_ids(self) -> set[str]:
        return set(self._session.scalars(select(ProductGroupRow.id)))

    def barcodes(self) -> dict[str, str]:
        """Every stored barcode and the product that has it."""
        query = select(ProductRow.id, ProductRow.barcode).where(ProductRow.barcode.is_not(None))
        return {code: pid for pid, code in self._session.execute(query) if code is not None}

    def upsert_groups(self, values: Sequence[Mapping[str, Any]]) -> list[ProductGroupRow]:
        """Insert or update by id; the rows that changed (flushed: products refer to them)."""
        changed = upsert_changed(self._session, ProductGroupRow, values, self._uow.now)
        self._session.flush()
        return changed

    def upsert_products(self, values: Sequence[Mapping[str, Any]]) -> list[ProductRow]:
        changed = upsert_changed(self._session, ProductRow, values, self._uow.now)
        self._session.flush()
        return changed
