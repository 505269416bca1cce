"""A guest's loyalty state on the server: their group and lifetime spend (``guest_loyalty``,
row locked), the guest groups, what they did today (points spent, identifications), each
sale's loyalty facts (``sale_loyalty``) and the rule breaches recorded for managers.

The rules themselves are ``pos_app.domain``'s, resolved by ``pos_server/ledger/rules.py``
(settings, limits, the shop's business day); this is where they read and write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, insert, select

from pos_server.db.fastexec import Fast
from pos_server.db.models_ledger import GuestLoyaltyRow, SaleLoyaltyRow
from pos_server.ledger.rules import (
    GuestLoyalty,
    identified_on_day,
    lock_loyalty,
    points_spent_today,
    promote_after_sale,
    record_breach,
)
from pos_server.repositories.groups import CurrentGroups as Groups
from pos_server.uow import Repository

_INSERT_SALE_LOYALTY = Fast(insert(SaleLoyaltyRow), column_keys=(
    "sale_id", "guest_id", "group_id", "closed_at", "money_paid", "points_paid", "accrual",
    "offline"))  # fmt: skip
_SALE_ACCRUAL = Fast(select(SaleLoyaltyRow.accrual).where(
    SaleLoyaltyRow.sale_id == bindparam("sale_id")))


class Loyalty(Repository):
    """``uow.loyalty``."""

    __slots__ = ()

    def lock(self, guest_id: str) -> GuestLoyalty | None:
        """The guest with their group and lifetime spend, the loyalty row locked until the
        end of the transaction (created on first use); None: an unknown guest. One statement
        for a guest who already has the row."""
        return lock_loyalty(lambda: self._session, self._connection, guest_id, self._uow.now)

    def group_of(self, guest_id: str) -> str | None:
        """The guest's group now, read without a lock and without creating their loyalty row
        (a guest order's price, ``orders/pricing.py``: two orders of one new guest placed at
        once must not both create it)."""
        query = select(GuestLoyaltyRow.group_id).where(GuestLoyaltyRow.guest_id == guest_id)
        return self._connection.execute(query).scalar_one_or_none()

    def promote_after_sale(self, loyalty: GuestLoyalty, spend: int, groups: Groups) -> None:
        """The lifetime spend grown by ``spend``, the group it reaches among ``groups``, and
        the guest's feed change at commit."""
        promote_after_sale(self._connection, loyalty, spend, self._uow.now, groups)

    def points_spent_today(self, guest_id: str) -> int:
        """Points committed or debited on the shop's business day of ``uow.now``."""
        return points_spent_today(self._session, guest_id, self._uow.now)

    def identified_on_day(self, guest_id: str, at: datetime) -> int:
        """The guest's sales that ended on the business day of ``at``, closed or cancelled."""
        return identified_on_day(self._session, guest_id, at)

    def record_breach(
        self, guest_id: str, rule: str, amount: int, *, ref: str | None, message: str
    ) -> None:
        """A rule the server did not enforce (the till had acted offline), for managers; by
        the operation's terminal, now."""
        record_breach(self._session, guest_id, rule, amount, now=self._uow.now,
                      terminal_id=self._uow.terminal_id, ref=ref, message=message)  # fmt: skip

    def record_sale(
        self, sale_id: str, guest_id: str, *, group_id: str | None, closed_at: datetime,
        money_paid: int, points_paid: int, accrual: int, offline: bool,
    ) -> None:  # fmt: skip
        """What a closed sale meant for its guest (their group then, what they paid, the
        accrual); the identification limit and refunds read it."""
        _INSERT_SALE_LOYALTY.run(self._connection, {
            "sale_id": sale_id, "guest_id": guest_id, "group_id": group_id,
            "closed_at": closed_at, "money_paid": money_paid, "points_paid": points_paid,
            "accrual": accrual, "offline": offline,
        })  # fmt: skip

    def accrual_of_sale(self, sale_id: str) -> int:
        """The points a sale earned its guest (0 for a sale without loyalty facts)."""
        accrual: int | None = _SALE_ACCRUAL.scalar(self._connection, {"sale_id": sale_id})
        return accrual or 0
