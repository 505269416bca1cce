"""The loyalty percentages that apply to a sale, and the till's estimate of its accrual.

The program's defaults are the setting ``loyalty.program`` (``{"accrual_bp": 500,
"max_redemption_bp": 5000}`` when unset; the back office's, through the feed:
``programme_settings.py``), overridden by the guest's group
(``GuestGroup.accrual`` / ``max_redemption``), by the guest's own settings (the guest card,
``Guest.accrual_bp`` / ``max_redemption_bp``) and by the sale's own override set by a manager
(``order_loyalty.py``), resolved by ``pos_app.domain.loyalty``. The server posts the real
accrual when ``sale.closed`` arrives; the till only estimates it for the cashier and the
shift report.
"""

from __future__ import annotations

from pos_app.domain.guest_card import own_loyalty
from pos_app.domain.loyalty import LoyaltyOverride, LoyaltySettings, accrual_for, resolve_settings
from pos_app.domain.money import Percent
from pos_app.domain.sale import Sale
from pos_app.services.money_parts import money_paid
from pos_app.services.order_loyalty import order_override
from pos_app.services.ports import UnitOfWork
from pos_app.services.ports_till import SaleRecord

PROGRAM_KEY = "loyalty.program"
DEFAULT_PROGRAM = LoyaltySettings(accrual=Percent.of(5), max_redemption=Percent.of(50))


def program_settings(uow: UnitOfWork) -> LoyaltySettings:
    data = uow.settings.get(PROGRAM_KEY)
    if not data:
        return DEFAULT_PROGRAM
    return LoyaltySettings(
        Percent(int(data["accrual_bp"])), Percent(int(data["max_redemption_bp"]))
    )


def loyalty_for(
    uow: UnitOfWork, guest_id: str | None, sale_id: str | None = None
) -> LoyaltySettings:
    """The percentages for ``guest_id``; with ``sale_id`` that sale's override by hand wins
    (its approver was checked when it was set, ``bonus_override.py``)."""
    guest = uow.guests.get(guest_id) if guest_id else None
    group = uow.groups.get(guest.group_id) if guest and guest.group_id else None
    override = LoyaltyOverride(group.accrual, group.max_redemption) if group else LoyaltyOverride()
    own = own_loyalty(guest) if guest else LoyaltyOverride()
    return resolve_settings(program_settings(uow), group=override, guest=own,
                            order=order_override(uow, sale_id), may_override_order=True)


def accrual_estimate_for(uow: UnitOfWork, sale: SaleRecord) -> int:
    """The till's estimate of a closed sale's accrual (the server posts the real one)."""
    if sale.guest_id is None:
        return 0
    paid = money_paid([(p.method, p.amount) for p in sale.payments])
    return accrual_for(paid, loyalty_for(uow, sale.guest_id, sale.sale_id))


def sale_accrual(uow: UnitOfWork, sale: Sale) -> int:
    """The same estimate for the sale aggregate: what it has been paid in money so far."""
    if sale.guest is None:
        return 0
    paid = money_paid([(p.method.value, p.amount) for p in sale.payments])
    return accrual_for(paid, loyalty_for(uow, sale.guest.guest_id, sale.id))
