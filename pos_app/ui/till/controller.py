"""The till's sale session: one op per cashier action, the current sale kept in one place.

Every service call goes through the op runner. Which sale is open is known only on the op
worker (``_SaleHolder``), so two quick scans cannot open two sales: the first op opens the
sale and the next one, queued behind it on the same worker, adds to it. The GUI side hears
about each change through signals and redraws from the plain ``SaleView`` it is given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from pos_app.domain.errors import DomainError
from pos_app.domain.identifiers import InputMethod
from pos_app.services.dto import CashPaymentResult, GuestView, SaleView
from pos_app.services.sales import GuestNotFound, ProductNotFound, SaleService
from pos_app.ui.key_hook import Reading
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.scan_router import ScanRouter, Target
from pos_app.ui.till.messages import cashier_text

log = logging.getLogger(__name__)


class _SaleHolder:
    """The open sale's id; touched only on the op worker thread."""

    def __init__(self, sales: SaleService) -> None:
        self.sales = sales
        self.sale_id: str | None = None

    def ensure(self) -> str:
        if self.sale_id is None:
            self.sale_id = self.sales.open_sale().sale_id
        return self.sale_id

    def track(self, sale: SaleView) -> SaleView:
        self.sale_id = sale.sale_id if sale.status == "open" else None
        return sale


class TillController(QObject):
    sale_did_change = Signal(object)  # SaleView | None
    guest_did_change = Signal(object)  # GuestView | None
    sale_did_close = Signal(object)  # CashPaymentResult
    message_did_arrive = Signal(str, str)  # text, level: "info" | "error"
    unknown_card = Signal(str, str)  # identifier, method

    def __init__(self, sales: SaleService, runner: OpRunner, router: ScanRouter,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._holder = _SaleHolder(sales)
        self._sales = sales
        self._runner = runner
        self._router = router
        self.sale: SaleView | None = None
        self.guest: GuestView | None = None

    # --- actions -------------------------------------------------------------------------

    def add_product(self, product_id: str) -> None:
        self._op(lambda: self._holder.track(
            self._sales.add_line(self._holder.ensure(), product_id=product_id)))  # fmt: skip

    def set_quantity(self, line_no: int, quantity: int) -> None:
        self._op(lambda: self._holder.track(
            self._sales.set_quantity(self._holder.ensure(), line_no, quantity)))  # fmt: skip

    def remove_line(self, line_no: int) -> None:
        self._op(lambda: self._holder.track(
            self._sales.remove_line(self._holder.ensure(), line_no)))  # fmt: skip

    def handle_reading(self, reading: Reading) -> None:
        route = self._router.route(reading)
        if route.target is Target.GUEST:
            self.identify(route.value, route.method)
        elif route.target is Target.PROMO:
            self.message_did_arrive.emit(
                self.tr("Promo codes are not available at this till yet."), "error"
            )
        else:
            self._op(lambda: self._scan_barcode(route.value), on_error=self._scan_failed)

    def identify(self, identifier: str, method: str) -> None:
        def work() -> SaleView:
            sale_id = self._holder.ensure()
            return self._holder.track(
                self._sales.identify_guest(
                    sale_id, identifier=identifier, method=InputMethod(method)
                )
            )

        def failed(error: Exception) -> None:
            if isinstance(error, GuestNotFound):
                self.unknown_card.emit(identifier, method)
            self._failed(error)

        self._op(work, on_error=failed)

    def identify_by_phone(self, phone: str) -> None:
        self._op(lambda: self._holder.track(
            self._sales.identify_guest(self._holder.ensure(), phone=phone)))  # fmt: skip

    def pay_cash(self, tendered: int) -> None:
        def work() -> CashPaymentResult:
            result = self._sales.pay_cash(self._holder.ensure(), tendered)
            self._holder.track(result.sale)
            return result

        self._runner.run(work, self._paid, self._failed)

    def cancel_sale(self) -> None:
        def work() -> None:
            if self._holder.sale_id is not None:
                self._sales.cancel_sale(self._holder.sale_id)
                self._holder.sale_id = None

        self._runner.run(work, lambda _: self._show(None), self._failed)

    # --- results -------------------------------------------------------------------------

    def _scan_barcode(self, code: str) -> SaleView:
        """A product if one has this barcode, else a guest whose card or code it is."""
        sale_id = self._holder.ensure()
        try:
            return self._holder.track(self._sales.add_line(sale_id, barcode=code))
        except ProductNotFound:
            try:
                return self._holder.track(self._sales.identify_guest(
                    sale_id, identifier=code, method=InputMethod.BARCODE))  # fmt: skip
            except GuestNotFound:
                raise ProductNotFound(f"No product has the code {code}.", barcode=code) from None

    def _scan_failed(self, error: Exception) -> None:
        self._failed(error)

    def _op(self, work: Callable[[], SaleView],
            on_error: Callable[[Exception], None] | None = None) -> None:  # fmt: skip
        self._runner.run(work, self._show, on_error or self._failed)

    def _show(self, sale: SaleView | None) -> None:
        self.sale = sale if sale is not None and sale.status == "open" else None
        guest = sale.guest if sale is not None else None
        if guest is None:
            self.guest = None
        elif self.guest is None or guest.guest_id != self.guest.guest_id or _richer(guest):
            self.guest = guest  # keep the full view from identification across basket edits
        self.sale_did_change.emit(self.sale)
        self.guest_did_change.emit(self.guest)

    def _paid(self, result: CashPaymentResult) -> None:
        if result.sale.status == "closed":
            self.sale_did_close.emit(result)
            self._show(None)
        else:
            self._show(result.sale)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, DomainError | OSError):
            log.error("till action failed", exc_info=error)
        self.message_did_arrive.emit(cashier_text(error), "error")


def _richer(guest: GuestView) -> bool:
    """A view made at identification carries the accounts; basket edits' views do not."""
    fields: tuple[Any, ...] = (guest.bonus_available, guest.balance, guest.phones)
    return any(f not in (None, ()) for f in fields)
