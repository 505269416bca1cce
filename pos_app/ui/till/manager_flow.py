"""Actions a cashier's role may not allow: discounts by hand, price changes, refunds.

F7 gives the order a discount, F8 a discount on the selected line, Shift+F8 changes the
selected line's price, F11 opens the refund dialog (``ui/till/refund.py``: find the receipt -
today's list, its number or its QR scanned, also from the sale screen - look at it, give back
all or some lines; the refund receipt is printed and the drawer opens for cash), F5 shows the
sync problems (the operations the server rejected) to a manager. Each is tried first as
the signed-in person (``services/overrides.py`` and ``services/refunds.py`` decide: a cashier
gives discounts up to their limit); if their role lacks the permission the till asks for a
manager's PIN and tries again, the PIN checked by ``staff.authorize_manager`` in the same op as
the change. Values are asked for in non-blocking dialogs (``input_dialog``,
``pin_dialog``), so the event loop - scanners, sync status - never waits on the cashier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from pos_app.domain.errors import DomainError
from pos_app.domain.money import Percent
from pos_app.ui.till.flow import Screen, TillFlow
from pos_app.ui.till.format import money, parse_amount
from pos_app.ui.till.messages import cashier_text
from pos_app.ui.till.numpad import NumberDialog

if TYPE_CHECKING:
    from pos_app.services.dto import LineView, SaleView
    from pos_app.services.refunds import RefundResult
    from pos_app.services.staff import Action, Authorization
    from pos_app.services.sync_queue import SyncQueue
    from pos_app.ui.main_window import TillContext
    from pos_app.ui.till.basket import BasketPanel
    from pos_app.ui.till.controller import TillController
    from pos_app.ui.till.reconciliation import ReconciliationDialog
    from pos_app.ui.till.refund import RefundDialog
    from pos_app.ui.till.status import SyncProblemsButton

Attempt = Callable[["Authorization | None"], Any]
RECEIPT_QR = "receipt:"  # what a printed receipt's QR carries (services/refunds.py)


translate = QCoreApplication.translate  # literal calls, so lupdate finds the texts


class ManagerFlow(TillFlow):
    """The guarded actions (the window binds their keys); ``guarded``, ``ask`` and
    ``ask_pin`` serve the other flows that need a manager (loyalty, a void)."""

    input_dialog: QInputDialog | NumberDialog | None = None
    pin_dialog: QInputDialog | None = None
    refund_dialog: RefundDialog | None = None
    reconciliation_dialog: ReconciliationDialog | None = None

    def __init__(
        self, ctx: TillContext, controller: TillController, screen: Screen,
        basket: BasketPanel, sync_problems: SyncProblemsButton,
    ) -> None:  # fmt: skip
        super().__init__(ctx, controller, screen)
        self.basket = basket
        self.sync_problems = sync_problems

    # --- what the cashier asks for ------------------------------------------------------

    def ask_order_discount(self) -> None:
        if self.need_sale():
            title = translate("ManagerActions", "Order discount")
            label = translate("ManagerActions", "Discount on the whole order, % (0 removes it):")
            self.ask_number(title, label, lambda text: self._percent(text, self._order_discount))

    def ask_line_discount(self) -> None:
        line = self._selected_line()
        if line is not None:
            prompt = translate(
                "ManagerActions", "Discount on %1, % of its price (0 restores it):"
            ).replace("%1", line.name)
            title = translate("ManagerActions", "Line discount")
            self.ask_number(title, prompt, lambda text: self._percent(
                text, lambda bp: self._line_discount(line, bp)))  # fmt: skip

    def ask_price(self) -> None:
        line = self._selected_line()
        if line is None:
            return
        prompt = translate("ManagerActions", "New price of %1 (now %2):").replace("%1", line.name)
        title = translate("ManagerActions", "Change the price")
        self.ask_number(title, prompt.replace("%2", money(line.unit_price)),
                  lambda text: self._price(text, line))  # fmt: skip

    def show_sync_problems(self) -> None:
        """F5 or the status bar's count: the operations the server did not accept
        (``ui/till/reconciliation.py``), for a manager - a cashier is asked for a manager's PIN.
        """
        from pos_app.services.staff import Action
        if self.staff is None:
            return
        from pos_app.ui.till import reconciliation

        services, session = self.ctx.services, self.staff

        def queue() -> SyncQueue:  # on the op worker
            return services.get().reconciliation

        def attempt(approval: Authorization | None) -> reconciliation.Loaded:
            if approval is None:
                services.get().staff.require(session, Action.RECONCILE)
            return reconciliation.load(queue())

        def show(loaded: reconciliation.Loaded) -> None:
            dialog = self.reconciliation_dialog = reconciliation.ReconciliationDialog(
                loaded, self.ctx.runner, queue, self.parent, zone=self.screen.venue_zone
            )
            dialog.count_did_change.connect(self.sync_problems.show_count)
            self.sync_problems.show_count(loaded.open_count)
            dialog.open()

        self.guarded(Action.RECONCILE, attempt, show)

    def ask_refund(self, code: str = "") -> None:
        """The refund dialog with today's receipts; ``code``: a receipt's QR just scanned."""
        if self.staff is None:
            return
        from pos_app.ui.till.refund import RefundDialog

        dialog = self.refund_dialog = RefundDialog(self.parent, zone=self.screen.venue_zone)
        run, services = self.ctx.runner, self.ctx.services

        def problem(error: Exception) -> None:
            dialog.show_problem(cashier_text(error))

        dialog.find_requested.connect(lambda text: run.run(
            lambda: services.get().refunds.find(text), dialog.show_preview, problem))
        dialog.preview_requested.connect(lambda sale_id: run.run(
            lambda: services.get().refunds.preview(sale_id), dialog.show_preview, problem))
        dialog.refund_requested.connect(self._refund)
        def today() -> Any:  # on the op worker, like every service call
            return services.get().refunds.today()

        run.run(today, dialog.show_today, problem)
        dialog.open()
        if code:
            dialog.take_scan(code)

    # --- the guarded calls ---------------------------------------------------------------

    def _order_discount(self, bp: int) -> None:
        from pos_app.services.staff import Action
        self._sale_change(Action.DISCOUNT_OVERRIDE, lambda overrides, sale_id, approval:
                          overrides.order_discount(sale_id, bp, self.staff, approval))  # fmt: skip

    def _line_discount(self, line: LineView, bp: int) -> None:
        from pos_app.services.staff import Action
        self._sale_change(Action.DISCOUNT_OVERRIDE, lambda overrides, sale_id, approval:
                          overrides.line_discount(sale_id, line.line_no, bp, self.staff,
                                                  approval))  # fmt: skip

    def _price(self, text: str, line: LineView) -> None:
        from pos_app.services.staff import Action
        price = parse_amount(text)
        if price is None:
            self.show_message(
                translate("ManagerActions", "Type the price in roubles, e.g. 150 or 149,90.")
            )
            return
        self._sale_change(Action.PRICE_OVERRIDE, lambda overrides, sale_id, approval:
                          overrides.price(sale_id, line.line_no, price, self.staff,
                                          approval))  # fmt: skip

    def _sale_change(self, action: Action, change: Callable[[Any, str, Any], SaleView]) -> None:
        services, controller = self.ctx.services, self.controller

        def attempt(approval: Authorization | None) -> SaleView:
            overrides = services.get().overrides
            return controller.sale_op(lambda sale_id: change(overrides, sale_id, approval))

        self.guarded(action, attempt, controller.show_sale)

    def _refund(self, sale_id: str, quantities: dict[int, int], reason: str) -> None:
        from pos_app.services.staff import Action
        services, dialog = self.ctx.services, self.refund_dialog

        def attempt(approval: Authorization | None) -> RefundResult:
            return services.get().refunds.refund(self.staff, sale_id, quantities,
                                                 approval=approval, reason=reason)  # fmt: skip

        def failed(error: Exception) -> None:
            if dialog is not None and dialog.isVisible():
                dialog.show_problem(cashier_text(error))
            else:
                self.controller.fail(error)

        self.guarded(Action.REFUND, attempt, self._refunded, failed, dialog)

    def guarded(
        self, action: Action, attempt: Attempt, done: Callable[[Any], None],
        fail: Callable[[Exception], None] | None = None, over: QWidget | None = None,
    ) -> None:  # fmt: skip
        """Try as the signed-in person; on a missing permission ask a manager and try again,
        the PIN checked on the op worker just before the change. ``fail``: where an error is
        said (the banner by default); ``over``: the dialog the PIN is asked over."""
        runner, services = self.ctx.runner, self.ctx.services

        def run(pin: str | None) -> None:
            def work() -> Any:
                staff = services.get().staff
                return attempt(staff.authorize_manager(pin, action) if pin else None)

            def failed(error: Exception) -> None:
                if pin is None and getattr(error, "code", "") == "permission_denied":
                    self.ask_manager_pin(run, over)
                elif fail is not None:
                    fail(error)
                else:
                    self.controller.fail(error)

            runner.run(work, done, failed)

        self.screen.hide_message()
        run(None)

    def _refunded(self, result: RefundResult) -> None:
        if self.refund_dialog is not None:
            self.refund_dialog.accept()
        done = (translate("ManagerActions", "Receipt %1 refunded.") if result.whole_sale_refunded
                else translate("ManagerActions", "Receipt %1 refunded in part."))  # fmt: skip
        parts = [done.replace("%1", result.receipt_no or "")]
        for amount, text in (
            (result.cash_to_return, translate("ManagerActions", "Hand back %1 in cash.")),
            (result.card_reversed, translate("ManagerActions", "%1 returned to the card.")),
            (
                result.balance_returned,
                translate("ManagerActions", "%1 back to the guest's balance."),
            ),
            (result.points_returned, translate("ManagerActions", "%1 back to the guest's points.")),
        ):
            if amount:
                parts.append(text.replace("%1", money(amount)))
        self.show_message("  ".join(parts), "info")
        if result.receipt is not None:
            self._print_refund(result)

    def _print_refund(self, result: RefundResult) -> None:
        """The refund's receipt into the print queue (the drawer opens for cash)."""
        services, receipt = self.ctx.services, result.receipt
        assert receipt is not None
        venue, cashier = self.ctx.venue_name, getattr(self.staff, "name", "")

        def failed(error: Exception) -> None:
            self.show_message(translate("ManagerActions", "The refund receipt did not print: %1")
                              .replace("%1", cashier_text(error)))  # fmt: skip

        self.ctx.runner.run(lambda: services.get().reports.print_refund(
            receipt, venue_name=venue, cashier=cashier), None, failed)  # fmt: skip

    # --- dialogs ------------------------------------------------------------------------

    def dialog_takes(self, kind: str, data: str) -> bool:
        """A reading while a manager's PIN or a value is asked for belongs to that dialog: a
        badge (a PIN-shaped code) or e.g. a receipt's code scanned to refund it."""
        manager, asking = self.pin_dialog, self.input_dialog
        if manager is not None and manager.isVisible():
            if kind == "barcode" and data.isdigit() and 4 <= len(data) <= 8:
                manager.setTextValue(data)
                manager.accept()
            return True
        refund = self.refund_dialog
        if refund is not None and refund.isVisible():
            if kind == "barcode":
                refund.take_scan(data)
            return True
        if kind == "barcode" and data.lower().startswith(RECEIPT_QR):
            self.ask_refund(data)  # a receipt's QR scanned on the sale screen
            return True
        if asking is not None and asking.isVisible():
            if kind == "barcode":
                asking.setTextValue(data)
                asking.accept()
            return True
        return False

    def ask_manager_pin(self, then: Callable[[str], None], over: QWidget | None = None) -> None:
        label = translate("ManagerActions", "%1 may not do this alone. A manager's PIN allows it:")
        self.ask_pin(translate("ManagerActions", "Manager's approval"),
                     label.replace("%1", getattr(self.staff, "name", "")), then, over)  # fmt: skip

    def ask_pin(
        self, title: str, label: str, then: Callable[[str], None], over: QWidget | None = None
    ) -> None:
        """A manager's PIN in a non-blocking dialog (a badge scanned into it answers it)."""
        dialog = self.pin_dialog = QInputDialog(over if over is not None else self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(lambda pin: then(pin.strip()) if pin.strip() else None)
        dialog.open()

    def ask_number(self, title: str, label: str, then: Callable[[str], None]) -> None:
        """A percentage or an amount, with the on-screen numpad (``numpad.NumberDialog``)."""
        dialog = self.input_dialog = NumberDialog(title, label, self.parent)
        dialog.textValueSelected.connect(lambda text: then(text) if text.strip() else None)
        dialog.open()

    def ask(self, title: str, label: str, then: Callable[[str], None]) -> None:
        dialog = self.input_dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.textValueSelected.connect(lambda text: then(text) if text.strip() else None)
        dialog.open()

    def _percent(self, text: str, then: Callable[[int], None]) -> None:
        try:
            bp = Percent.parse(text.strip().rstrip("%").strip()).bp
        except DomainError as error:
            self.controller.fail(error)
            return
        then(bp)

    def need_sale(self) -> bool:
        if self.controller.sale is None:
            self.show_message(translate("ManagerActions", "Add something to the basket first."))
            return False
        return True

    def _selected_line(self) -> LineView | None:
        if not self.need_sale():
            return None
        line_no = self.basket.selected_line()
        line = next((x for x in self.basket.lines if x.line_no == line_no), None)
        if line is None:
            self.show_message(translate("ManagerActions", "Select a line in the basket first."))
        return line
