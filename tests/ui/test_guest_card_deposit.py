"""The guest card's deposit box and slips (pytest-qt) on a real SQLite store through the real
services and op runner: a cash top-up says the change and prints its slip, a card top-up is
charged at the terminal, a manager gives a top-up back; a manager's credit prints its slip;
and the new-guest form checks the phone before it can be sent."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from pos_app.db import Store, open_store
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.domain.money import rub
from pos_app.services.acquiring import CardApproval
from pos_app.services.deposits import DepositService
from pos_app.services.guest_card import GuestCardService
from pos_app.services.guest_history import GuestHistoryService
from pos_app.services.guests import GuestService
from pos_app.services.shifts import ShiftService
from pos_app.services.staff import StaffService, StaffSession
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.till.guest_card import GuestCardDialog
from pos_app.ui.till.new_guest import NewGuestDialog
from tests.services.conftest import seed
from tests.ui.test_guest_card_dialog import Server, said


@dataclass
class Printer:
    printed: list[tuple[str, list[str]]] = field(default_factory=list)
    drawer: list[str] = field(default_factory=list)  # the titles that opened the drawer

    @property
    def available(self) -> bool:
        return True

    def print_report(self, lines: Sequence[str], title: str, *, kick_drawer: bool = False
                     ) -> int:  # fmt: skip
        self.printed.append((title, list(lines)))
        if kick_drawer:
            self.drawer.append(title)
        return len(self.printed)

    def print_refund(self, refund: Any, *, venue_name: str, cashier: str) -> int:
        raise AssertionError("not a sale's refund")


class Terminal:
    def __init__(self) -> None:
        self.charged: dict[str, int] = {}

    def charge(self, ref: str, amount: int) -> CardApproval:
        self.charged[ref] = amount
        return CardApproval(ref, amount, "A1", "RRN1")

    def reverse(self, ref: str) -> bool:
        self.charged.pop(ref, None)
        return True


@dataclass
class Till:
    store: Store
    printer: Printer
    terminal: Terminal
    cashier: StaffSession
    manager: StaffSession
    dialogs: list[GuestCardDialog] = field(default_factory=list)

    def pending(self) -> list[tuple[str, dict[str, Any]]]:
        with self.store.unit_of_work() as uow:
            return [(op.kind, dict(op.payload)) for op in uow.outbox.pending()
                    if op.kind != "shift.opened"]  # fmt: skip

    def open(self, qtbot: QtBot, by: StaffSession) -> GuestCardDialog:
        clock, ids = SystemClock(), UuidGenerator()
        uow = self.store.unit_of_work
        dialog = GuestCardDialog(
            OpRunner(), GuestCardService(uow, clock, ids),
            GuestHistoryService(uow, clock, Server()), by=by, guest_id="anna",
            deposits=DepositService(uow, clock, ids, acquirer=self.terminal),
            reports=self.printer,
        )  # fmt: skip
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.view is not None)
        dialog.tabs.setCurrentWidget(dialog.accounts)
        self.dialogs.append(dialog)
        return dialog


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    seed(store.unit_of_work)
    staff = StaffService(store.unit_of_work, SystemClock())
    staff.add_staff("kate", "Kate", "cashier", "1111", b"salt-kate-000000")
    staff.add_staff("max", "Max", "manager", "9999", b"salt-max-0000000")
    cashier, manager = staff.sign_in("1111"), staff.sign_in("9999")
    ShiftService(store.unit_of_work, SystemClock(), UuidGenerator(), staff).open_shift(
        cashier, rub(1000))  # fmt: skip
    made = Till(store, Printer(), Terminal(), cashier, manager)
    yield made
    for dialog in made.dialogs:
        dialog.runner.shutdown()  # type: ignore[attr-defined]
    store.close()


def test_cash_top_up_says_the_change_and_prints_the_slip(qtbot: QtBot, till: Till) -> None:
    dialog = till.open(qtbot, till.cashier)
    box = dialog.accounts.deposit
    assert box.isVisible()
    box.amount.setText("500")
    box.tendered.setText("1000")
    box.top_up()
    said(qtbot, dialog, "Change: 500,00")
    assert "The slip is printing." in dialog.message.text()
    [(kind, payload)] = till.pending()
    assert (kind, payload["amount"], payload["staff_id"]) == ("balance.topped_up", rub(500), "kate")
    [(title, lines)] = till.printer.printed
    assert title == "deposit top-up" and "ПОПОЛНЕНИЕ ДЕПОЗИТА" in lines[0]
    assert till.printer.drawer == ["deposit top-up"]  # cash: the drawer opens
    qtbot.waitUntil(lambda: box.top_ups.count() == 1)


def test_card_top_up_and_a_managers_refund(qtbot: QtBot, till: Till) -> None:
    dialog = till.open(qtbot, till.manager)
    box = dialog.accounts.deposit
    box.method.setCurrentIndex(1)
    assert not box.tendered.isEnabled()
    box.amount.setText("300")
    box.top_up()
    said(qtbot, dialog, "Topped up 300,00")
    assert list(till.terminal.charged.values()) == [rub(300)]
    qtbot.waitUntil(lambda: box.top_ups.count() == 1)
    box.reason.setText("ошибся суммой")
    box.refund()
    said(qtbot, dialog, "went back to the card")
    assert till.terminal.charged == {}
    assert [k for k, _ in till.pending()] == ["balance.topped_up", "account.adjusted"]
    qtbot.waitUntil(lambda: box.top_ups.count() == 0)
    assert [t for t, _ in till.printer.printed] == ["deposit top-up", "deposit refund"]
    assert till.printer.drawer == []  # card: no cash moves


def test_a_cashier_may_not_refund_a_top_up(qtbot: QtBot, till: Till) -> None:
    dialog = till.open(qtbot, till.cashier)
    box = dialog.accounts.deposit
    box.amount.setText("100")
    box.top_up()
    qtbot.waitUntil(lambda: box.top_ups.count() == 1)
    box.reason.setText("x")
    box.refund()
    qtbot.waitUntil(lambda: dialog.message.property("problem") is True)
    assert [k for k, _ in till.pending()] == ["balance.topped_up"]


def test_a_managers_credit_prints_its_slip(qtbot: QtBot, till: Till) -> None:
    dialog = till.open(qtbot, till.manager)
    dialog.accounts.amount.setText("150")
    dialog.accounts.reason.setText("подарок")
    dialog.accounts.adjust()
    said(qtbot, dialog, "The slip is printing.")
    [(title, lines)] = till.printer.printed
    assert title == "adjustment" and "ЗАЧИСЛЕНИЕ: БАЛЛЫ" in lines[0]
    assert "Причина: подарок" in lines and "Менеджер: Max" in lines


def test_the_new_guest_form_checks_the_phone(qtbot: QtBot, till: Till) -> None:
    guests = GuestService(till.store.unit_of_work, SystemClock(), UuidGenerator())
    dialog = NewGuestDialog(check_phone=lambda phone, done: done(guests.phone_check(phone)))
    qtbot.addWidget(dialog)
    dialog.name.setText("Вера")
    dialog.phone.setText("8 912 123-45-67")  # Анна Смирнова's
    dialog.check()
    assert "Анна Смирнова already has this phone" in dialog.phone_note.text()
    assert not dialog.ok.isEnabled()
    dialog.phone.setText("+7 900 555 44 33")
    dialog.check()
    assert "the server cannot be asked now" in dialog.phone_note.text()
    assert dialog.ok.isEnabled()
    dialog.take_reading("msr", "7000000000000555")
    assert (dialog.identifier(), dialog.method()) == ("7000000000000555", "msr")


def test_ctrl_n_creates_a_guest_from_the_full_form_and_identifies_them(till_factory: Any) -> None:
    from PySide6.QtCore import Qt

    from pos_app.ui.key_hook import Reading
    from tests.ui.test_till_window import LATTE, signed_in

    till = signed_in(till_factory)
    window = till.window
    till.scan(LATTE)
    till.qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.guests.new_guest_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.card.isReadOnly()
    dialog.name.setText("Вера Котова")
    dialog.phone.setText("+7 900 555 44 33")
    dialog.check()
    till.qtbot.waitUntil(lambda: "server cannot be asked" in dialog.phone_note.text(),
                         timeout=5000)  # fmt: skip
    window.handle_reading(Reading("msr", ";7799000000000555=2912?", "test"))  # swiped into it
    assert dialog.method() == "msr"
    dialog.ok.click()
    till.qtbot.waitUntil(lambda: window.guest_panel.guest is not None, timeout=5000)
    assert window.guest_panel.guest.name == "Вера Котова"
