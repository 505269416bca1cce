"""Composite products and time packages from the server's catalogue to a till's receipt
(issue 18 point 6): a CSV import, the feed, the till's store, a sale kept and read back, the
printed receipt with the bundle's parts under its line and the package's minutes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app.db import open_store
from pos_app.devices.layout import receipt_for
from pos_app.devices.print_document import to_plain_text
from pos_app.devices.receipt import render_receipt
from pos_app.domain.catalog import BundlePart, Product
from pos_app.domain.money import rub
from pos_app.services.feed import Change, FeedService
from pos_app.services.payments import PaymentService
from pos_app.services.sales import SaleService
from pos_server.cli import main
from tests.server.conftest import Till
from tests.server.test_changes import pull_all
from tests.services.fakes import FakeClock, FakeIds

CSV = (
    "kind,id,name,price,group_id,minutes,components\n"
    "product,latte,Латте,21000,,,\n"
    "product,croissant,Круассан,9000,,,\n"
    "product,breakfast,Завтрак,27000,,,latte=1;croissant=2\n"
    "product,hour,Игровое время,30000,,60,\n"
)


def _import(capsys: Any, path: Path, db_url: str) -> dict[str, Any]:
    code = main(["catalogue", "import", str(path), "--db", db_url])
    out = capsys.readouterr()
    assert code == 0, out.err
    found: dict[str, Any] = json.loads(out.out)
    return found


def test_a_bundle_and_a_time_package_reach_the_till_and_its_receipt(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    (tmp_path / "catalogue.csv").write_text(CSV, encoding="utf-8")
    assert _import(capsys, tmp_path / "catalogue.csv", db_url)["changes"] == 4
    changes, cursor = pull_all(till)
    data = {c["entity_id"]: c["data"] for c in changes}
    assert data["breakfast"]["components"] == [
        {"product_id": "latte", "quantity": 1, "name": "Латте"},
        {"product_id": "croissant", "quantity": 2, "name": "Круассан"},
    ]
    assert (data["hour"]["minutes"], data["latte"]["minutes"]) == (60, None)

    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    try:
        clock = FakeClock(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
        feed = FeedService(store.unit_of_work, clock)
        page = [Change(c["id"], c["entity"], c["entity_id"], c["data"]) for c in changes]
        assert feed.apply_page(0, page, cursor).skipped == {}
        with store.unit_of_work() as uow:
            breakfast, hour = uow.products.get("breakfast"), uow.products.get("hour")
            assert uow.products.get("latte") is not None
        assert breakfast is not None and hour is not None
        assert breakfast.components == (BundlePart("latte", "Латте", 1),
                                        BundlePart("croissant", "Круассан", 2))  # fmt: skip
        assert (breakfast.price, breakfast.minutes) == (27000, None)
        assert (hour.minutes, hour.components) == (60, ())

        sales = SaleService(store.unit_of_work, clock, FakeIds("sale"))
        pay = PaymentService(store.unit_of_work, clock, FakeIds("pay"), sales)
        sale_id = sales.open_sale().sale_id
        sales.add_line(sale_id, product_id="breakfast", quantity=2)
        sales.add_line(sale_id, product_id="hour")
        pay.pay_cash(sale_id, rub(840))
        view = sales.get_sale(sale_id)  # read back from the store, as the print queue does
    finally:
        store.close()

    assert [(ln.name, ln.quantity, ln.subtotal) for ln in view.lines] == [
        ("Завтрак", 2, 54000),
        ("Игровое время", 1, 30000),
    ]  # one line each, their own price
    assert view.lines[0].parts == (("Латте", 1), ("Круассан", 2))
    assert (view.lines[1].minutes, view.total) == (60, 84000)
    text = to_plain_text(render_receipt(receipt_for(view, venue_name="Клуб"), 32), 32)
    lines = text.splitlines()
    at = lines.index("Завтрак")
    assert lines[at + 1].startswith("  2 x 270,00") and lines[at + 1].endswith("540,00")
    assert lines[at + 2 : at + 4] == ["  - Латте x 1", "  - Круассан x 2"]
    assert "Игровое время, 60 мин" in lines
    assert lines[lines.index("Игровое время, 60 мин") + 1].endswith("300,00")


def test_the_feed_takes_a_product_without_the_new_fields(tmp_path: Path) -> None:
    """An older server's ``product`` change (no components, no minutes) is a plain product."""
    store = open_store(tmp_path / "till.sqlite3")
    try:
        feed = FeedService(store.unit_of_work, FakeClock())
        old = Change(1, "product", "tea", {"product_id": "tea", "name": "Чай", "price": 9000})
        bad = Change(2, "product", "box", {"product_id": "box", "name": "Box", "price": 100,
                                           "minutes": 0})  # fmt: skip
        result = feed.apply_page(0, [old, bad], 2)
        assert result.skipped == {"product/invalid": 1}  # minutes must be > 0
        with store.unit_of_work() as uow:
            tea = uow.products.get("tea")
        assert tea is not None and (tea.components, tea.minutes) == ((), None)
    finally:
        store.close()


def test_a_till_finds_a_product_by_any_of_its_barcodes(tmp_path: Path) -> None:
    store = open_store(tmp_path / "till.sqlite3")
    try:
        feed = FeedService(store.unit_of_work, FakeClock())
        cola = Change(1, "product", "cola", {
            "product_id": "cola", "name": "Кола", "price": 9000, "barcode": "4600000000091",
            "extra_barcodes": ["4600000000084", "46%0"]})  # fmt: skip
        assert feed.apply_page(0, [cola], 1).skipped == {}
        with store.unit_of_work() as uow:  # read through the shared cache
            found = [uow.products.by_barcode(c) for c in ("4600000000091", "4600000000084")]
            assert uow.products.by_barcode("4600000000") is None
        assert [p.id if p else None for p in found] == ["cola", "cola"]
        with store.unit_of_work() as uow:  # a unit of work's own writes: read from the table
            uow.products.add(Product("tea", "Чай", 5000, extra_barcodes=("4600000000114",)))
            tea = uow.products.by_barcode("4600000000114")
            percent = uow.products.by_barcode("46%0")
            assert uow.products.by_barcode("460") is None  # no partial matches
        assert tea is not None and tea.id == "tea" and tea.extra_barcodes == ("4600000000114",)
        assert percent is not None and percent.id == "cola"
    finally:
        store.close()


def test_a_product_withdrawn_on_the_server_leaves_the_tills_catalogue(tmp_path: Path) -> None:
    store = open_store(tmp_path / "till.sqlite3")
    try:
        feed = FeedService(store.unit_of_work, FakeClock())
        tea = {"product_id": "tea", "name": "Чай", "price": 9000, "barcode": "4600000000121"}
        assert feed.apply_page(0, [Change(1, "product", "tea", tea)], 1).applied == 1
        with store.unit_of_work() as uow:
            assert uow.products.get("tea") is not None
        withdrawn = Change(2, "product", "tea", {**tea, "active": False})
        assert feed.apply_page(1, [withdrawn], 2).applied == 1
        with store.unit_of_work() as uow:
            assert uow.products.get("tea") is None
            assert uow.products.by_barcode("4600000000121") is None
            assert [p.id for p in uow.products.all()] == []
            # the barcode is free for another product
            uow.products.add(Product("tea2", "Чай зелёный", 9500, barcode="4600000000121"))
            found = uow.products.by_barcode("4600000000121")
            uow.rollback()
        assert found is not None and found.id == "tea2"
        assert feed.apply_page(2, [Change(3, "product", "tea", tea)], 3).applied == 1
        with store.unit_of_work() as uow:  # on sale again
            back = uow.products.by_barcode("4600000000121")
        assert back is not None and back.id == "tea"
    finally:
        store.close()
