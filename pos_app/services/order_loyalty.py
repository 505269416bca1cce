"""The bonus settings override of one order, kept beside its sale (DOMAIN.md "Accrual").

A manager (or someone with the ``bonus_settings`` permission) may set the accrual % and/or the
max redemption % of one open sale (``services/bonus_override.py`` checks who). The override is
a small JSON value in the till's settings under ``loyalty.order:<sale id>``::

    {"accrual_bp": 1000 | null, "max_redemption_bp": 10000 | null, "approved_by": "<staff id>"}

so the sale aggregate and its table stay as they are. The payment screen's max redeemable and
the accrual estimate read it through ``order_override``; ``order_override_mark`` (a step of
``sale_closing.close_sale``) puts it in the ``sale.closed`` payload as ``loyalty_override``,
where the server checks the approver again before it honours it. The value stays after the sale
closes (the shift report's accrual estimate reads it); a cancelled sale's is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pos_app.domain.loyalty import NO_OVERRIDE, LoyaltyOverride
from pos_app.domain.money import Percent
from pos_app.domain.sale import Sale, SaleStatus
from pos_app.services.ports import UnitOfWork

KEY_PREFIX = "loyalty.order:"
PAYLOAD_KEY = "loyalty_override"


@dataclass(frozen=True, slots=True)
class OrderLoyalty:
    """An order's override and who allowed it."""

    override: LoyaltyOverride
    approved_by: str

    def as_value(self) -> dict[str, Any]:
        return {"accrual_bp": _bp(self.override.accrual),
                "max_redemption_bp": _bp(self.override.max_redemption),
                "approved_by": self.approved_by}  # fmt: skip

    @classmethod
    def of_value(cls, value: Mapping[str, Any]) -> OrderLoyalty:
        return cls(LoyaltyOverride(_percent(value.get("accrual_bp")),
                                   _percent(value.get("max_redemption_bp"))),
                   str(value["approved_by"]))  # fmt: skip


def stored_override(uow: UnitOfWork, sale_id: str) -> OrderLoyalty | None:
    value = uow.settings.get(KEY_PREFIX + sale_id)
    return OrderLoyalty.of_value(value) if value else None


def order_override(uow: UnitOfWork, sale_id: str | None) -> LoyaltyOverride:
    """The percentages set on this sale by hand (none: ``NO_OVERRIDE``)."""
    found = stored_override(uow, sale_id) if sale_id else None
    return found.override if found is not None else NO_OVERRIDE


def store_override(uow: UnitOfWork, sale_id: str, order: OrderLoyalty | None) -> None:
    """Set (or with ``None`` or an empty override remove) the sale's override."""
    if order is None or order.override.is_empty:
        uow.settings.delete(KEY_PREFIX + sale_id)
    else:
        uow.settings.set(KEY_PREFIX + sale_id, order.as_value())


def order_override_mark(uow: UnitOfWork, sale: Sale) -> dict[str, Any]:
    """A step of every sale's end (``sale_closing.py``): a closed sale carries its override
    (and approver) to the server in ``sale.closed``; a cancelled one forgets it."""
    found = stored_override(uow, sale.id)
    if found is None:
        return {}
    if sale.status is SaleStatus.CANCELLED:
        store_override(uow, sale.id, None)
        return {}
    return {PAYLOAD_KEY: found.as_value()}


def _bp(percent: Percent | None) -> int | None:
    return None if percent is None else percent.bp


def _percent(bp: Any) -> Percent | None:
    return None if bp is None else Percent(int(bp))
