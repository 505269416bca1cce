"""A product group switched off in the back office, in the till window (issue 18 point 6):
its tile is gone, and scanning one of its products says it is off sale and why, in the
cashier's language - where an unknown code only says it is unknown."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QPushButton

from pos_app.db import Store
from pos_app.services.feed import Change, FeedService
from pos_app.services.sales import ProductOffSale
from pos_app.ui.i18n import install_translators
from pos_app.ui.till.messages import cashier_text
from tests.services.fakes import FakeClock
from tests.ui.test_till_window import LATTE, signed_in


def _coffee_off(store: Store) -> None:
    """The feed's ``product_group`` change as the server sends it (``group_data``)."""
    feed = FeedService(store.unit_of_work, FakeClock(datetime(2026, 12, 7, 12, tzinfo=UTC)))
    data = {"group_id": "coffee", "name": "Кофе", "position": 0, "active": False,
            "colour": None, "image": None}  # fmt: skip
    result = feed.apply_page(0, [Change(1, "product_group", "coffee", data)], 1)
    assert result.applied == 1


def test_an_inactive_groups_tile_is_gone_and_its_scan_says_why(till_factory: Any) -> None:
    till = signed_in(till_factory, before=_coffee_off)
    window = till.window
    till.qtbot.waitUntil(lambda: bool(window.catalogue.visible_products()), timeout=5000)
    groups = [b.text() for b in window.catalogue.findChildren(QPushButton, "groupButton")]
    assert "Кофе" not in groups and "Чай" in groups
    window.catalogue.search.setText("латте")
    assert [p.name for p in window.catalogue.visible_products()] == ["Айс латте"]  # cold drinks
    window.catalogue.search.clear()
    till.scan(LATTE)
    till.qtbot.waitUntil(window.banner.isVisible, timeout=3000)
    assert window.banner.text() == (
        "Латте is off sale: its group «Кофе» is inactive in the back office.")  # fmt: skip
    assert window.controller.sale is None or window.controller.sale.lines == ()


def test_the_off_sale_message_in_russian(qapp: Any) -> None:
    error = ProductOffSale("off", product="Латте", group="Кофе")
    translators = install_translators(qapp, "ru")
    try:
        assert cashier_text(error) == "Латте не продаётся: его группа «Кофе» отключена в бэк-офисе."
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
