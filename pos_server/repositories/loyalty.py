"""A guest's loyalty state on the server: their group and lifetime spend (``guest_loyalty``,
row locked), the guest groups, what they did today (points spent, identifications), each
sale's loyalty facts (``sale_loyalty``) and the rule breaches recorded for managers.

The rules themselves are ``pos_app.domain``'s, resolved by ``pos_server/ledger/rules.py``
(settings, limits, the shop's business day); this is where they read and write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from pos_app.domain.groups import GuestGroup, group_after_spend
from pos_app.domain.ledger import PostingKind
from pos_server.db.fastexec import Fast
from pos_server.db.models import POINTS, Guest, PostingRow
from pos_server.db.models_ledger import (
    CancelledGuestSaleRow,
    GuestLoyaltyRow,
    RuleBreachRow,
    SaleLoyaltyRow,
)
from pos_server.guests.groups import current_groups
from pos_server.ledger.feed_snapshots import defer_snapshot
from pos_server.ledger.rules import GuestLoyalty, day_bounds, loyalty_row
from pos_server.ops.verdicts import Breach
from pos_server.programme.service import current
from pos_server.repositories.accounts import newest
from pos_server.repositories.groups import CurrentGroups as Groups
from pos_server.uow import Repository

_INSERT_SALE_LOYALTY = Fast(insert(SaleLoyaltyRow), column_keys=(
    "sale_id", "guest_id", "group_id", "closed_at", "money_paid", "points_paid", "accrual",
    "offline"))  # fmt: skip
_INSERT_BREACH = Fast(insert(RuleBreachRow), column_keys=(
    "guest_id", "rule", "amount", "at", "terminal_id", "ref", "message"))
_SALE_ACCRUAL = Fast(select(SaleLoyaltyRow.accrual).where(
    SaleLoyaltyRow.sale_id == bindparam("sale_id")))


def points_spent_today(session: Session, guest_id: str, now: datetime,
                       zone: tzinfo | None = None) -> int:  # fmt: skip
    """Points committed or debited today (late commits included)."""
    start, end = day_bounds(now, zone)
    spent = session.scalar(
        select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
            PostingRow.account_kind == POINTS, PostingRow.account_id == guest_id,
            PostingRow.kind.in_((PostingKind.COMMIT.value, PostingKind.DEBIT.value)),
            PostingRow.at >= start, PostingRow.at < end,
        )
    )  # fmt: skip
    return int(spent or 0)


def identified_on_day(session: Session, guest_id: str, at: datetime,
                      zone: tzinfo | None = None) -> int:  # fmt: skip
    """The guest's identifications on the business day of ``at``: their sales that ended that
    day, closed or cancelled, one each (docs/domain.md "Daily identification limit")."""
    start, end = day_bounds(at, zone)
    closed = session.scalar(
        select(func.count()).select_from(SaleLoyaltyRow).where(
            SaleLoyaltyRow.guest_id == guest_id,
            SaleLoyaltyRow.closed_at >= start, SaleLoyaltyRow.closed_at < end,
        )
    )  # fmt: skip
    cancelled = session.scalar(
        select(func.count()).select_from(CancelledGuestSaleRow).where(
            CancelledGuestSaleRow.guest_id == guest_id,
            CancelledGuestSaleRow.cancelled_at >= start, CancelledGuestSaleRow.cancelled_at < end,
        )
    )  # fmt: skip
    return int(closed or 0) + int(cancelled or 0)


# The guest and their loyalty row, locked, in one statement; no row: an unknown guest or a
# loyalty row not created yet (lock_loyalty then takes the general path).
_GUEST_LOYALTY = Fast(
    select(Guest.id, Guest.name, Guest.phone, GuestLoyaltyRow.group_id,
           GuestLoyaltyRow.lifetime_spend, GuestLoyaltyRow.accrual_bp,
           GuestLoyaltyRow.max_redemption_bp, GuestLoyaltyRow.group_by_hand)
    .join(GuestLoyaltyRow, GuestLoyaltyRow.guest_id == Guest.id)
    .where(Guest.id == bindparam("guest_id")).with_for_update(of=GuestLoyaltyRow)
)  # fmt: skip
_SET_LOYALTY = Fast(
    update(GuestLoyaltyRow).where(GuestLoyaltyRow.guest_id == bindparam("loyal_guest"))
    .values(group_id=bindparam("group_id"), lifetime_spend=bindparam("lifetime_spend"),
            updated_at=bindparam("updated_at"), group_by_hand=bindparam("by_hand"))
)  # fmt: skip


def lock_loyalty(ctx_session: Callable[[], Session], connection: Connection, guest_id: str,
                 now: datetime) -> GuestLoyalty | None:  # fmt: skip
    """The guest's loyalty state, row locked (created on first use); None: unknown guest."""
    row = _GUEST_LOYALTY.first(connection, {"guest_id": guest_id})
    if row is None:
        session = ctx_session()
        guest = session.get(Guest, guest_id)
        if guest is None:
            return None
        loyalty_row(session, guest_id, now)
        session.flush()
        row = _GUEST_LOYALTY.first(connection, {"guest_id": guest_id})
        assert row is not None
    return GuestLoyalty(row.id, row.name, row.phone, row.group_id, row.lifetime_spend,
                        row.accrual_bp, row.max_redemption_bp, bool(row.group_by_hand))


def set_group(connection: Connection, loyalty: GuestLoyalty, group_id: str | None,
              now: datetime) -> GuestLoyalty:  # fmt: skip
    """The loyalty row (locked by ``lock_loyalty``) moved to ``group_id``, spend unchanged."""
    moved = replace(loyalty, group_id=group_id)
    _SET_LOYALTY.run(connection, {"loyal_guest": moved.guest_id, "group_id": group_id,
                                  "lifetime_spend": moved.lifetime_spend, "updated_at": now,
                                  "by_hand": True})  # fmt: skip
    return replace(moved, group_by_hand=True)


def promote_after_sale(
    connection: Connection, loyalty: GuestLoyalty, spend: int, now: datetime,
    groups: tuple[dict[str, GuestGroup], list[GuestGroup]] | None = None,
) -> None:  # fmt: skip
    """After a sale: the lifetime spend, ``group_after_spend`` over the groups as they are now
    (``groups``: ``current_groups`` as the caller read it in this transaction), and the guest's
    feed change at commit."""
    by_id, active = groups or current_groups(connection)
    current = None if loyalty.group_id is None else by_id.get(loyalty.group_id)
    lifetime = loyalty.lifetime_spend + spend
    after = group_after_spend(current, lifetime, active)
    moved = replace(loyalty, group_id=None if after is None else after.id,
                    lifetime_spend=lifetime)  # fmt: skip
    # a group put by hand stays "by hand" until the rules move the guest elsewhere
    by_hand = loyalty.group_by_hand and moved.group_id == loyalty.group_id
    _SET_LOYALTY.run(connection, {"loyal_guest": moved.guest_id, "group_id": moved.group_id,
                                  "lifetime_spend": lifetime, "updated_at": now,
                                  "by_hand": by_hand})  # fmt: skip
    defer_snapshot(connection, "guest", moved.guest_id, moved.feed_data(), now)


class Loyalty(Repository):
    """``uow.loyalty``."""

    __slots__ = ()

    def lock(self, guest_id: str) -> GuestLoyalty | None:
        """The guest with their group and lifetime spend, the loyalty row locked until the
        end of the transaction (created on first use); None: an unknown guest. One statement
        for a guest who already has the row."""
        return lock_loyalty(lambda: self._session, self._connection, guest_id, self._uow.now)

    def set_group(self, loyalty: GuestLoyalty, group_id: str | None) -> GuestLoyalty:
        """The guest put into ``group_id`` by hand (their row locked by ``lock``); the new
        state, whose ``feed_data`` the caller records."""
        return set_group(self._connection, loyalty, group_id, self._uow.now)

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
        return points_spent_today(self._session, guest_id, self._uow.now,
                                  current(self._uow).venue.zone)  # fmt: skip

    def identified_on_day(self, guest_id: str, at: datetime) -> int:
        """The guest's sales that ended on the business day of ``at``, closed or cancelled."""
        return identified_on_day(self._session, guest_id, at, current(self._uow).venue.zone)

    def record_breach(self, breach: Breach) -> None:
        """A rule the server did not enforce (the till had acted offline) or a refusal worth
        a manager's look, by the operation's terminal, now."""
        _INSERT_BREACH.run(self._connection, {
            "guest_id": breach.guest_id, "rule": breach.rule, "amount": breach.amount,
            "at": self._uow.now, "terminal_id": self._uow.terminal_id, "ref": breach.ref,
            "message": breach.message[:500],
        })  # fmt: skip

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

    def recent_breaches(self, since: datetime | None, limit: int) -> list[Any]:
        """At most ``limit`` recorded breaches, newest first, from ``since`` on (rows with the
        ``rule_breaches`` columns)."""
        return newest(self._connection, RuleBreachRow, since, limit)
