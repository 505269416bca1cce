"""The till speaks Russian and English: every string in the code is in till_ru.ts and
translated, the committed .qm is what lrelease makes of the .ts, and the window uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from pos_app.devices.events import DeviceState, DeviceStatus
from pos_app.services.sales import ProductNotFound
from pos_app.ui.i18n import TRANSLATIONS_DIR, install_translators, pick_language
from pos_app.ui.till.messages import cashier_text
from pos_app.ui.till.status import DeviceStatusLabel
from pos_app.ui.till.totals import TotalsPanel

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TS = TRANSLATIONS_DIR / "till_ru.ts"
QM = TRANSLATIONS_DIR / "till_ru.qm"
SOURCES = [ROOT / "pos_app/ui/main_window.py", *sorted((ROOT / "pos_app/ui/till").glob("*.py"))]


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            out[(name, message.findtext("source") or "")] = message
    return out


def test_every_string_in_the_code_is_translated_to_russian(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run([BIN / "pyside6-lupdate", "-locations", "none", *SOURCES, "-ts", fresh],
                   check=True, capture_output=True)  # fmt: skip
    in_code, committed = set(messages(fresh)), messages(TS)
    assert in_code - set(committed) == set(), "run lupdate and translate the new strings"
    for key in in_code:
        translation = committed[key].find("translation")
        assert translation is not None and translation.text, key
        assert translation.get("type") != "unfinished", key


def test_the_committed_qm_is_built_from_the_committed_ts(tmp_path: Path) -> None:
    shutil.copy(TS, tmp_path / "till_ru.ts")
    subprocess.run([BIN / "pyside6-lrelease", tmp_path / "till_ru.ts", "-qm",
                    tmp_path / "till_ru.qm"], check=True, capture_output=True)  # fmt: skip
    assert (tmp_path / "till_ru.qm").read_bytes() == QM.read_bytes(), "run pyside6-lrelease"


def test_russian_by_default_on_a_russian_locale_english_otherwise() -> None:
    assert pick_language(None, QLocale(QLocale.Language.Russian, QLocale.Country.Russia)) == "ru"
    assert (
        pick_language(None, QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        == "en"
    )
    assert pick_language("en", QLocale(QLocale.Language.Russian)) == "en"
    with pytest.raises(ValueError, match="unknown language"):
        pick_language("de")


def test_the_window_parts_and_errors_read_in_russian(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "ru")
    try:
        assert translators, "till_ru.qm was not loaded"
        totals = TotalsPanel()
        qtbot.addWidget(totals)
        captions = [w.text() for w in totals.findChildren(type(totals.total))]
        assert "К ОПЛАТЕ" in captions and "Скидка 0,00 ₽" in captions
        error = ProductNotFound("No product with barcode 123.", barcode="123")
        assert cashier_text(error) == "Нет товара с кодом 123."
        devices = DeviceStatusLabel()
        qtbot.addWidget(devices)
        devices.show_status(DeviceStatus("hid:0c2e:0b62", DeviceState.DISCONNECTED,
                                         "cannot open: open failed"))  # fmt: skip
        devices.show_status(DeviceStatus("serial:/dev/ttyS0", DeviceState.CONNECTED, "/dev/ttyS0"))
        assert devices.text() == "hid:0c2e:0b62: отключён · /dev/ttyS0: подключён"
        assert devices.toolTip() == ("hid:0c2e:0b62: отключён (не открывается: open failed)\n"
                                     "/dev/ttyS0: подключён (/dev/ttyS0)")
    finally:
        for translator in translators:
            app.removeTranslator(translator)
    assert cashier_text(error) == "No product has the code 123."


def test_the_till_window_speaks_russian_with_lang_ru(till_factory: Any) -> None:
    till = till_factory(lang="ru")
    window = till.window
    assert window.pay_button.text() == "Оплата (F12)"
    assert window.totals.findChildren(QLabel)[0].text() == "Сумма без скидки 0,00 ₽"
    window.guests.ask_promo()  # a flow of the window: its text is translated too
    assert window.banner.text() == "Сначала добавьте товар в корзину."


def test_qts_own_dialog_buttons_are_russian_too(qtbot: QtBot) -> None:
    """The standard dialogs the till opens (the manager's PIN, a promo code) say Отмена."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "ru")
    try:
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Отмена"
    finally:
        for translator in translators:
            app.removeTranslator(translator)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
