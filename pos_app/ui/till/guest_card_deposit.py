"""The guest card's deposit box (Accounts tab, issue 17 point 2): a top-up by cash (with the
change to hand back) or by card (the terminal charges it), and a manager's refund of one of
the guest's top-ups by the same method; each prints its slip. All through
``services/deposits.py`` on the op runner's worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.money import parse_money
from pos_app.services.slips import print_slip
from pos_app.ui.till.format import money

if TYPE_CHECKING:
    from pos_app.services.deposits import TopUpResult
    from pos_app.services.ports_till import TopUpRecord
    from pos_app.ui.till.guest_card import GuestCardDialog

translate = QCoreApplication.translate


def _named(widget: Any, name: str) -> Any:
    widget.setObjectName(name)
    return widget


class DepositBox(QWidget):
    def __init__(self, card: GuestCardDialog) -> None:
        super().__init__()
        self.card = card
        self.amount = _named(QLineEdit(), "depositAmount")
        self.amount.setPlaceholderText(translate("GuestCard", "amount"))
        self.method = _named(QComboBox(), "depositMethod")
        self.method.addItem(translate("GuestCard", "cash"), "cash")
        self.method.addItem(translate("GuestCard", "card"), "card")
        self.tendered = _named(QLineEdit(), "depositTendered")
        self.tendered.setPlaceholderText(translate("GuestCard", "handed over"))
        self.method.currentIndexChanged.connect(
            lambda _i: self.tendered.setEnabled(self.method.currentData() == "cash")
        )
        top_up = _named(QPushButton(translate("GuestCard", "Top up")), "topUpDeposit")
        top_up.clicked.connect(self.top_up)
        self.top_ups = _named(QComboBox(), "depositTopUps")
        self.top_ups.setMinimumContentsLength(26)  # "07.12 10:41 · 500,00 ₽ · cash"
        self.top_ups.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.reason = _named(QLineEdit(), "depositRefundReason")
        self.reason.setPlaceholderText(translate("GuestCard", "why"))
        refund = _named(QPushButton(translate("GuestCard", "Refund top-up")), "refundTopUp")
        refund.clicked.connect(self.refund)
        first, second = QHBoxLayout(), QHBoxLayout()
        for widget in (self.amount, self.method, self.tendered, top_up):
            first.addWidget(widget)
        for widget in (self.top_ups, self.reason, refund):
            second.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(first)
        layout.addLayout(second)

    def load(self) -> None:
        deposits, guest_id = self.card.deposits, self.card.guest_id
        if deposits is not None:
            self.card.runner.run(lambda: deposits.of_guest(guest_id), self.show_top_ups,
                                 self.card.fail)  # fmt: skip

    def show_top_ups(self, top_ups: list[TopUpRecord]) -> None:
        self.top_ups.clear()
        for t in top_ups:
            if t.refunded_at is None:
                self.top_ups.addItem(f"{t.at.astimezone():%d.%m %H:%M} · {money(t.amount)} · "
                                     f"{_method(t.method)}", t.top_up_id)  # fmt: skip

    def top_up(self) -> None:
        deposits = self.card.deposits
        if deposits is None:
            return
        try:
            amount = parse_money(self.amount.text())
            typed = self.tendered.text().strip()
            tendered = parse_money(typed) if typed else amount
        except (DomainError, ValueError):
            self.card.say(translate("GuestCard", "Type an amount, e.g. 150 or 99,50."),
                          problem=True)  # fmt: skip
            return
        by, guest_id, method = self.card.by, self.card.guest_id, self.method.currentData()

        def work() -> tuple[TopUpResult, bool]:
            if method == "cash":
                result = deposits.top_up_cash(by, guest_id, amount, tendered)
            else:
                result = deposits.top_up_card(by, guest_id, amount)
            return result, print_slip(self.card.reports, result.slip, "deposit top-up",
                                      kick_drawer=method == "cash")  # fmt: skip

        self.card.runner.run(work, self._topped_up, self.card.fail)

    def _topped_up(self, done: tuple[TopUpResult, bool]) -> None:
        result, printed = done
        text = (translate("GuestCard", "Topped up %1 (%2); the deposit is %3.")
                .replace("%1", money(result.top_up.amount))
                .replace("%2", _method(result.top_up.method))
                .replace("%3", money(result.balance_after)))  # fmt: skip
        if result.change:
            text += " " + translate("GuestCard", "Change: %1.").replace("%1", money(result.change))
        self.card.say(text + " " + slip_note(printed))
        self.amount.clear()
        self.tendered.clear()
        self.load()

    def refund(self) -> None:
        deposits, top_up_id = self.card.deposits, self.top_ups.currentData()
        if deposits is None or top_up_id is None:
            self.card.say(translate("GuestCard", "Choose the top-up to give back."), problem=True)
            return
        by, reason = self.card.by, self.reason.text()

        def work() -> tuple[TopUpResult, bool]:
            result = deposits.refund(by, top_up_id, reason)
            return result, print_slip(self.card.reports, result.slip, "deposit refund",
                                      kick_drawer=result.top_up.method == "cash")  # fmt: skip

        self.card.runner.run(work, self._refunded, self.card.fail)

    def _refunded(self, done: tuple[TopUpResult, bool]) -> None:
        result, printed = done
        if result.top_up.method == "cash":
            text = translate("GuestCard", "Give back %1 in cash.")
        else:
            text = translate("GuestCard", "%1 went back to the card.")
        self.card.say(text.replace("%1", money(result.top_up.amount)) + " " + slip_note(printed))
        self.reason.clear()
        self.load()


def _method(method: str) -> str:
    return translate("GuestCard", "cash") if method == "cash" else translate("GuestCard", "card")


def slip_note(printed: bool) -> str:
    if printed:
        return translate("GuestCard", "The slip is printing.")
    return translate("GuestCard", "No printer: the slip was not printed.")
