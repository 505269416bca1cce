"""Whether the server honours a sale's bonus settings set by hand (``loyalty_override``).

A till lets a person with the "bonus settings" permission set the accrual % and max
redemption % of one order (DOMAIN.md "Accrual"); the ``sale.closed`` payload names the
approver. The till checked the PIN against the staff the feed brought it, which may be stale
(the person withdrawn since), so the server checks again: the approver must be an active member
of its staff whose role has that permission (manager or admin, as
``pos_app.services.staff.ROLE_PERMISSIONS`` gives it; the server may not import the till's
services, so the roles are named here and a test keeps them equal), or who holds the "bonus
settings" checkbox (``pos_app.domain.staff_permissions``, as the till's
``granted_actions``).

Otherwise the sale is still recorded (the guest has paid and left) by the guest's group's /
program's percentages, and that is kept visible: a ``rule_breaches`` row (rule
``order_override``) for managers and the ``applied`` verdict's reason ``order_override_ignored``
with a sentence saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.loyalty import NO_OVERRIDE, LoyaltyOverride
from pos_app.domain.money import Percent
from pos_app.domain.operations import SaleClosed
from pos_app.domain.staff_permissions import StaffPermission
from pos_app.domain.staff_pins import Role
from pos_server.ops.verdicts import Breach, Verdict
from pos_server.uow import UnitOfWork

BONUS_SETTINGS_ROLES = frozenset({Role.MANAGER, Role.ADMIN})  # and whoever holds the checkbox:
BONUS_SETTINGS = StaffPermission.BONUS_SETTINGS.value  # (pos_app.domain.staff_permissions)
IGNORED = "order_override_ignored"


@dataclass(frozen=True)
class OrderOverride:
    """What ``resolve_settings`` gets as ``order=`` / ``may_override_order=``, and why an
    override that was sent is not used (``problem``)."""

    override: LoyaltyOverride = NO_OVERRIDE
    allowed: bool = False
    problem: str | None = None

    def noted(self, uow: UnitOfWork, sale: SaleClosed) -> Verdict | None:
        """After the sale's effects: an ignored override is recorded for managers and named
        in the applied verdict; otherwise nothing to say."""
        if self.problem is None or sale.guest_id is None:
            return None
        uow.loyalty.record_breach(
            Breach(sale.guest_id, "order_override", 0, sale.sale_id, self.problem)
        )
        return Verdict("applied", IGNORED, self.problem)


def order_override(uow: UnitOfWork, sale: SaleClosed) -> OrderOverride:
    sent = sale.loyalty_override
    if sent is None:
        return OrderOverride()
    override = LoyaltyOverride(_percent(sent.accrual_bp), _percent(sent.max_redemption_bp))
    if override.is_empty:
        return OrderOverride()
    member = uow.staff.member(sent.approved_by)
    if member is None or not member.active:
        who = "is not known to the server" if member is None else f"({member.name}) is withdrawn"
        return OrderOverride(problem=_ignored(f"its approver {sent.approved_by} {who}"))
    if member.role not in BONUS_SETTINGS_ROLES and BONUS_SETTINGS not in member.permissions:
        return OrderOverride(problem=_ignored(f"its approver {member.name} is a "
                                              f"{member.role.value}, without the bonus settings "
                                              "permission"))  # fmt: skip
    return OrderOverride(override, allowed=True)


def _ignored(why: str) -> str:
    return (f"The bonus settings set by hand on this sale were not applied: {why}. The "
            "guest's group's or the program's percentages were used.")  # fmt: skip


def _percent(bp: int | None) -> Percent | None:
    return None if bp is None else Percent(bp)
