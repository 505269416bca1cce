"""Seed 003 at the till window (issues 17 point 5 and 21): the «Client» action (Ctrl+K) gives
a card by phone - to the anonymous buyer of a promo sale too, who is then the sale's guest -
and the same phone gets the same card again; after the promo sale a till without a server says
the guest can subscribe later (no link made up, none printed); the server's link is shown
with its QR code and can be copied."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from pos_app.commands.demo_data import fill_till
from pos_app.services.subscription import Subscription
from pos_app.ui.till.subscription import SubscriptionDialog
from tests.ui.test_till_window import LATTE, open_shift

LINK = "https://t.me/venue_test_bot?start=one-time-token"


def _with_program(store: Any) -> None:
    with store.unit_of_work() as uow:
        fill_till(uow)  # the promo program TOPLASER, guest 1's code TOPLASER6502
        uow.commit()


def _client_card(till: Any, phone: str, name: str = "") -> str:
    window = till.window
    window.subscription.ask_client_card()
    dialog = window.subscription.client_dialog
    till.qtbot.waitUntil(dialog.isVisible, timeout=5000)
    dialog.name.setText(name)
    dialog.phone.setText(phone)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    dialog.issue.click()
    return texts


def test_the_anonymous_buyer_of_a_promo_sale_gets_a_card_by_phone(till_factory: Any) -> None:
    till = till_factory(before=_with_program)
    window = till.window
    till.sign_in()
    till.qtbot.waitUntil(lambda: window.staff is not None, timeout=20000)
    open_shift(till)
    till.scan(LATTE)
    till.qtbot.waitUntil(lambda: window.controller.sale is not None, timeout=5000)
    window.controller.apply_promo("6502")
    till.qtbot.waitUntil(lambda: window.controller.sale.discount > 0, timeout=5000)
    till.qtbot.waitUntil(lambda: "Ctrl+K: a card for the buyer" in window.banner.text())

    texts = _client_card(till, "+7 999 555-00-01", "Вера Новая")
    assert "The buyer of the open sale gets this card." in texts
    till.qtbot.waitUntil(lambda: window.controller.guest is not None, timeout=5000)
    assert window.controller.guest.name == "Вера Новая"  # the buyer is the sale's guest
    till.qtbot.waitUntil(lambda: "issued to Вера Новая" in window.banner.text(), timeout=5000)
    code = window.banner.text().split()[1]
    assert code.startswith("TOPLASER")

    window.controller.pay("cash", 100_000)
    till.qtbot.waitUntil(lambda: "subscribe to the Telegram bot later" in window.banner.text(),
                         timeout=10000)  # fmt: skip
    assert "this till is not connected to a server." in window.banner.text()
    assert window.subscription.dialog is None  # no link to show
    [job] = till.printer.wait_for_jobs(1)
    printed = job.read_text("utf-8")
    assert "t.me" not in printed and "Telegram" not in printed
    with till.store.unit_of_work(durable=False) as uow:
        kinds = [e.kind for e in uow.outbox.pending(100)]
    start = kinds.index("guest.created")
    assert kinds[start : start + 3] == ["guest.created", "promo.issued", "identifier.bound"]
    assert "promo.redeemed" in kinds and kinds.count("promo.issued") == 1

    assert "open sale" not in _client_card(
        till, "8 999 555 00 01"
    )  # the same phone, no sale: the same card again
    till.qtbot.waitUntil(lambda: "subscribe to the Telegram bot later" in window.banner.text()
                         and f"Card {code} sent again to Вера Новая." in window.banner.text(),
                         timeout=5000)  # fmt: skip


def test_the_servers_link_is_shown_with_its_qr_and_copied(till_factory: Any) -> None:
    till = till_factory()
    window = till.window
    till.runtime.bridge.on_subscription(Subscription("g1", False, LINK))
    till.qtbot.waitUntil(lambda: window.subscription.dialog is not None, timeout=5000)
    dialog = window.subscription.dialog
    assert isinstance(dialog, SubscriptionDialog) and dialog.isVisible()
    assert dialog.field.text() == LINK and dialog.field.isReadOnly()
    assert not dialog.qr.pixmap().isNull() and dialog.qr.pixmap().width() >= 200
    dialog.findChild(QPushButton, "copySubscriptionLink").click()
    assert QApplication.clipboard().text() == LINK
    dialog.close()
    till.runtime.bridge.on_subscription(Subscription("g1", True, None))
    till.qtbot.waitUntil(lambda: "sent to the guest in Telegram" in window.banner.text(),
                         timeout=5000)  # fmt: skip


def test_in_russian(till_factory: Any) -> None:
    till = till_factory(lang="ru")
    window = till.window
    till.runtime.bridge.on_subscription(Subscription("g1", False, LINK))
    till.qtbot.waitUntil(lambda: window.subscription.dialog is not None, timeout=5000)
    assert window.subscription.dialog.windowTitle() == "Карта гостя в Telegram"
    window.subscription.dialog.close()
    till.runtime.bridge.on_subscription(Subscription("g1", False, None, reason="no_answer"))
    till.qtbot.waitUntil(lambda: window.banner.text() == "Гость сможет подписаться на "
                         "Telegram-бот позже: сервер не ответил.", timeout=5000)  # fmt: skip
    window.subscription.ask_client_card()
    assert window.subscription.client_dialog.issue.text() == "Выдать карту"
