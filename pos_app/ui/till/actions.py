"""The cashier's dialogs of the till window: payment, finding a guest, a new guest for an
unknown card, a promo code, cancelling the sale. Each collects what the cashier chose and
hands it to the till controller, which makes the one service call off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QMessageBox

from pos_app.ui.till.format import money
from pos_app.ui.till.messages import cashier_text

if TYPE_CHECKING:
    from pos_app.services.guests import GuestSummary
    from pos_app.ui.main_window import TillContext
    from pos_app.ui.till.controller import PaymentOptions, TillController
    from pos_app.ui.till.new_guest import NewGuestDialog
    from pos_app.ui.till.payment import PaymentDialog
    from pos_app.ui.till.shift import ShiftDialog


class CashierActions(QMainWindow):
    """Base of ``TillWindow`` holding its dialog flows (the window builds the controller)."""

    controller: TillController
    ctx: TillContext
    staff: Any
    shift_dialog: ShiftDialog | None = None
    manager_dialog: QInputDialog | None = None
    payment_dialog: PaymentDialog | None
    new_guest_dialog: NewGuestDialog | None
    find_dialog: QInputDialog | None = None  # kept, so a card scanned into it finds the guest
    promo_dialog: QInputDialog | None = None  # likewise a promo code scanned into it

    def show_message(self, text: str, level: str = "error") -> None:
        raise NotImplementedError

    # --- shift -------------------------------------------------------------------------

    def show_shift(self) -> None:
        """The shift dialog, with the current shift read first (off the GUI thread)."""
        services = self.ctx.services

        def current() -> Any:
            return services.get().shifts.current()

        self.ctx.runner.run(current, self._shift_dialog, self._shift_failed)

    def _shift_dialog(self, shift: Any) -> None:
        from pos_app.ui.till.shift import ShiftDialog

        dialog = self.shift_dialog = ShiftDialog(shift, self, getattr(self, "venue_zone", None))
        run, services = self.ctx.runner, self.ctx.services
        problem = self._shift_failed
        last: list[list[str]] = [[]]

        def shown(lines: list[str]) -> None:
            last[0] = lines
            dialog.show_report(lines)

        def opened(cash: int) -> None:
            run.run(lambda: services.get().shifts.open_shift(self.staff, cash), shift_opened,
                    problem)  # fmt: skip

        def shift_opened(shift: Any) -> None:
            dialog.show_shift(shift)
            dialog.accept()  # the shift is open: back to selling
            self.statusBar().showMessage(QCoreApplication.translate(
                "TillWindow", "Shift %1 opened.").replace("%1", str(shift.number)), 10_000)

        def moved(kind: str, amount: int, reason: str) -> None:
            def work() -> Any:
                shifts = services.get().shifts
                move = shifts.cash_in if kind == "in" else shifts.cash_out
                return move(self.staff, amount, reason)

            run.run(work, lambda _view: dialog.show_moved(kind, amount), problem)

        def x_report() -> None:
            run.run(lambda: _lines(services.get().shifts.x_report()), shown, problem)

        def printed() -> None:
            run.run(lambda: services.get().reports.print_report(last[0], "Shift report"), None,
                    problem)  # fmt: skip

        dialog.open_requested.connect(opened)
        dialog.x_requested.connect(x_report)
        dialog.close_requested.connect(
            lambda counted, pin, reason: self._close_shift(counted, pin or None, reason, shown)
        )
        dialog.move_requested.connect(moved)
        dialog.print_requested.connect(printed)
        dialog.print_button.setEnabled(True)
        dialog.open()

    def _close_shift(
        self, counted: int, manager_pin: str | None, reason: str, shown: Any
    ) -> None:
        services, dialog = self.ctx.services, self.shift_dialog
        assert dialog is not None

        def work() -> list[str]:
            return _lines(services.get().shifts.close_shift(self.staff, counted, manager_pin,
                                                            reason))  # fmt: skip

        def closed(lines: list[str]) -> None:
            shown(lines)
            dialog.show_shift(None)

        def refused(error: Exception) -> None:
            if getattr(error, "code", "") == "operations_waiting":
                dialog.ask_manager(cashier_text(error))
            elif getattr(error, "code", "") == "cash_difference":
                dialog.ask_reason(cashier_text(error))
            else:
                self._shift_failed(error)

        self.ctx.runner.run(work, closed, refused)

    def _shift_failed(self, error: Exception) -> None:
        if self.shift_dialog is not None and self.shift_dialog.isVisible():
            self.shift_dialog.show_problem(cashier_text(error))
        else:
            self.show_message(cashier_text(error))

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
        controller = self.controller

        def take() -> None:
            if dialog.amount is not None:
                controller.pay(dialog.method, dialog.amount)

        def follow(sale: Any) -> None:
            """The sale changed behind the dialog (a card or promo code scanned into it)."""
            if not dialog.isVisible():
                return
            if sale is None or sale.due <= 0:
                dialog.reject()
                return
            dialog.set_due(sale.due)  # at once; the guest's limits follow from the op worker
            controller.payment_options(
                lambda options: dialog.set_due(sale.due, options) if dialog.isVisible() else None)

        controller.sale_did_change.connect(follow)
        dialog.finished.connect(lambda _r: controller.sale_did_change.disconnect(follow))
        dialog.accepted.connect(take)
        dialog.open()

    def find_guest(self) -> None:
        """By phone (any format), card number or code, or a name fragment; a card scanned
        while the dialog is open identifies the guest at once (``dialog_scans``)."""
        dialog = self.find_dialog = QInputDialog(self)
        dialog.setObjectName("findGuestDialog")
        dialog.setWindowTitle(QCoreApplication.translate("TillWindow", "Find guest"))
        dialog.setLabelText(
            QCoreApplication.translate("TillWindow", "Phone, card number, code or name:")
        )
        dialog.textValueSelected.connect(self._find)
        dialog.open()

    def _find(self, text: str) -> None:
        text = text.strip()
        if not text:
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
        dialog = self.promo_dialog = QInputDialog(self)
        dialog.setObjectName("promoDialog")
        dialog.setWindowTitle(QCoreApplication.translate("TillWindow", "Promo code"))
        dialog.setLabelText(
            QCoreApplication.translate("TillWindow", "The digits of the promo code:")
        )
        dialog.textValueSelected.connect(
            lambda typed: self.controller.apply_promo(typed.strip()) if typed.strip() else None
        )
        dialog.open()

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
        sale = self.controller.sale
        if sale is None:
            return
        if sale.payments:
            self._ask_manager_to_void()
            return
        question = QCoreApplication.translate(
            "TillWindow", "Cancel this sale and empty the basket?"
        )
        answer = QMessageBox.question(
            self, QCoreApplication.translate("TillWindow", "Cancel sale"), question
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.cancel_sale()

    def _ask_manager_to_void(self) -> None:
        """Money was taken: cancelling is a void, so a manager's PIN is asked for."""
        dialog = self.manager_dialog = QInputDialog(self)
        dialog.setWindowTitle(QCoreApplication.translate("TillWindow", "Void the sale"))
        dialog.setLabelText(QCoreApplication.translate(
            "TillWindow", "Money was already taken for this sale. A manager's PIN voids it "
            "and the money is handed back:"))  # fmt: skip
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(self.controller.cancel_sale)
        dialog.open()


def _lines(report: Any) -> list[str]:
    """The printable lines of a shift report (made on the op worker)."""
    from pos_app.services.shifts import report_lines

    return report_lines(report)
