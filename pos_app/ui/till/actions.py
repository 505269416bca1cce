"""The cashier's dialogs of the till window: payment, finding a guest, a new guest for an
unknown card, a promo code, cancelling the sale. Each collects what the cashier chose and
hands it to the till controller, which makes the one service call off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from pos_app.ui.till.format import money

if TYPE_CHECKING:
    from pos_app.services.guests import GuestSummary
    from pos_app.ui.till.controller import PaymentOptions, TillController
    from pos_app.ui.till.new_guest import NewGuestDialog
    from pos_app.ui.till.payment import PaymentDialog


class CashierActions(QMainWindow):
    """Base of ``TillWindow`` holding its dialog flows (the window builds the controller)."""

    controller: TillController
    payment_dialog: PaymentDialog | None
    new_guest_dialog: NewGuestDialog | None

    def show_message(self, text: str, level: str = "error") -> None:
        raise NotImplementedError

    def _unknown_card(self, identifier: str, method: str) -> None:
        from pos_app.ui.till.new_guest import NewGuestDialog

        dialog = NewGuestDialog(identifier, self)
        self.new_guest_dialog = dialog

        def create() -> None:
            phone = dialog.phone.text().strip() or None
            self.controller.create_guest(dialog.name.text().strip(), phone, identifier, method)

        dialog.accepted.connect(create)
        dialog.open()

    # --- cashier actions ----------------------------------------------------------------

    def pay(self) -> None:
        """Ask how the guest pays; their balance and points allowance are read first."""
        sale = self.controller.sale
        if sale is None or sale.due <= 0:
            return
        self.controller.payment_options(lambda options: self._ask_payment(sale.due, options))

    def _ask_payment(self, due: int, options: PaymentOptions) -> None:
        from pos_app.ui.till.payment import PaymentDialog

        dialog = PaymentDialog(due, options, self)
        self.payment_dialog = dialog

        def take() -> None:
            if dialog.amount is not None:
                self.controller.pay(dialog.method, dialog.amount)

        dialog.accepted.connect(take)
        dialog.open()

    def find_guest(self) -> None:
        """By phone (any format), card number or code, or a name fragment."""
        text, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("TillWindow", "Find guest"),
            QCoreApplication.translate("TillWindow", "Phone, card number, code or name:"),
        )
        text = text.strip()
        if not ok or not text:
            return
        digits = sum(ch.isdigit() for ch in text)
        if digits >= 10 and not any(ch.isalpha() for ch in text):
            self.controller.identify_by_phone(text)
        elif digits and not any(ch.isalpha() and ch not in "QR-" for ch in text.upper()):
            self.controller.identify(text, "manual")
        else:
            self.controller.search_guests(text, self._pick_guest)

    def _pick_guest(self, found: list[GuestSummary]) -> None:
        if not found:
            self.show_message(QCoreApplication.translate("TillWindow", "No guest found."))
            return
        labels = [f"{g.name} · {', '.join(g.phones) or '—'}" for g in found]
        title = QCoreApplication.translate("TillWindow", "Find guest")
        prompt = QCoreApplication.translate("TillWindow", "Guest:")
        label, ok = QInputDialog.getItem(self, title, prompt, labels, 0, False)
        if ok and label in labels:
            guest = found[labels.index(label)]
            self.controller.identify_guest_id(
                guest.guest_id, guest.phones[0] if guest.phones else None
            )

    def ask_promo(self) -> None:
        if self.controller.sale is None:
            self.show_message(
                QCoreApplication.translate("TillWindow", "Add something to the basket first.")
            )
            return
        typed, ok = QInputDialog.getText(
            self,
            QCoreApplication.translate("TillWindow", "Promo code"),
            QCoreApplication.translate("TillWindow", "The digits of the promo code:"),
        )
        if ok and typed.strip():
            self.controller.apply_promo(typed.strip())

    def _promo_applied(self, quote: Any) -> None:
        self.show_message(
            QCoreApplication.translate("TillWindow", "Promo code %1 of %2: %3 off, %4 to pay.")
            .replace("%1", quote.code)
            .replace("%2", quote.owner_name)
            .replace("%3", money(quote.discount))
            .replace("%4", money(quote.to_pay)),
            "info",
        )

    def cancel_sale(self) -> None:
        if self.controller.sale is None:
            return
        question = QCoreApplication.translate(
            "TillWindow", "Cancel this sale and empty the basket?"
        )
        answer = QMessageBox.question(
            self, QCoreApplication.translate("TillWindow", "Cancel sale"), question
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.cancel_sale()
