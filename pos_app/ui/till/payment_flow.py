"""Taking the money (F12) and cancelling the sale: the payment dialog opened with what the
guest may pay from their balance and in points (read first, off the GUI thread), following
the sale while it is open; a part paid asks for the rest at once; a sale with money taken is
voided only with a manager's PIN (``ManagerFlow.ask_pin``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from pos_app.ui.till.flow import Screen, TillFlow
from pos_app.ui.till.format import money, points

if TYPE_CHECKING:
    from pos_app.services.payments import PaymentResult
    from pos_app.ui.main_window import TillContext
    from pos_app.ui.till.changes import OpChanges, Session
    from pos_app.ui.till.controller import PaymentOptions, TillController
    from pos_app.ui.till.manager_flow import ManagerFlow
    from pos_app.ui.till.payment import PaymentDialog

translate = QCoreApplication.translate  # literal calls, so lupdate finds the texts


class PaymentFlow(TillFlow):
    dialog: PaymentDialog | None = None

    def __init__(
        self, ctx: TillContext, controller: TillController, screen: Screen, manager: ManagerFlow
    ) -> None:
        super().__init__(ctx, controller, screen)
        self.manager = manager
        controller.sale_did_close.connect(self._sale_closed)
        controller.payment_did_succeed.connect(self._part_paid)

    def pay(self) -> None:
        """Ask how the guest pays; their balance and points allowance are read first."""
        sale = self.controller.sale
        if sale is None or sale.due <= 0:
            return
        self.controller.payment_options(lambda options: self._ask(sale.due, options))

    def _ask(self, due: int, options: PaymentOptions) -> None:
        from pos_app.ui.till.payment import PaymentDialog

        dialog = self.dialog = PaymentDialog(due, options, self.parent)
        controller = self.controller

        def take() -> None:
            if dialog.amount is not None:
                controller.pay(dialog.method, dialog.amount)

        def follow(changes: OpChanges, session: Session) -> None:
            """The sale changed behind the dialog (a card or promo code scanned into it)."""
            sale = session.sale
            if not changes.sale or not dialog.isVisible():
                return
            if sale is None or sale.due <= 0:
                dialog.reject()
                return
            dialog.set_due(sale.due)  # at once; the guest's limits follow from the op worker
            controller.payment_options(
                lambda options: dialog.set_due(sale.due, options) if dialog.isVisible() else None
            )

        controller.operation_did_execute.connect(follow)
        dialog.finished.connect(lambda _r: controller.operation_did_execute.disconnect(follow))
        dialog.accepted.connect(take)
        dialog.open()

    def _sale_closed(self, result: PaymentResult) -> None:
        sale = result.sale
        parts = [translate("TillWindow", "Sale %1 closed.").replace("%1", sale.receipt_no or "")]
        if sale.change:
            parts.append(translate("TillWindow", "Change: %1").replace("%1", money(sale.change)))
        if result.accrual_estimate:
            parts.append(translate("TillWindow", "Points to the guest: %1")
                         .replace("%1", points(result.accrual_estimate)))  # fmt: skip
        self.show_message("  ·  ".join(parts), "info")
        self.ctx.bridge.on_sale_completed(sale)

    def _part_paid(self, result: PaymentResult) -> None:
        """Part of the sale is paid (a mix): ask for the rest at once."""
        self.show_message(
            translate("TillWindow", "%1 paid; %2 left to pay.")
            .replace("%1", money(result.amount))
            .replace("%2", money(result.sale.due)),
            "info",
        )
        self.pay()

    def cancel_sale(self) -> None:
        sale = self.controller.sale
        if sale is None:
            return
        if sale.payments:  # money was taken: cancelling is a void, a manager's PIN allows it
            self.manager.ask_pin(
                translate("TillWindow", "Void the sale"),
                translate("TillWindow", "Money was already taken for this sale. A manager's PIN "
                          "voids it and the money is handed back:"),
                self.controller.cancel_sale,
            )  # fmt: skip
            return
        question = translate("TillWindow", "Cancel this sale and empty the basket?")
        answer = QMessageBox.question(self.parent, translate("TillWindow", "Cancel sale"), question)
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.cancel_sale()
