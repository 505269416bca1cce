"""Refunds of closed sales: find the receipt, preview it, give back all of it or some lines.

API::

    refunds = RefundService(uow_factory, clock, ids, acquirer=TcpAcquirer(...))
    refunds.today()                                   # -> [ReceiptSummary] newest first
    refunds.find("T1-000042" | "42" | "receipt:T1-000042")   # -> RefundPreview (no right needed)
    result = refunds.refund(session, sale_id, {line_no: quantity} | None, approval=None,
                            reason="")                # None: everything still refundable
    refunds.refund_sale(session, receipt_no="T1-000042", approval=...)   # the whole rest
    # -> RefundResult: cash to hand back, card reversed, balance and points given back, and
    #    the refund receipt's data (``receipt``)

Finding and previewing need no right; refunding needs the ``refund`` permission (manager,
admin) or a manager's ``StaffService.authorize_manager(pin, Action.REFUND)``. A receipt is
found by its number, by the code its QR carries (``receipt:T1-000042``) or by its short number
(``42``: this till's prefix is added). The amounts per line and per payment method follow
``domain/refunds.py`` (never more than was sold; the card only whole). Card payments are
reversed at the terminal by their reference first; a terminal that does not answer leaves
nothing refunded. The refund is recorded (``uow.shifts.add_refund``; the shift's X/Z reports
count it and take its cash out of the drawer) and ``sale.refunded`` (with its lines) is
queued in the same durable unit of work: the server gives the balance and points parts back to
the guest's accounts and takes back the matching share of the accrual and of any referral
cashback the sale earned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pos_app.domain.errors import DomainError
from pos_app.domain.operations import RefundedItem, RefundedPayment, SaleRefunded
from pos_app.domain.refunds import RefundedLine, RefundPlan, SoldLine, lines_left, plan_refund
from pos_app.domain.sale import InvalidReceiptPrefix, Sale, SaleStatus, format_receipt_no
from pos_app.domain.venue_clock import day_bounds
from pos_app.services.acquiring import NO_ACQUIRER, Acquirer
from pos_app.services.overrides import approver
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_till import CardSlip, RefundRecord
from pos_app.services.sales import SaleNotFound
from pos_app.services.staff import Action, Authorization, StaffSession
from pos_app.services.venue_time import venue_zone

RECEIPT_QR_PREFIX = "receipt:"  # what a printed receipt's QR carries (devices/layout.py)


class SaleNotClosed(DomainError):
    code = "sale_not_closed"


class AlreadyRefunded(DomainError):
    code = "already_refunded"


@dataclass(frozen=True, slots=True)
class ReceiptSummary:
    """One line of today's list."""

    sale_id: str
    receipt_no: str
    closed_at: datetime
    total: int
    refunded: int  # given back so far


@dataclass(frozen=True, slots=True)
class PreviewLine:
    line_no: int
    name: str
    quantity: int  # sold
    unit_price: int
    total: int  # paid for the line, after discounts
    refunded_quantity: int
    left_quantity: int  # may still be refunded
    left_amount: int  # of ``total``, not given back yet

    def amount_for(self, quantity: int) -> int:
        """What refunding ``quantity`` of the units left gives back (``domain/refunds``)."""
        if quantity >= self.left_quantity:
            return self.left_amount
        return self.left_amount * quantity // self.left_quantity if quantity > 0 else 0


@dataclass(frozen=True, slots=True)
class RefundPreview:
    sale_id: str
    receipt_no: str
    closed_at: datetime
    guest_name: str
    total: int
    lines: tuple[PreviewLine, ...]
    payments: tuple[tuple[str, int], ...]  # method, amount kept (change deducted)
    refunded: int  # given back so far

    @property
    def fully_refunded(self) -> bool:
        return all(line.left_quantity == 0 for line in self.lines)


@dataclass(frozen=True, slots=True)
class RefundReceiptLine:
    name: str
    quantity: int
    unit_price: int
    amount: int


@dataclass(frozen=True, slots=True)
class RefundReceipt:
    """What the refund receipt prints (``ReportPrinter.print_refund``)."""

    refund_id: str
    receipt_no: str  # of the sale
    at: datetime
    lines: tuple[RefundReceiptLine, ...]
    payments: tuple[tuple[str, int], ...]  # method, amount given back
    guest_name: str
    reason: str

    @property
    def total(self) -> int:
        return sum(amount for _method, amount in self.payments)

    @property
    def cash(self) -> int:
        return dict(self.payments).get("cash", 0)


@dataclass(frozen=True, slots=True)
class RefundResult:
    refund_id: str
    sale_id: str
    receipt_no: str | None
    cash_to_return: int  # from the drawer
    card_reversed: int
    balance_returned: int
    points_returned: int
    approved_by: str
    receipt: RefundReceipt | None = None
    whole_sale_refunded: bool = True


class RefundService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator,
        acquirer: Acquirer = NO_ACQUIRER,
    ) -> None:  # fmt: skip
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._acquirer = acquirer

    def today(self, limit: int = 50) -> list[ReceiptSummary]:
        """This till's sales closed today (the shop's day), newest first."""
        with self._uow(durable=False) as uow:
            terminal_id = uow.terminal.info().terminal_id
            start, end = day_bounds(self._clock.now(), venue_zone(uow))
            records = [r for r in uow.shifts.ended_sales(terminal_id, start, end)
                       if r.status == "closed"]  # fmt: skip
            summaries = []
            for record in sorted(records, key=lambda r: r.ended_at, reverse=True)[:limit]:
                sale = uow.sales.get(record.sale_id)
                if sale is None or sale.receipt_no is None:
                    continue
                refunded = sum(r.total for r in uow.shifts.refunds_of(sale.id))
                summaries.append(ReceiptSummary(sale.id, sale.receipt_no, record.ended_at,
                                                sale.total, refunded))  # fmt: skip
            return summaries

    def find(self, code: str) -> RefundPreview:
        """A receipt by its number, its QR's code or its short number."""
        with self._uow(durable=False) as uow:
            return _preview(uow, _closed(uow, None, _receipt_no(uow, code)))

    def preview(self, sale_id: str) -> RefundPreview:
        with self._uow(durable=False) as uow:
            return _preview(uow, _closed(uow, sale_id, None))

    def refund_sale(
        self, session: StaffSession, *, sale_id: str | None = None,
        receipt_no: str | None = None, approval: Authorization | None = None, reason: str = "",
    ) -> RefundResult:  # fmt: skip
        """Everything of the sale not refunded yet."""
        if sale_id is None:
            with self._uow(durable=False) as uow:
                sale_id = _closed(uow, None, receipt_no).id
        return self.refund(session, sale_id, None, approval=approval, reason=reason)

    def refund(
        self, session: StaffSession, sale_id: str, quantities: Mapping[int, int] | None,
        *, approval: Authorization | None = None, reason: str = "",
    ) -> RefundResult:  # fmt: skip
        """Give back ``quantities`` (line number -> units; ``None``: all that is left)."""
        allowed_by = approver(session, Action.REFUND, approval)
        with self._uow(durable=False) as uow:
            sale = _closed(uow, sale_id, None)
            card = _plan(uow, sale, quantities)[1].amount("card")
            slips = [s for s in uow.shifts.card_slips(sale.opened_at - timedelta(minutes=1))
                     if s.sale_id == sale.id and not s.reversed] if card else []  # fmt: skip
        self._reverse(slips)
        with self._uow() as uow:
            sale = _closed(uow, sale_id, None)  # again, inside the durable transaction
            names, plan = _plan(uow, sale, quantities)
            if plan.amount("card") != card:
                raise AlreadyRefunded("The receipt changed meanwhile; look at it again.")
            whole = not any(x.quantity for x in lines_left(
                _sold(sale), [*_earlier_lines(uow, sale), *plan.lines]))  # fmt: skip
            refund = RefundRecord(
                self._ids.new_id(), sale.id, self._clock.now(), session.staff_id, allowed_by,
                reason.strip(), plan.amount("cash"), plan.amount("card"),
                plan.amount("balance"), plan.amount("points"), plan.lines,
            )  # fmt: skip
            uow.shifts.add_refund(refund)
            for slip in slips:
                uow.shifts.add_card_slip(replace(slip, reversed=True))
            uow.outbox.append(_operation(sale, refund, approval))
            uow.commit()
        receipt = RefundReceipt(
            refund.refund_id, sale.receipt_no or sale.id, refund.at,
            tuple(RefundReceiptLine(names[x.line_no][0], x.quantity, names[x.line_no][1],
                                    x.amount) for x in plan.lines),
            plan.by_method, sale.guest.name if sale.guest else "", refund.reason,
        )  # fmt: skip
        return RefundResult(refund.refund_id, sale.id, sale.receipt_no, refund.cash, refund.card,
                            refund.balance, refund.points, allowed_by, receipt,
                            whole)  # fmt: skip

    def _reverse(self, slips: list[CardSlip]) -> None:
        for slip in slips:  # nothing is recorded until every card is given back
            self._acquirer.reverse(slip.ref)


def _receipt_no(uow: UnitOfWork, code: str) -> str:
    text = code.strip()
    if text.lower().startswith(RECEIPT_QR_PREFIX):
        text = text[len(RECEIPT_QR_PREFIX):].strip()
    if text.isdigit() and len(text) <= 9:  # a short number: this till's receipt
        try:
            return format_receipt_no(uow.terminal.info().receipt_prefix, int(text))
        except InvalidReceiptPrefix:
            return text
    return text


def _closed(uow: UnitOfWork, sale_id: str | None, receipt_no: str | None) -> Sale:
    if sale_id is None and receipt_no is not None:
        sale_id = uow.shifts.sale_id_by_receipt(receipt_no)
        if sale_id is None:
            raise SaleNotFound(f"There is no receipt {receipt_no.strip()} at this till.",
                               receipt_no=receipt_no)  # fmt: skip
    if sale_id is None:
        raise ValueError("a refund needs a sale_id or a receipt_no")
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    if sale.status is not SaleStatus.CLOSED:
        raise SaleNotClosed(f"Only a paid, closed sale can be refunded; this one is "
                            f"{sale.status.value}.", status=sale.status.value)  # fmt: skip
    return sale


def _sold(sale: Sale) -> list[SoldLine]:
    return [SoldLine(line.line_no, line.quantity, line.total) for line in sale.lines]


def _earlier_lines(uow: UnitOfWork, sale: Sale) -> list[RefundedLine]:
    """The lines earlier refunds took; a refund from before refunds by line took them all."""
    earlier: list[RefundedLine] = []
    for record in uow.shifts.refunds_of(sale.id):
        earlier += record.lines or [RefundedLine(x.line_no, x.quantity, x.total)
                                    for x in sale.lines]  # fmt: skip
    return earlier


def _kept(sale: Sale) -> dict[str, int]:
    """What the sale kept by method (cash net of change: ``Payment.amount``)."""
    kept: dict[str, int] = {}
    for payment in sale.payments:
        kept[payment.method.value] = kept.get(payment.method.value, 0) + payment.amount
    return kept


def _plan(uow: UnitOfWork, sale: Sale, quantities: Mapping[int, int] | None
          ) -> tuple[dict[int, tuple[str, int]], RefundPlan]:  # fmt: skip
    earlier = uow.shifts.refunds_of(sale.id)
    earlier_lines = _earlier_lines(uow, sale)
    left = lines_left(_sold(sale), earlier_lines)
    if quantities is None:
        if not any(x.quantity for x in left):
            raise _already(sale, earlier[-1] if earlier else None)
        quantities = {x.line_no: x.quantity for x in left}
    elif not any(x.quantity for x in left):
        raise _already(sale, earlier[-1] if earlier else None)
    given: dict[str, int] = {}
    for record in earlier:
        for method, amount in record.by_method().items():
            given[method] = given.get(method, 0) + amount
    plan = plan_refund(_sold(sale), earlier_lines, _kept(sale), given, quantities)
    names = {line.line_no: (line.product.name, line.unit_price) for line in sale.lines}
    return names, plan


def _already(sale: Sale, last: RefundRecord | None) -> AlreadyRefunded:
    at = f" at {last.at:%H:%M} UTC" if last is not None else ""
    return AlreadyRefunded(f"Receipt {sale.receipt_no} was already refunded{at}.",
                           refund_id=last.refund_id if last else "")  # fmt: skip


def _preview(uow: UnitOfWork, sale: Sale) -> RefundPreview:
    left = {x.line_no: x for x in lines_left(_sold(sale), _earlier_lines(uow, sale))}
    lines = tuple(
        PreviewLine(line.line_no, line.product.name, line.quantity, line.unit_price,
                    line.total, line.quantity - left[line.line_no].quantity,
                    left[line.line_no].quantity, left[line.line_no].amount)
        for line in sale.lines
    )  # fmt: skip
    return RefundPreview(
        sale.id, sale.receipt_no or sale.id, sale.ended_at or sale.opened_at,
        sale.guest.name if sale.guest else "", sale.total, lines,
        tuple(_kept(sale).items()), sum(r.total for r in uow.shifts.refunds_of(sale.id)),
    )  # fmt: skip


def _operation(sale: Sale, refund: RefundRecord, approval: Authorization | None
               ) -> SaleRefunded:  # fmt: skip
    return SaleRefunded(
        refund_id=refund.refund_id, sale_id=sale.id, receipt_no=sale.receipt_no,
        guest_id=sale.guest.guest_id if sale.guest else None,
        refunded_at=refund.at, staff_id=refund.staff_id,
        approved_by=refund.approved_by, reason=refund.reason,
        payments=tuple(RefundedPayment(method=m, amount=a) for m, a in (
            ("cash", refund.cash), ("card", refund.card), ("balance", refund.balance),
            ("points", refund.points)) if a),
        authorization=approval.as_approval() if approval else None,
        lines=tuple(RefundedItem(line_no=x.line_no, quantity=x.quantity, amount=x.amount)
                    for x in refund.lines),
    )  # fmt: skip
