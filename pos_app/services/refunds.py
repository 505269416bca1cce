"""Refund of a closed sale, in full, with a manager's approval.

API::

    refunds = RefundService(uow_factory, clock, ids, acquirer=TcpAcquirer(...))
    result = refunds.refund_sale(session, sale_id=..., approval=None, reason="")  # or
    result = refunds.refund_sale(session, receipt_no="T1-000042", approval=...)
    # -> RefundResult: cash to hand back, card reversed, balance and points given back

Refunding needs the ``refund`` permission (manager, admin) or a manager's
``StaffService.authorize_manager(pin, Action.REFUND)``. Card payments are reversed at the
terminal by their reference first; a terminal that does not answer leaves nothing refunded.
The refund is recorded (``uow.shifts.add_refund``; the shift's X/Z reports count it and take
its cash out of the drawer) and ``sale.refunded`` is queued in the same durable unit of work:
the server gives the balance and points parts back to the guest's accounts and takes back the
accrual and any referral cashback the sale earned. A sale is refunded at most once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pos_app.domain.errors import DomainError
from pos_app.domain.operations import RefundedPayment, SaleRefunded
from pos_app.domain.sale import PaymentMethod, Sale, SaleStatus
from pos_app.services.acquiring import Acquirer
from pos_app.services.overrides import approver
from pos_app.services.payments import NoCardTerminal
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_till import CardSlip, RefundRecord
from pos_app.services.sales import SaleNotFound
from pos_app.services.staff import Action, Authorization, StaffSession


class SaleNotClosed(DomainError):
    code = "sale_not_closed"


class AlreadyRefunded(DomainError):
    code = "already_refunded"


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


class RefundService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator,
        acquirer: Acquirer | None = None,
    ) -> None:  # fmt: skip
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._acquirer = acquirer

    def refund_sale(
        self, session: StaffSession, *, sale_id: str | None = None,
        receipt_no: str | None = None, approval: Authorization | None = None, reason: str = "",
    ) -> RefundResult:  # fmt: skip
        allowed_by = approver(session, Action.REFUND, approval)
        with self._uow(durable=False) as uow:
            sale = _refundable(uow, sale_id, receipt_no)
            slips = [s for s in uow.shifts.card_slips(sale.opened_at)
                     if s.sale_id == sale.id and not s.reversed]  # fmt: skip
        self._reverse(slips)
        with self._uow() as uow:
            sale = _refundable(uow, sale.id, None)  # again, inside the durable transaction
            parts = {m: sum(p.amount for p in sale.payments if p.method is m)
                     for m in PaymentMethod}  # fmt: skip
            refund = RefundRecord(
                self._ids.new_id(), sale.id, self._clock.now(), session.staff_id, allowed_by,
                reason.strip(), parts[PaymentMethod.CASH], parts[PaymentMethod.CARD],
                parts[PaymentMethod.BALANCE], parts[PaymentMethod.POINTS],
            )  # fmt: skip
            uow.shifts.add_refund(refund)
            for slip in slips:
                uow.shifts.add_card_slip(replace(slip, reversed=True))
            uow.outbox.append(_operation(sale, refund, approval))
            uow.commit()
        return RefundResult(refund.refund_id, sale.id, sale.receipt_no, refund.cash, refund.card,
                            refund.balance, refund.points, allowed_by)  # fmt: skip

    def _reverse(self, slips: list[CardSlip]) -> None:
        for slip in slips:  # nothing is recorded until every card is given back
            if self._acquirer is None:
                raise NoCardTerminal("No card terminal is set up to give the card payment back.")
            self._acquirer.reverse(slip.ref)


def _refundable(uow: UnitOfWork, sale_id: str | None, receipt_no: str | None) -> Sale:
    if sale_id is None and receipt_no is not None:
        sale_id = uow.shifts.sale_id_by_receipt(receipt_no)
        if sale_id is None:
            raise SaleNotFound(f"There is no receipt {receipt_no.strip()} at this till.",
                               receipt_no=receipt_no)  # fmt: skip
    if sale_id is None:
        raise ValueError("refund_sale needs a sale_id or a receipt_no")
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    if sale.status is not SaleStatus.CLOSED:
        raise SaleNotClosed(f"Only a paid, closed sale can be refunded; this one is "
                            f"{sale.status.value}.", status=sale.status.value)  # fmt: skip
    if (done := uow.shifts.refund_of(sale.id)) is not None:
        raise AlreadyRefunded(f"Receipt {sale.receipt_no} was already refunded at "
                              f"{done.at:%H:%M} UTC.", refund_id=done.refund_id)  # fmt: skip
    return sale


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
    )  # fmt: skip
