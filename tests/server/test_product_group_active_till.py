"""An inactive product group at the till (issue 18 point 6): the back office switches a group
off, the feed's ``product_group`` change carries ``"active": false``, and the till hides the
group's tile and takes its products off sale - not found by id or barcode, a scan saying why -
until the group is active again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.commands.till_catalogue import StoreCatalogue
from pos_app.db import Store, open_store
from pos_app.domain.catalog import Product
from pos_app.services.feed import Change, FeedService
from pos_app.services.sales import ProductNotFound, ProductOffSale, SaleService
from pos_server.catalogue.service import CatalogueIn, import_catalogue
from tests.server.conftest import Till
from tests.server.test_cabinet_shop import run
from tests.server.test_changes import pull_all
from tests.services.fakes import FakeClock, FakeIds

LATTE_CODE = "4600000000017"
CATALOGUE = {
    "groups": [{"id": "coffee", "name": "Кофе", "position": 0},
               {"id": "food", "name": "Еда", "position": 1}],
    "products": [
        {"id": "latte", "name": "Латте", "price": 21_000, "group_id": "coffee",
         "barcode": LATTE_CODE, "extra_barcodes": ["4600000000024"]},
        {"id": "cookie", "name": "Печенье", "price": 9_000, "group_id": "food"},
        {"id": "water", "name": "Вода", "price": 5_000},
    ],
}  # fmt: skip


def _coffee(db_url: str, active: bool) -> None:
    group = {"id": "coffee", "name": "Кофе", "position": 0, "active": active}
    run(db_url, lambda uow: import_catalogue(uow, CatalogueIn.model_validate(
        {"groups": [group], "products": []})))  # fmt: skip


def _pull(till: Till, feed: FeedService, cursor: int) -> int:
    changes, after = pull_all(till, cursor)
    page = [Change(c["id"], c["entity"], c["entity_id"], c["data"]) for c in changes]
    result = feed.apply_page(cursor, page, after)
    assert not result.stale and result.skipped == {} and result.applied == len(page) > 0
    return after


def _tiles(store: Store) -> dict[str, list[str]]:
    return {g.name: [p.id for p in g.products] for g in StoreCatalogue(store).load().groups}


def test_an_inactive_group_is_off_sale_at_the_till_until_active_again(
    till: Till, db_url: str, tmp_path: Path
) -> None:
    run(db_url, lambda uow: import_catalogue(uow, CatalogueIn.model_validate(CATALOGUE)))
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    try:
        clock = FakeClock(datetime(2026, 12, 7, 12, tzinfo=UTC))
        feed = FeedService(store.unit_of_work, clock)
        sales = SaleService(store.unit_of_work, clock, FakeIds("sale"))
        cursor = _pull(till, feed, 0)
        assert _tiles(store) == {"Кофе": ["latte"], "Еда": ["cookie"], "Other": ["water"]}

        _coffee(db_url, False)
        cursor = _pull(till, feed, cursor)
        assert _tiles(store) == {"Еда": ["cookie"], "Other": ["water"]}  # no Кофе tile
        with store.unit_of_work() as uow:
            assert uow.products.get("latte") is None
            assert uow.products.by_barcode(LATTE_CODE) is None
            assert uow.products.get("cookie") is not None
        sale_id = sales.open_sale().sale_id
        for way in ({"barcode": LATTE_CODE}, {"barcode": "4600000000024"},
                    {"product_id": "latte"}):  # fmt: skip
            with pytest.raises(ProductOffSale) as refused:
                sales.add_line(sale_id, **way)
            assert (refused.value.details["product"], refused.value.details["group"]) == (
                "Латте", "Кофе")  # fmt: skip
        with pytest.raises(ProductNotFound):  # an unknown code is still just unknown
            sales.add_line(sale_id, barcode="4600000099999")
        assert sales.get_sale(sale_id).lines == ()

        _coffee(db_url, True)
        _pull(till, feed, cursor)
        assert _tiles(store) == {"Кофе": ["latte"], "Еда": ["cookie"], "Other": ["water"]}
        view = sales.add_line(sale_id, barcode=LATTE_CODE)
        assert [(line.name, line.total) for line in view.lines] == [("Латте", 21_000)]
    finally:
        store.close()


def test_a_group_switched_off_in_a_unit_of_work_is_off_sale_before_its_commit(
    tmp_path: Path,
) -> None:
    """The repository's own uncommitted writes (the feed applying a page) see the flag too,
    and the shared cache is dropped when they commit."""
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    try:
        with store.unit_of_work() as uow:
            uow.products.add_group("coffee", "Кофе")
            uow.products.add(Product("latte", "Латте", 21_000, group_id="coffee",
                                     barcode=LATTE_CODE))  # fmt: skip
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.products.by_barcode(LATTE_CODE) is not None  # fills the cache
            uow.products.add_group("coffee", "Кофе", active=False)
            assert uow.products.get("latte") is None
            assert uow.products.by_barcode(LATTE_CODE) is None
            assert uow.products.off_sale_group(barcode=LATTE_CODE) == ("Латте", "Кофе")
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.products.by_barcode(LATTE_CODE) is None
            assert uow.products.all() == []
    finally:
        store.close()
