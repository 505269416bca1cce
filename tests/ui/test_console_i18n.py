"""The console speaks Russian with its translation file installed (and English without)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from pos_app.domain.orders import OrderAction, OrderState
from pos_app.ui.console.detail import OrderDetail
from pos_app.ui.console.orders_model import OrdersModel, money, state_text
from pos_app.ui.i18n import TRANSLATIONS_DIR, install_translators


@pytest.fixture
def russian(qtbot: QtBot) -> Iterator[None]:
    app = QCoreApplication.instance()
    assert app is not None
    installed = install_translators(app, "ru")
    assert (TRANSLATIONS_DIR / "console_ru.qm").exists() and installed
    yield
    for translator in installed:
        app.removeTranslator(translator)


def test_console_texts_are_russian_with_the_translation(russian: None, qtbot: QtBot) -> None:
    detail = OrderDetail()
    qtbot.addWidget(detail)
    assert detail.buttons[OrderAction.ACCEPT].text() == "Принять"
    assert detail.title.text() == "Выберите заказ"
    assert state_text(OrderState.NEW) == "Новый"
    from PySide6.QtCore import Qt

    assert OrdersModel().headerData(0, Qt.Orientation.Horizontal) == "№"


def test_console_texts_are_english_without_it(qtbot: QtBot) -> None:
    detail = OrderDetail()
    qtbot.addWidget(detail)
    assert detail.buttons[OrderAction.VOID].text() == "Void"
    assert state_text(OrderState.VOIDED) == "Voided"
    assert money(123_450) == "1\xa0234,50 ₽" and money(-5) == "-0,05 ₽"  # as the till writes it
