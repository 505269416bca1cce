"""Readings that arrive while one of the till window's dialogs is open.

A scan never changes the sale behind an open dialog unless it means something there: in the
payment dialog, the find-guest dialog and the promo-code dialog a guest's card (or app code)
identifies the guest and a promo code is applied - the payment dialog's amount due then
follows the sale (``PaymentDialog.set_due``), the other two close as answered. A product's
code there, or any reading while another dialog is open (the shift, a new guest, a manager's
question), is held back - the sale is not touched - and the cashier is told: in the payment
dialog itself, and in the window's banner. In the guest card a swipe or scan goes to its
Identifiers tab, to be added or to replace the selected card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from pos_app.ui.till.messages import cashier_text

if TYPE_CHECKING:
    from pos_app.ui.key_hook import Reading
    from pos_app.ui.till.controller import TillController
    from pos_app.ui.till.guest_flow import GuestFlow
    from pos_app.ui.till.payment import PaymentDialog
    from pos_app.ui.till.payment_flow import PaymentFlow

translate = QCoreApplication.translate  # literal calls, so lupdate finds the texts


class ScanWindow(Protocol):
    """What of the till window this module uses."""

    controller: TillController
    payment: PaymentFlow
    guests: GuestFlow

    def show_message(self, text: str, level: str = "error") -> None: ...


def open_dialog(window: QWidget) -> QWidget | None:
    """The dialog in front of the till window, if any (modal first, then any shown)."""
    modal = QApplication.activeModalWidget()
    if modal is not None and modal is not window and modal.isVisible():
        return modal
    direct = Qt.FindChildOption.FindDirectChildrenOnly  # the window's dialogs; not its tiles
    return next((d for d in window.findChildren(QDialog, "", direct) if d.isVisible()), None)


def take(window: ScanWindow, dialog: QWidget, reading: Reading) -> None:
    """Give ``reading`` to ``dialog`` if it means something there, else hold it and say so."""
    payment = window.payment.dialog
    if payment is not None and dialog is payment:
        window.controller.card_or_promo(reading, lambda: None, _held_in_payment(window, payment))
        return
    from pos_app.ui.till.guest_card import GuestCardDialog

    if isinstance(dialog, GuestCardDialog):  # a card swiped or scanned to add or replace
        dialog.take_reading(reading.kind, reading.data)
        return
    from pos_app.ui.till.new_guest import NewGuestDialog

    if isinstance(dialog, NewGuestDialog):  # the new guest's card
        dialog.take_reading(reading.kind, reading.data)
        return
    if dialog is not None and dialog in (window.guests.find_dialog, window.guests.promo_dialog):
        assert isinstance(dialog, QDialog)
        window.controller.card_or_promo(reading, dialog.reject, _held(window))
        return
    window.show_message(translate(
        "DialogScans", "Scan ignored while a window is open: close it, then scan again."
    ))  # fmt: skip


def _held_in_payment(
    window: ScanWindow, dialog: PaymentDialog
) -> Callable[[Exception | None], None]:
    def held(error: Exception | None) -> None:
        if error is None:
            text = translate("DialogScans", "Scan ignored during payment.")
        else:
            text = cashier_text(error)
        dialog.show_notice(text)
        window.show_message(text)

    return held


def _held(window: ScanWindow) -> Callable[[Exception | None], None]:
    def held(error: Exception | None) -> None:
        if error is None:
            text = translate("DialogScans", "Scan ignored: only a guest's card or a promo code "
                             "is taken here.")  # fmt: skip
        else:
            text = cashier_text(error)
        window.show_message(text)

    return held
