"""The guest card dialog (pytest-qt) on a real SQLite store through the real services and op
runner: each tab shows the card and each action reaches the outbox; a refusal is said in the
dialog; the History tab pages and reads a kept page offline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from pos_app.db import Store, open_store
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.services.guest_card import GuestCardService
from pos_app.services.guest_history import GuestHistoryService, HistoryUnavailable
from pos_app.services.staff import StaffService, StaffSession
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.till.guest_card import GuestCardDialog
from tests.services.conftest import ANNA_CARD, seed

KATE = StaffSession("kate", "Kate", "cashier", frozenset(), SystemClock().now())
MAX = StaffSession("max", "Max", "manager", frozenset(), SystemClock().now(),
                   frozenset({"bonus_settings"}))  # fmt: skip
POSTING = {"id": 7, "account": "points", "kind": "credit", "amount": 15_000,
           "total_after": 45_000, "held_after": 0, "hold_id": None, "staff": "max",
           "actor": "staff:max", "terminal_id": "T2", "at": "2026-11-23T10:00:00+00:00",
           "reason": "birthday", "ref": "adj-1"}  # fmt: skip
HOLD = {"hold_id": "h-1", "amount": 5_000, "created_at": "2026-11-23T10:00:00+00:00",
        "expires_at": "2026-11-23T10:15:00+00:00", "terminal_id": "T2"}  # fmt: skip


class Server:
    def __init__(self) -> None:
        self.up = True

    def page(self, guest_id: str, section: str, before: str | None, limit: int
             ) -> Mapping[str, Any]:  # fmt: skip
        if not self.up:
            raise HistoryUnavailable("The server did not answer.")
        if section == "holds":
            return {"items": [HOLD], "next": None}
        if before is None:
            return {"items": [POSTING], "next": "7"}
        return {"items": [{**POSTING, "id": 6, "reason": "older"}], "next": None}


@dataclass
class Card:
    dialog: GuestCardDialog
    store: Store
    server: Server

    def pending(self) -> list[tuple[str, dict[str, Any]]]:
        with self.store.unit_of_work() as uow:
            return [(op.kind, dict(op.payload)) for op in uow.outbox.pending()]


def opened(qtbot: QtBot, store: Store, server: Server, by: StaffSession) -> GuestCardDialog:
    runner = OpRunner()
    clock, ids = SystemClock(), UuidGenerator()
    dialog = GuestCardDialog(runner, GuestCardService(store.unit_of_work, clock, ids),
                             GuestHistoryService(store.unit_of_work, clock, server),
                             by=by, guest_id="anna")  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view is not None and dialog.main.group.count() > 1)
    return dialog


@pytest.fixture
def card(qtbot: QtBot, tmp_path: Path) -> Iterator[Card]:
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    seed(store.unit_of_work)
    StaffService(store.unit_of_work, SystemClock()).add_staff("max", "Max", "manager", "9999",
                                                              b"salt-max-0000000")  # fmt: skip
    server = Server()
    dialog = opened(qtbot, store, server, MAX)
    yield Card(dialog, store, server)
    dialog.runner.shutdown()  # type: ignore[attr-defined]
    store.close()


def said(qtbot: QtBot, dialog: GuestCardDialog, text: str) -> None:
    def check() -> None:
        assert text in dialog.message.text()

    qtbot.waitUntil(check)


def test_the_tabs_show_the_card(card: Card, qtbot: QtBot) -> None:
    dialog = card.dialog
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Main",
        "Contacts",
        "Identifiers",
        "Accounts",
        "History",
        "Cabinet",
    ]
    assert dialog.main.name.text() == "Анна Смирнова"
    assert dialog.main.group.currentData() == "g10"
    assert dialog.contacts.rows() == [("phone", "other", "+79121234567")]
    assert dialog.identifiers.table.item(0, 2).text() == ANNA_CARD
    assert "300,00" in dialog.accounts.figures.text() and "250,00" in dialog.accounts.figures.text()
    # the open holds are asked of the server on the op worker after the card is shown
    qtbot.waitUntil(lambda: dialog.accounts.holds.text() != "", timeout=5000)
    assert dialog.accounts.holds.text() == "Open holds: 50,00 pts since 23.11.2026 10:00 (T2)"


def test_main_tab_saves_only_what_changed(qtbot: QtBot, card: Card) -> None:
    dialog = card.dialog
    dialog.main.name.setText("Анна Петрова")
    dialog.main.birthday.setText("1990-05-17")
    dialog.main.save()
    said(qtbot, dialog, "Saved.")
    [(kind, payload)] = card.pending()
    assert kind == "guest.updated"
    assert payload["fields"] == ["name", "birthday"]
    assert dialog.title.text() == "Анна Петрова"
    dialog.main.birthday.setText("2999-01-01")
    dialog.main.save()
    qtbot.waitUntil(lambda: dialog.message.property("problem") is True)
    assert len(card.pending()) == 1  # refused: nothing queued, the form kept as typed
    assert dialog.main.birthday.text() == "2999-01-01"


def test_contacts_identifiers_and_accounts(qtbot: QtBot, card: Card) -> None:
    dialog = card.dialog
    dialog.contacts.add_row("email", "work", "Anna@Example.com")
    dialog.contacts.save()
    said(qtbot, dialog, "Saved.")
    assert dialog.contacts.rows()[-1] == ("email", "work", "anna@example.com")
    tab = dialog.identifiers
    tab.medium.setCurrentIndex(1)  # the guest app: scanned, the method follows
    assert tab.method.currentData() == "barcode" and not tab.method.isEnabled()
    tab.value.setText("qr-anna-2")
    tab.add()
    said(qtbot, dialog, "Card added.")
    tab.table.setCurrentCell(0, 2)
    tab.reason.setText("lost")
    tab.medium.setCurrentIndex(0)
    tab.value.setText("7000000000000099")
    tab.replace()
    said(qtbot, dialog, "lost card is blocked")
    assert [tab.table.item(r, 3).text() for r in range(3)] == ["blocked", "active", "active"]
    accounts = dialog.accounts
    accounts.amount.setText("150")
    accounts.reason.setText("подарок")
    accounts.adjust()
    said(qtbot, dialog, "Posted")
    accounts.accrual.setText("12")
    accounts.save_bonus()
    said(qtbot, dialog, "Saved.")
    kinds = [kind for kind, _ in card.pending()]
    assert kinds == ["guest.contacts_set", "identifier.bound", "identifier.replaced",
                     "account.adjusted", "guest.loyalty_set"]  # fmt: skip
    assert card.pending()[3][1]["amount"] == 15_000


def test_a_cashier_is_told_what_they_may_not_do(qtbot: QtBot, card: Card) -> None:
    dialog = opened(qtbot, card.store, card.server, KATE)
    dialog.accounts.amount.setText("150")
    dialog.accounts.reason.setText("x")
    dialog.accounts.adjust()
    qtbot.waitUntil(lambda: dialog.message.property("problem") is True)
    assert card.pending() == []
    dialog.runner.shutdown()  # type: ignore[attr-defined]


def test_history_pages_and_reads_a_kept_page_offline(qtbot: QtBot, card: Card) -> None:
    dialog = card.dialog
    dialog.tabs.setCurrentWidget(dialog.history)
    table = dialog.history.table
    qtbot.waitUntil(lambda: table.rowCount() == 1)
    assert table.item(0, 5).text() == "birthday" and table.item(0, 4).text() == "Max / T2"
    dialog.history.older.click()
    qtbot.waitUntil(lambda: table.rowCount() == 2)
    assert not dialog.history.older.isEnabled()
    card.server.up = False
    dialog.history.load()
    qtbot.waitUntil(lambda: dialog.history.state.text().startswith("Offline"))
    assert table.rowCount() == 1


def test_ctrl_g_opens_the_identified_guests_card_in_the_till_window(till_factory: Any) -> None:
    from PySide6.QtCore import Qt

    from pos_app.ui.key_hook import Reading
    from tests.ui.test_till_window import LATTE, signed_in

    till = signed_in(till_factory)
    window = till.window
    till.qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert window.banner.text() == "Identify a guest first."
    till.scan(LATTE)
    till.scan("QR-GUEST-03")
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    assert window.guest_panel.card_button.isVisible()
    till.qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    till.qtbot.waitUntil(lambda: getattr(window, "guest_card_dialog", None) is not None)
    dialog = window.guest_card_dialog
    till.qtbot.waitUntil(lambda: dialog.view is not None, timeout=5000)
    assert dialog.main.name.text() == "Мария Кузнецова"
    assert dialog.identifiers.table.rowCount() >= 1
    window.handle_reading(Reading("msr", ";7799000000000099=2912?", "test"))  # a swipe
    assert dialog.tabs.currentWidget() is dialog.identifiers
    assert dialog.identifiers.value.text() == ";7799000000000099=2912?"
    assert dialog.identifiers.method.currentData() == "msr"
    dialog.identifiers.add()
    till.qtbot.waitUntil(lambda: "Card added." in dialog.message.text(), timeout=5000)
    sale = window.controller.sale
    assert sale is not None and sale.guest is not None  # the sale behind is not touched
    dialog.tabs.setCurrentWidget(dialog.history)  # not enrolled: no server, nothing kept
    till.qtbot.waitUntil(lambda: "cannot be reached" in dialog.message.text(), timeout=5000)
    dialog.close()


def test_the_card_speaks_russian(qtbot: QtBot, card: Card) -> None:
    from PySide6.QtWidgets import QApplication

    from pos_app.ui.i18n import install_translators

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "ru")
    try:
        dialog = opened(qtbot, card.store, card.server, MAX)
        assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
            "Основное",
            "Контакты",
            "Идентификаторы",
            "Счета",
            "История",
            "Кабинет",
        ]
        assert dialog.windowTitle() == "Карточка гостя"
        assert dialog.accounts.figures.text().startswith("Баллы: всего 300,00")
        dialog.runner.shutdown()  # type: ignore[attr-defined]
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def test_the_cabinet_tab_saves_the_flags_and_needs_a_server_for_credentials(
    qtbot: QtBot, card: Card
) -> None:
    """The flags are card edits (queued offline); the login and password live on the server,
    which this till does not have: the tab says so and keeps the form."""
    dialog = card.dialog
    tab = dialog.cabinet
    assert tab.ordering.isChecked() == dialog.view.ordering_allowed  # type: ignore[union-attr]
    tab.ordering.setChecked(not tab.ordering.isChecked())
    tab.save_flags()
    said(qtbot, dialog, "Saved.")
    [(kind, payload)] = card.pending()
    assert kind == "guest.updated" and payload["fields"] == ["ordering_allowed"]
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: "not connected" in tab.state.text())
    tab.login.setText("ab")
    tab.random.setChecked(True)
    tab.set_credentials()
    said(qtbot, dialog, "A login has 3 to 64 letters")  # the till's own check, first
    tab.login.setText("anna.s")
    tab.set_credentials()
    said(qtbot, dialog, "this till is not connected to one")
    assert dialog.message.property("problem") is True
    assert tab.login.text() == "anna.s" and tab.random.isChecked()
