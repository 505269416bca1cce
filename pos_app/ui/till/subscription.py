"""The guest's messenger card at the till (seed 003, issues 17 point 5 and 21).

- After a promo sale that gave the buyer a card (and after the «Client» action), the server
  says whether the guest is subscribed to the venue's Telegram bot (``services/subscription``,
  asked off the GUI thread; the answer arrives through the bridge). Subscribed: the banner says
  the card was sent. Not subscribed: ``SubscriptionDialog`` shows the one-time link and its QR
  code for the guest to scan (the receipt prints them too). No server or no answer: the banner
  says the guest can subscribe later - never a made-up link.
- The «Client» action (Ctrl+K, ``ClientCardDialog``): a card (promo code) for a phone without
  a sale; the same phone gets the same code again. With a sale open for an anonymous buyer
  (a promo sale), the buyer with that phone is also identified on the sale.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.qr import qr_pixmap
from pos_app.ui.till.flow import TillFlow

if TYPE_CHECKING:
    from pos_app.services.promo import IssuedCard
    from pos_app.services.subscription import Subscription, SubscriptionService

translate = QCoreApplication.translate  # literal calls, so lupdate finds the texts
QR_SIZE = 240


def why_later(reason: str | None) -> str:
    """Why the server gave no link now, in the cashier's language."""
    texts = {
        "not_connected": lambda: translate("TillWindow", "this till is not connected to a server."),
        "no_answer": lambda: translate("TillWindow", "the server did not answer."),
        "unknown_guest": lambda: translate("TillWindow", "the guest is not on the server yet."),
        "no_bot": lambda: translate("TillWindow", "no Telegram bot is set up on the server."),
    }
    pick = texts.get(reason or "")
    return pick() if pick else translate("TillWindow", "the server refused.")


class SubscriptionDialog(QDialog):
    """The link to the venue's bot and its QR code, for a guest not subscribed yet."""

    def __init__(self, state: Subscription, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subscriptionDialog")
        self.setWindowTitle(self.tr("The guest's card in Telegram"))
        assert state.link is not None
        self.link = state.link
        text = QLabel(self.tr(
            "The guest is not subscribed to our Telegram bot yet. Let them scan the QR code "
            "or send them the link: when they press Start, the bot sends them their card."
        ))  # fmt: skip
        text.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setObjectName("subscriptionQr")
        self.qr.setPixmap(qr_pixmap(self.link, QR_SIZE))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field = QLineEdit(self.link)
        self.field.setObjectName("subscriptionLink")
        self.field.setReadOnly(True)
        copy = QPushButton(self.tr("Copy the link"))
        copy.setObjectName("copySubscriptionLink")
        copy.clicked.connect(self.copy_link)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (text, self.qr, self.field, copy, buttons):
            layout.addWidget(widget)

    def copy_link(self) -> None:
        QGuiApplication.clipboard().setText(self.link)


class ClientCardDialog(QDialog):
    """Seed 003's «Client» tab: the guest's name and mobile phone, «Issue card»."""

    def __init__(self, parent: QWidget | None = None, *, for_sale: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("clientCardDialog")
        self.setWindowTitle(self.tr("Client: a card by phone"))
        self.name = QLineEdit()
        self.name.setObjectName("clientName")
        self.phone = QLineEdit()
        self.phone.setObjectName("clientPhone")
        self.phone.setPlaceholderText("+7 912 000-00-00")
        form = QFormLayout()
        form.addRow(self.tr("Guest's name"), self.name)
        form.addRow(self.tr("Mobile phone"), self.phone)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.issue = buttons.addButton(self.tr("Issue card"),
                                       QDialogButtonBox.ButtonRole.AcceptRole)  # fmt: skip
        self.issue.setObjectName("issueCard")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "A new phone gets a new card; a phone that has one gets the same card again."
        )))  # fmt: skip
        if for_sale:
            layout.addWidget(QLabel(self.tr("The buyer of the open sale gets this card.")))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.phone.setFocus()

    def _accept(self) -> None:
        if self.phone.text().strip():
            self.accept()


class SubscriptionFlow(TillFlow):
    """Shows what the server said about a guest's subscription; the «Client» action."""

    dialog: SubscriptionDialog | None = None
    client_dialog: ClientCardDialog | None = None
    _note: tuple[str, str] | None = None  # (guest_id, the «Client» action's result)

    def start(self) -> None:
        self.ctx.bridge.subscription_did_arrive.connect(self.show_state)

    def show_state(self, state: Subscription) -> None:
        note, self._note = self._note, None  # "card issued", kept with what follows it
        lead = note[1] + "  ·  " if note is not None and note[0] == state.guest_id else ""
        if state.subscribed:
            self.show_message(lead + translate("TillWindow", "The card was sent to the guest "
                                               "in Telegram."), "info")  # fmt: skip
        elif state.link is not None:
            if lead:
                self.show_message(lead.removesuffix("  ·  "), "info")
            if self.dialog is not None:
                self.dialog.close()
            self.dialog = SubscriptionDialog(state, self.parent)
            self.dialog.open()
        else:
            self.show_message(lead + translate("TillWindow", "The guest can subscribe to the "
                                               "Telegram bot later: %1")
                              .replace("%1", why_later(state.reason)), "info")  # fmt: skip

    def ask_client_card(self) -> None:
        sale = self.controller.sale
        for_sale = sale is not None and sale.guest is None and bool(sale.lines)
        dialog = self.client_dialog = ClientCardDialog(self.parent, for_sale=for_sale)
        dialog.accepted.connect(
            lambda: self._issue(dialog.phone.text(), dialog.name.text(), for_sale)
        )
        dialog.open()

    def _issue(self, phone: str, name: str, for_sale: bool) -> None:
        services = self.ctx.services

        def work() -> tuple[IssuedCard, SubscriptionService]:  # on the op worker
            opened = services.get()
            return opened.promo.issue_card(phone, name=name), opened.subscriptions

        def done(result: tuple[IssuedCard, SubscriptionService]) -> None:
            card, subscriptions = result
            if for_sale:  # the anonymous buyer of the open sale is this guest; their link
                self.controller.identify_by_phone(card.phone)  # comes when the sale closes
            self._issued(card, None if for_sale else subscriptions)

        self.ctx.runner.run(work, done, self.controller.fail)

    def _issued(self, card: IssuedCard, subscriptions: SubscriptionService | None) -> None:
        text = (translate("TillWindow", "Card %1 sent again to %2.") if card.resent
                else translate("TillWindow", "Card %1 issued to %2."))  # fmt: skip
        text = text.replace("%1", card.code).replace("%2", card.name)
        self.show_message(text, "info")
        if subscriptions is None:
            return
        self._note = (card.guest_id, text)
        bridge = self.ctx.bridge

        def ask() -> None:  # a network call: off the GUI thread and off the op worker
            bridge.on_subscription(subscriptions.state(card.guest_id))

        threading.Thread(target=ask, name="subscription-link", daemon=True).start()
