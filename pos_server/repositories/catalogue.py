"""The catalogue's history as the server's review of a sale reads it
(``pos_server.ops.sale_review``): a product's price at a till's catalogue version or at a moment,
taken from the change feed, which keeps every ``product`` change whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from pos_server.db.fastexec import Fast
from pos_server.db.models_staff import ProductRow
from pos_server.uow import Repository

PRODUCT_ENTITY = "product"


class CatalogueHistory(Repository):
    __slots__ = ()

    def has_products(self) -> bool:
        """Whether the server has a catalogue at all (before one is imported nothing is
        checked against it)."""
        return _HAS_PRODUCTS.first(self._uow.connection, {}) is not None

    def price_at_version(self, product_id: str, version: int) -> int | None:
        """The product's price at the till's feed cursor ``version``; None: no such active
        product then."""
        return _price(self._uow.feed.record_at_version(PRODUCT_ENTITY, product_id, version))

    def price_at(self, product_id: str, moment: datetime) -> int | None:
        """The product's price at ``moment``; None: no such active product then."""
        return _price(self._uow.feed.record_at(PRODUCT_ENTITY, product_id, moment))


def _price(data: dict[str, Any] | None) -> int | None:
    if data is None:
        return None
    price = data.get("price")
    return price if isinstance(price, int) and data.get("active", True) is not False else None


_HAS_PRODUCTS = Fast(select(ProductRow.id).limit(1))
