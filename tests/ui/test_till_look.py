"""The font-size setting and touch mode (issue 22 point 8): stored by ``--font-size`` and
``--touch``, applied to the whole app once the store opens (type scaled from 15 px; touch
mode: buttons, tiles and basket rows a finger can hit)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QToolButton

from pos_app.commands.till_app import parse_args
from pos_app.services.screen_look import ScreenLook, read_look
from pos_app.ui.theme import STYLE_SHEET, TOUCH_ROW_HEIGHT, style_sheet
from tests.ui.test_till_window import signed_in


def test_the_style_sheet_scales_the_type_and_grows_the_targets() -> None:
    assert style_sheet() == STYLE_SHEET and "min-height: 96px" not in STYLE_SHEET
    big = style_sheet(20)
    assert "QWidget { font-size: 20px;" in big and "#grandTotal { font-size: 48px;" in big
    assert "#productTile { min-height: 96px; }" in style_sheet(touch=True)


def test_the_options_are_checked_and_default_to_the_stored_settings() -> None:
    options = parse_args(["--font-size", "18", "--touch"])
    assert (options.font_size, options.touch) == (18, True)
    assert (parse_args([]).font_size, parse_args([]).touch) == (None, None)
    assert parse_args(["--no-touch"]).touch is False
    with pytest.raises(SystemExit):
        parse_args(["--font-size", "60"])


def test_a_big_font_and_touch_mode_reach_the_window(till_factory: Any) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        till = signed_in(till_factory, font_size=20, touch=True)
        window = till.window
        till.qtbot.waitUntil(lambda: window.look == ScreenLook(20, True), timeout=5000)
        assert "QWidget { font-size: 20px;" in app.styleSheet()
        assert window.basket.table.verticalHeader().defaultSectionSize() == TOUCH_ROW_HEIGHT
        till.qtbot.waitUntil(lambda: window.pay_button.height() >= 48, timeout=2000)
        assert read_look(till.store.unit_of_work) == ScreenLook(20, True)  # kept for next time
    finally:
        app.setStyleSheet(STYLE_SHEET)


def test_product_tiles_carry_their_colour(till_factory: Any) -> None:
    till = signed_in(till_factory)  # the demo catalogue: one colour per group
    tiles = [t for t in till.window.catalogue.findChildren(QToolButton, "productTile")
             if t.isVisible()]  # fmt: skip
    assert tiles and {t.property("colour") for t in tiles} == {"#8d5a3b"}  # coffee
    assert "border-left: 10px solid #8d5a3b" in tiles[0].styleSheet()
