"""Discounts and price changes by hand, within the cashier's rights or with a manager's PIN.

API (plain frozen results; ``DomainError`` subclasses with cashier-readable messages)::

    overrides = OverrideService(uow_factory)
    overrides.order_discount(sale_id, bp, session, approval=None)   # -> SaleView
    overrides.order_discount(sale_id, 0, session)                    # removes it
    overrides.price(sale_id, line_no, unit_price, session, approval=None)  # -> SaleView
    overrides.line_discount(sale_id, line_no, bp, session, approval=None)  # -> SaleView

A cashier may give an order discount up to the setting ``staff.cashier_max_discount_bp``
(default 500 = 5 %); more needs the ``discount_override`` permission (manager, admin) or a
manager's ``StaffService.authorize_manager(pin, Action.DISCOUNT_OVERRIDE)``. Any price change
needs ``price_override`` the same way. The discount is the sale's one ``OrderDiscount`` (after
the group discount), so it cannot be combined with a promo code: remove the code first. Who
gave it is kept in its reason (``manual:<staff id>``) and so travels with the sale.

A line discount is a percentage off one line's catalogue price under the same limit and
permission as the order discount. The domain keeps one price per line, so it becomes the line's
unit price, always computed from the catalogue price the line was added at (two discounts never
compound; 0 restores it).
"""

from __future__ import annotations

from pos_app.domain.errors import DomainError
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import Percent
from pos_app.domain.sale import OrderDiscount, Sale
from pos_app.services.dto import SaleView
from pos_app.services.ports import UnitOfWork, UnitOfWorkFactory
from pos_app.services.sales import SaleNotFound
from pos_app.services.staff import ACTION_TEXT, Action, Authorization, StaffSession

CASHIER_LIMIT_KEY = "staff.cashier_max_discount_bp"
DEFAULT_CASHIER_LIMIT_BP = 500
MANUAL_PREFIX = "manual:"


class PromoCodeApplied(DomainError):
    code = "promo_code_applied"


class OverrideService:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def order_discount(
        self, sale_id: str, bp: int, session: StaffSession, approval: Authorization | None = None
    ) -> SaleView:
        percent = Percent(bp)
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            current = sale.order_discount
            if current is not None and not current.reason.startswith(MANUAL_PREFIX):
                raise PromoCodeApplied("A promo code already gives this order its discount; "
                                       "remove the code first.", reason=current.reason)
            limit = int(uow.settings.get(CASHIER_LIMIT_KEY, DEFAULT_CASHIER_LIMIT_BP))
            by = session.staff_id
            if bp > limit:
                by = approver(session, Action.DISCOUNT_OVERRIDE, approval)
            sale.set_order_discount(OrderDiscount(percent, MANUAL_PREFIX + by) if bp else None)
            uow.sales.save(sale)
            uow.commit()
            return SaleView.of(sale)

    def price(
        self, sale_id: str, line_no: int, unit_price: int, session: StaffSession,
        approval: Authorization | None = None,
    ) -> SaleView:  # fmt: skip
        approver(session, Action.PRICE_OVERRIDE, approval)
        with self._uow(durable=False) as uow:
            sale = _load(uow, sale_id)
            sale.set_unit_price(line_no, unit_price)
            uow.sales.save(sale)
            uow.commit()
            return SaleView.of(sale)


    def line_discount(
        self, sale_id: str, line_no: int, bp: int, session: StaffSession,
        approval: Authorization | None = None,
    ) -> SaleView:  # fmt: skip
        percent = Percent(bp)
        with self._uow(durable=False) as uow:
            limit = int(uow.settings.get(CASHIER_LIMIT_KEY, DEFAULT_CASHIER_LIMIT_BP))
            if bp > limit:
                approver(session, Action.DISCOUNT_OVERRIDE, approval)
            sale = _load(uow, sale_id)
            line = next((ln for ln in sale.lines if ln.line_no == line_no), None)
            base = line.product.price if line is not None else 0  # the price when it was added
            sale.set_unit_price(line_no, base - percent.apply(base))  # LineNotFound if no line
            uow.sales.save(sale)
            uow.commit()
            return SaleView.of(sale)


def approver(session: StaffSession, action: Action, approval: Authorization | None) -> str:
    """Who allows ``action``: the signed-in person if their role may, else the approval."""
    if session.can(action):
        return session.staff_id
    if approval is not None and approval.action == action.value:
        return approval.staff_id
    raise PermissionDenied(
        f"{session.name} ({session.role}) may not {ACTION_TEXT[action]}; "
        "a manager's PIN is needed.", permission=action.value, role=session.role,
    )  # fmt: skip


def _load(uow: UnitOfWork, sale_id: str) -> Sale:
    sale = uow.sales.get(sale_id)
    if sale is None:
        raise SaleNotFound(f"There is no sale {sale_id}.", sale_id=sale_id)
    return sale
