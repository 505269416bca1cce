"""The till's sale session: one op per cashier action, the current sale kept in one place.

Every service call goes through the op runner. Which sale is open is known only on the op
worker (``_SaleHolder``), so two quick scans cannot open two sales: the first op opens the
sale and the next one, queued behind it on the same worker, adds to it. The GUI side hears
about each change through ``operation_did_execute``: the operation says what it changed
(``ui/till/changes.py``) and every observing panel reads the sale or the guest again from
here. A sale closed or paid in part are events of their own (the change to hand back, the
payment dialog again for the rest).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from pos_app.domain.errors import DomainError
from pos_app.domain.identifiers import InputMethod
from pos_app.ui.key_hook import Reading
from pos_app.ui.op_runner import OpRunner
from pos_app.ui.scan_router import ScanRouter, Target
from pos_app.ui.till.changes import EVERYTHING, GUEST, SALE, ChangeObserver, OpChanges
from pos_app.ui.till.messages import cashier_text
from pos_app.ui.till.ports import ServiceHolder

if TYPE_CHECKING:
    from pos_app.services.dto import SaleView
    from pos_app.services.guests import GuestPanel as GuestInfo
    from pos_app.services.guests import GuestService
    from pos_app.services.payments import PaymentResult, PaymentService
    from pos_app.services.sales import SaleService

log = logging.getLogger(__name__)
Identified = tuple["SaleView", "GuestInfo"]


@dataclass(frozen=True, slots=True)
class PaymentOptions:
    """What the payment dialog offers besides cash and card (kopecks; None = not offered)."""

    balance: int | None = None
    points: int | None = None  # the most that may be paid in points now
    max_redemption_bp: int | None = None
    points_online: int | None = None  # what the server is asked for when it is reachable
    points_offline: int | None = None  # what the till may take without the server
    online: bool = False  # the server is believed reachable: points go there first
    connected: bool = False  # the till has a server at all


class _SaleHolder:
    """The open sale's id; touched only on the op worker thread."""

    def __init__(self, services: ServiceHolder) -> None:
        self.services = services
        self.sale_id: str | None = None

    def ensure(self) -> str:
        if self.sale_id is None:
            self.sale_id = self.services.get().sales.open_sale().sale_id
        return self.sale_id

    def track(self, sale: SaleView) -> SaleView:
        self.sale_id = sale.sale_id if sale.status == "open" else None
        return sale


class TillController(QObject):
    operation_did_execute = Signal(object, object)  # OpChanges, this controller (the session)
    sale_did_close = Signal(object)  # PaymentResult of the payment that closed it
    payment_did_succeed = Signal(object)  # PaymentResult that left something due
    message_did_arrive = Signal(str, str)  # text, level: "info" | "error"
    unknown_card = Signal(str, str)  # identifier, method
    promo_was_applied = Signal(object)  # PromoQuote

    def __init__(
        self, services: ServiceHolder, runner: OpRunner, router: ScanRouter, *,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._services = services
        self._holder = _SaleHolder(services)
        self._runner = runner
        self._router = router
        self.sale: SaleView | None = None
        self.guest: GuestInfo | None = None

    def observe(self, observer: ChangeObserver) -> None:
        """``observer.op_executed`` after every operation, with what it changed."""
        self.operation_did_execute.connect(observer.op_executed)

    # services: read on the op worker only (see ServiceHolder)
    @property
    def _sales(self) -> SaleService:
        return self._services.get().sales

    @property
    def _payments(self) -> PaymentService:
        return self._services.get().payments

    @property
    def _guests(self) -> GuestService:
        return self._services.get().guests

    # --- basket --------------------------------------------------------------------------

    def add_product(self, product_id: str) -> None:
        self._op(lambda: self._sales.add_line(self._holder.ensure(), product_id=product_id))

    def set_quantity(self, line_no: int, quantity: int) -> None:
        """A line's quantity typed on the numpad (``BasketPanel.ask_quantity``)."""
        self._op(lambda: self._sales.set_quantity(self._holder.ensure(), line_no, quantity))

    def step_quantity(self, line_no: int, delta: int) -> None:
        """One more or one less of a line, counted from the sale as it is on the op worker
        (so quick presses add up); a line stepped down to nothing is removed."""

        def work() -> SaleView:
            sale_id = self._holder.ensure()
            line = next((x for x in self._sales.get_sale(sale_id).lines if x.line_no == line_no),
                        None)  # fmt: skip
            quantity = (line.quantity if line is not None else 0) + delta
            if line is not None and quantity <= 0:
                return self._sales.remove_line(sale_id, line_no)
            return self._sales.set_quantity(sale_id, line_no, quantity)

        self._op(work)

    def remove_line(self, line_no: int) -> None:
        self._op(lambda: self._sales.remove_line(self._holder.ensure(), line_no))

    def handle_reading(self, reading: Reading) -> None:
        route = self._router.route(reading)
        if route.target is Target.GUEST:
            self.identify(route.value, route.method)
        elif route.target is Target.PROMO:
            self.apply_promo(route.value)
        else:
            self._runner.run(lambda: self._scan_barcode(route.value), self._scanned, self._failed)

    def card_or_promo(
        self, reading: Reading, taken: Callable[[], None],
        held: Callable[[Exception | None], None],
    ) -> None:  # fmt: skip
        """A reading while a dialog is open (``ui/till/dialog_scans.py``): a guest's card or
        app code identifies the guest, a promo code is applied - the sale changes and the
        dialog follows it - and ``taken`` is called; anything else leaves the sale alone and
        ``held`` is called with None, or with the error that refused the card or code."""
        route = self._router.route(reading)

        def work() -> Any:
            from pos_app.services.sales import GuestNotFound  # on the op worker

            sale_id = self._holder.ensure()
            if route.target is Target.PROMO:
                return self._promo_quote(sale_id, route.value)
            if route.target is Target.PRODUCT:
                prefix = self._services.get().promo_prefix
                if prefix and route.value.upper().startswith(prefix.upper()):
                    return self._promo_quote(sale_id, route.value)
            try:
                return self._identify_by(route.value, route.method)
            except GuestNotFound:
                if route.target is Target.GUEST:
                    raise
                return None  # a product's code, or nothing known: held back

        def done(result: Any) -> None:
            if result is None:
                held(None)
                return
            self._scanned(result)
            taken()

        self._runner.run(work, done, held)

    def _promo_quote(self, sale_id: str, code: str) -> Any:
        quote = self._services.get().promo.apply_code(sale_id, code)
        self._holder.track(quote.sale)
        return quote

    # --- guest ---------------------------------------------------------------------------

    def identify(self, identifier: str, method: str) -> None:
        def work() -> Identified:
            return self._identify_by(identifier, method)

        def failed(error: Exception) -> None:
            if getattr(error, "code", "") == "guest_not_found" and method != "manual":
                self.unknown_card.emit(identifier, method)
            self._failed(error)

        self._runner.run(work, self._shown, failed)

    def identify_by_phone(self, phone: str) -> None:
        self._runner.run(
            lambda: self._guests.identify(self._sales, self._holder.ensure(), phone=phone),
            self._shown,
            self._failed,
        )

    def identify_guest_id(self, guest_id: str, phone: str | None) -> None:
        """A guest picked from the search list: identified by their phone when unique."""
        if phone:
            self.identify_by_phone(phone)
        else:
            self.message_did_arrive.emit(
                self.tr("This guest has no phone; swipe their card instead."), "error"
            )

    def create_guest(self, name: str, phone: str | None, identifier: str | None,
                     method: str) -> None:  # fmt: skip
        """Create a guest (with the card bound to them), then identify them by it, or by
        their phone when no card was given."""

        def work() -> Identified:
            self._guests.create_guest(name, phone=phone, identifier=identifier,
                                      method=InputMethod(method))  # fmt: skip
            if identifier is None:
                return self._guests.identify(self._sales, self._holder.ensure(), phone=phone)
            return self._identify_by(identifier, method)

        self._runner.run(work, self._shown, self._failed)

    def _identify_by(self, identifier: str, method: str) -> Identified:
        sale_id = self._holder.ensure()
        how = InputMethod(method)
        return self._guests.identify(self._sales, sale_id, identifier=identifier, method=how)

    def search_guests(self, text: str, done: Callable[[Any], None]) -> None:
        self._runner.run(lambda: self._guests.search(text), done, self._failed)

    # --- promo code ----------------------------------------------------------------------

    def apply_promo(self, typed: str) -> None:
        """The digits after the prefix (or the whole code): the sale is repriced at once."""

        def work() -> Any:
            quote = self._services.get().promo.apply_code(self._holder.ensure(), typed)
            self._holder.track(quote.sale)
            return quote

        def applied(quote: Any) -> None:
            self._show(quote.sale)
            self.promo_was_applied.emit(quote)

        self._runner.run(work, applied, self._failed)

    # --- payment -------------------------------------------------------------------------

    def payment_options(self, done: Callable[[PaymentOptions], None]) -> None:
        """What the guest may pay from their balance and in points now (off the GUI)."""
        has_guest = self.guest is not None
        has_balance = self.guest is not None and self.guest.balance is not None

        def work() -> PaymentOptions:
            if not has_guest:
                return PaymentOptions()
            services = self._services.get()
            sale_id = self._holder.ensure()
            balance = services.payments.balance_available(sale_id) if has_balance else None
            room = services.points.room(sale_id)
            return PaymentOptions(balance, room.now, room.max_redemption_bp, room.max_points,
                                  room.offline, room.online, room.connected)  # fmt: skip

        self._runner.run(work, done, lambda _e: done(PaymentOptions()))

    def pay(self, method: str, amount: int) -> None:
        def work() -> PaymentResult:
            sale_id = self._holder.ensure()
            if method == "cash":
                result = self._payments.pay_cash(sale_id, amount)
            elif method == "card":
                result = self._payments.pay_card(sale_id, amount)
            elif method == "points":
                result = self._services.get().points.pay_points(sale_id, amount)
            else:
                result = self._payments.pay_balance(sale_id, amount)
            self._holder.track(result.sale)
            return result

        def failed(error: Exception) -> None:
            self._failed(error)
            if getattr(error, "code", "") == "points_refused":
                self.refresh_guest()  # the server's answer is in the store now

        self._runner.run(work, self._paid, failed)

    def refresh_guest(self) -> None:
        """Read the identified guest's panel again (after the server said something new)."""
        guest = self.guest
        if guest is None:
            return
        guest_id = guest.guest_id

        self._runner.run(lambda: self._guests.panel(guest_id), self.adopt_guest, self._failed)

    def adopt_guest(self, panel: GuestInfo) -> None:
        """The identified guest as just read again (their points after a reset or a refusal);
        a panel of a guest no longer on the sale is dropped."""
        if self.guest is not None and self.guest.guest_id == panel.guest_id:
            self.guest = panel
            self.operation_did_execute.emit(GUEST, self)

    def cancel_sale(self, manager_pin: str | None = None) -> None:
        """Cancel the open sale; one with money taken already is a void and needs a manager's
        PIN (checked first, in the same op)."""

        def work() -> None:
            if self._holder.sale_id is not None:
                if manager_pin is not None:
                    from pos_app.services.staff import Action

                    self._services.get().staff.authorize_manager(manager_pin, Action.VOID)
                self._sales.cancel_sale(self._holder.sale_id)
                self._holder.sale_id = None

        self._runner.run(work, lambda _: self._show(None, changes=EVERYTHING), self._failed)

    # --- guarded changes (discounts, prices) ----------------------------------------------

    def sale_op(self, work: Callable[[str], SaleView]) -> SaleView:
        """On the op worker: ``work`` on the open sale's id, the result tracked."""
        from pos_app.domain.sale import SaleNotOpen

        if self._holder.sale_id is None:
            raise SaleNotOpen("There is no open sale.")
        return self._holder.track(work(self._holder.sale_id))

    def show_sale(self, sale: SaleView) -> None:
        self._show(sale)

    def adopt(self, sale: SaleView) -> SaleView:
        """On the op worker: make ``sale`` (opened elsewhere: a guest order's, issue 20) the
        open sale of this till; ``show_sale`` it on the GUI thread next."""
        return self._holder.track(sale)

    def show_payment(self, result: PaymentResult) -> None:
        """On the GUI thread: a payment taken elsewhere on the op worker (a guest order's held
        points, ``ui/till/order_payment.py``), followed as the till's own payments are."""
        self._paid(result)

    def fail(self, error: Exception) -> None:
        """Tell the cashier why an action did not happen."""
        self._failed(error)

    # --- results -------------------------------------------------------------------------

    def _scan_barcode(self, code: str) -> Any:
        """A promo code if it starts with the program's prefix; else a product if one has this
        barcode, else a guest whose card or code it is."""
        from pos_app.services.sales import GuestNotFound, ProductNotFound  # on the op worker

        sale_id = self._holder.ensure()
        prefix = self._services.get().promo_prefix
        if prefix and code.upper().startswith(prefix.upper()):
            return self._promo_quote(sale_id, code)
        try:
            return self._holder.track(self._sales.add_line(sale_id, barcode=code))
        except ProductNotFound:
            try:
                return self._guests.identify(self._sales, sale_id, identifier=code,
                                             method=InputMethod.BARCODE)  # fmt: skip
            except GuestNotFound:
                raise ProductNotFound(f"No product has the code {code}.", barcode=code) from None

    def _op(self, work: Callable[[], SaleView]) -> None:
        self._runner.run(lambda: self._holder.track(work()), self._show, self._failed)

    def _scanned(self, result: Any) -> None:
        if hasattr(result, "owner_name"):  # a promo code's quote
            self._show(result.sale)
            self.promo_was_applied.emit(result)
        else:
            self._shown(result)

    def _shown(self, result: SaleView | Identified) -> None:
        if isinstance(result, tuple):
            self._show(result[0], result[1])
        else:
            self._show(result)

    def _show(
        self, sale: SaleView | None, guest: GuestInfo | None = None, changes: OpChanges = SALE
    ) -> None:
        """The sale (and guest) an operation left; observers hear what changed - the guest
        too whenever the sale's guest is another one now (identified, or gone with the sale)."""
        before = self.guest
        self.sale = sale if sale is not None and sale.status == "open" else None
        if self.sale is None or self.sale.guest is None:
            self.guest = None
        elif guest is not None:
            self.guest = guest
        if self.guest is not before:
            changes = changes | GUEST
        self.operation_did_execute.emit(changes, self)

    def _paid(self, result: PaymentResult) -> None:
        if result.closed:
            self._show(None)
            self.sale_did_close.emit(result)
        else:
            self._show(result.sale)
            self.payment_did_succeed.emit(result)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, DomainError | OSError):
            log.error("till action failed", exc_info=error)
        self.message_did_arrive.emit(cashier_text(error), "error")
