"""What the till window reads from its store for the tiles and the scan router: the catalogue
by product group, and the promo program's prefix (on the op worker, once the store is open)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_app.ui.till.ports import Catalogue, CatalogueGroup

if TYPE_CHECKING:
    from pos_app.db import Store


def promo_prefix(store: Store) -> str:
    from pos_app.services.promo import program

    with store.unit_of_work(durable=False) as uow:
        return program(uow)[0]


class StoreCatalogue:
    """The catalogue for the tiles: active product groups in their order, products by name
    (an inactive group's products are off sale: ``products.all()`` leaves them out)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self) -> Catalogue:
        from sqlalchemy import select

        from pos_app.db.models import ProductGroup
        from pos_app.domain.catalog import tile_colour

        with self._store.unit_of_work(durable=False) as uow:
            order = (ProductGroup.sort_order, ProductGroup.name)
            rows = uow.connection.execute(
                select(ProductGroup.id, ProductGroup.name, ProductGroup.colour, ProductGroup.image)
                .where(ProductGroup.active.is_(True))  # an inactive group's tile is hidden
                .order_by(*order)
            ).all()
            products = uow.products.all()
        by_group: dict[str | None, list[Any]] = {}
        for product in products:
            by_group.setdefault(product.group_id, []).append(product)
        groups = [
            CatalogueGroup(gid, name, tuple(by_group.pop(gid, ())), tile_colour(colour), image)
            for gid, name, colour, image in rows
        ]
        rest = tuple(p for items in by_group.values() for p in items)
        if rest:
            groups.append(CatalogueGroup("", "Other", rest))
        return Catalogue(tuple(g for g in groups if g.products))
