"""Accrual and redemption percentages (seed 004) and how they are chosen.

Each percentage is resolved on its own, first found wins: the order's override (only for a
user with the "bonus settings" permission), the guest's own setting, the guest group's, the
program's default. Accrual is paid on the money part of a paid order only; redemption is capped
by ``max_redemption`` of the order total, by what is available and by the daily spend limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.errors import DomainError
from pos_app.domain.money import Percent, require_amount


class PermissionDenied(DomainError):
    code = "permission_denied"


@dataclass(frozen=True, slots=True)
class LoyaltySettings:
    accrual: Percent
    max_redemption: Percent


@dataclass(frozen=True, slots=True)
class LoyaltyOverride:
    """Optional percentages at one level (guest, group or a single order)."""

    accrual: Percent | None = None
    max_redemption: Percent | None = None

    @property
    def is_empty(self) -> bool:
        return self.accrual is None and self.max_redemption is None


NO_OVERRIDE = LoyaltyOverride()


def resolve_settings(
    program: LoyaltySettings,
    *,
    group: LoyaltyOverride = NO_OVERRIDE,
    guest: LoyaltyOverride = NO_OVERRIDE,
    order: LoyaltyOverride = NO_OVERRIDE,
    may_override_order: bool = False,
) -> LoyaltySettings:
    """The percentages in force for one order."""
    if not order.is_empty and not may_override_order:
        raise PermissionDenied(
            "Changing bonus settings on an order needs the 'bonus settings' permission.",
            permission="bonus_settings",
        )
    levels = (order, guest, group)
    accrual = next((lv.accrual for lv in levels if lv.accrual is not None), program.accrual)
    redemption = next(
        (lv.max_redemption for lv in levels if lv.max_redemption is not None),
        program.max_redemption,
    )
    return LoyaltySettings(accrual=accrual, max_redemption=redemption)


def max_redeemable(
    order_total: int, settings: LoyaltySettings, available: int, daily_remaining: int | None = None
) -> int:
    """The most points (kopecks) this order may be paid with."""
    require_amount(order_total, "order total")
    caps = [settings.max_redemption.apply(order_total), max(available, 0), order_total]
    if daily_remaining is not None:
        caps.append(max(daily_remaining, 0))
    return min(caps)


def accrual_for(paid_in_money: int, settings: LoyaltySettings) -> int:
    """Points earned once the order is paid: on the money part only, never on points spent."""
    return settings.accrual.apply(require_amount(paid_in_money, "amount paid"))
