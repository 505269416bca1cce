"""The console speaks Russian with its translation file installed (and English without)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

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


def test_every_column_header_fits_in_russian_at_1366_by_768(russian: None, qtbot: QtBot) -> None:
    """The incoming panel gets 900 of the 1 366 px (the splitter's default): every header,
    "Состав" (Items) included, is shown whole, and Items keeps the room that is left."""
    from pos_app.ui.console.panel import IncomingPanel
    from pos_app.ui.console.style import STYLE

    panel = IncomingPanel(OrdersModel())
    panel.setStyleSheet(STYLE)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    header = panel.view.horizontalHeader()
    for column in range(header.count()):
        needed = header.sectionSizeFromContents(column).width()
        assert needed <= header.sectionSize(column), (column, needed, header.sectionSize(column))
    assert header.sectionSize(3) >= 150  # Items: room for two or three products


def test_the_confirmation_and_a_lost_race_read_in_russian(russian: None, qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    from pos_app.domain.orders import PaymentMethod
    from pos_app.services.orders import OrderLineView, OrderView
    from pos_app.ui.console.confirm import ActionConfirmation, lost_race_text

    now = datetime.now(UTC)
    order = OrderView("o-1", "anna", OrderState.CANCELLED, PaymentMethod.CASH, 35_000, now, now,
                      (OrderLineView("1", "tea", "Чай", 1, 35_000),), guest_name="Анна",
                      number="A-017", updated_by_name="Бар")  # fmt: skip
    assert lost_race_text(order) == (
        "Раньше успели на «Бар»: заказ A-017 уже отменён. Ничего не применено дважды."
    )
    dialog = ActionConfirmation(OrderAction.CANCEL, order, None)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Отменить заказ A-017?"
    assert dialog.text.text().splitlines()[:2] == ["Гость: Анна", "Сумма: 350,00 ₽"]
    assert (dialog.confirm.text(), dialog.back.text()) == ("Отменить заказ", "Назад")


def test_every_console_string_is_translated_and_the_qm_is_built_from_the_ts(
    tmp_path: Path,
) -> None:
    """As tests/ui/test_translations.py does for the till: lupdate of the console's sources
    finds nothing new or unfinished, and lrelease of the committed .ts gives the committed .qm."""
    from tests.ui.test_translations import BIN, ROOT, messages

    ts = TRANSLATIONS_DIR / "console_ru.ts"
    fresh = tmp_path / "fresh.ts"
    sources = sorted((ROOT / "pos_app/ui/console").glob("*.py"))
    subprocess.run([BIN / "pyside6-lupdate", "-locations", "none", *sources, "-ts", fresh],
                   check=True, capture_output=True)  # fmt: skip
    in_code, committed = set(messages(fresh)), messages(ts)
    assert in_code - set(committed) == set(), "run lupdate and translate the new strings"
    for key in in_code:
        translation = committed[key].find("translation")
        assert translation is not None, key
        assert translation.get("type") != "unfinished", key
    shutil.copy(ts, tmp_path / "console_ru.ts")
    subprocess.run([BIN / "pyside6-lrelease", tmp_path / "console_ru.ts", "-qm",
                    tmp_path / "console_ru.qm"], check=True, capture_output=True)  # fmt: skip
    built = (tmp_path / "console_ru.qm").read_bytes()
    assert built == (TRANSLATIONS_DIR / "console_ru.qm").read_bytes(), "run pyside6-lrelease"
