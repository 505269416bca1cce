"""All the till's use cases, wired to each other once (the sale service behind payments, the
staff service behind shifts), so a composition root builds them with one call::

    till = TillServices.build(store.unit_of_work, clock, ids, acquirer=TcpAcquirer(...))
    till.staff.sign_in("1111"); till.sales.open_sale(); till.payments.pay_card(sale_id)

``acquirer`` is optional (no card terminal: ``pay_card`` says so). A sale closes through
``sale_closing.close_sale`` whichever service closes it; nothing here varies its steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.services.acquiring import Acquirer
from pos_app.services.guests import GuestService
from pos_app.services.overrides import OverrideService
from pos_app.services.payments import PaymentService
from pos_app.services.ports import Clock, IdGenerator, UnitOfWorkFactory
from pos_app.services.promo import PromoService
from pos_app.services.refunds import RefundService
from pos_app.services.sales import SaleService
from pos_app.services.shifts import ShiftService
from pos_app.services.staff import StaffService


@dataclass(frozen=True, slots=True)
class TillServices:
    sales: SaleService
    staff: StaffService
    guests: GuestService
    payments: PaymentService
    shifts: ShiftService
    promo: PromoService
    overrides: OverrideService
    refunds: RefundService

    @classmethod
    def build(
        cls, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, *,
        acquirer: Acquirer | None = None,
    ) -> TillServices:  # fmt: skip
        sales = SaleService(uow, clock, ids)
        staff = StaffService(uow, clock)
        payments = PaymentService(uow, clock, ids, sales, acquirer=acquirer)
        return cls(sales, staff, GuestService(uow, clock, ids), payments,
                   ShiftService(uow, clock, ids, staff), PromoService(uow, clock, ids),
                   OverrideService(uow), RefundService(uow, clock, ids, acquirer))
