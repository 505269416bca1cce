"""Loyalty rules on the server, from ``pos_app.domain`` (loyalty, limits, groups), not copies.

What this module adds is only what the domain leaves to its caller: where a guest's group and
lifetime spend are stored, what "today" is (the shop's business day in ``shop_timezone``), how
today's identifications and points spending are counted, and where a rule the server could not
enforce (the till already acted offline) is recorded for managers (``rule_breaches``).

Program defaults (the percentages when neither the guest nor the group sets one) come from the
environment like the other settings: ``POS_SERVER_ACCRUAL_BP`` (500 = 5 %),
``POS_SERVER_MAX_REDEMPTION_BP`` (5000 = 50 %), the same defaults as the till's
``loyalty.program``; and ``POS_SERVER_SHOP_TIMEZONE``, an IANA zone name (default
``pos_app.domain.venue_clock.DEFAULT_SHOP_TIMEZONE``, Europe/Moscow), checked at start and
published to the tills through the feed (``shop_settings.py``), so both count one business day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from functools import cache
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.orm import Session

from pos_app.domain.groups import GuestGroup, group_after_spend
from pos_app.domain.ledger import PostingKind
from pos_app.domain.limits import DailyLimits
from pos_app.domain.loyalty import (
    NO_OVERRIDE,
    LoyaltyOverride,
    LoyaltySettings,
    resolve_settings,
)
from pos_app.domain.money import Percent
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE, UnknownTimeZone, shop_zone
from pos_app.domain.venue_clock import day_bounds as shop_day_bounds
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


class LedgerRules(BaseSettings):
    """Program-wide loyalty defaults and the shop's time zone."""

    model_config = SettingsConfigDict(env_prefix="POS_SERVER_", extra="ignore")

    accrual_bp: int = Field(default=500, ge=0, le=10_000)
    max_redemption_bp: int = Field(default=5_000, ge=0, le=10_000)
    shop_timezone: str = DEFAULT_SHOP_TIMEZONE

    @field_validator("shop_timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            shop_zone(name)
        except UnknownTimeZone as exc:
            raise ValueError(exc.message) from exc
        return name

    @property
    def program(self) -> LoyaltySettings:
        return LoyaltySettings(Percent(self.accrual_bp), Percent(self.max_redemption_bp))

    @property
    def zone(self) -> tzinfo:
        return shop_zone(self.shop_timezone)


@cache
def ledger_rules() -> LedgerRules:
    return LedgerRules()


def day_bounds(at: datetime) -> tuple[datetime, datetime]:
    """The shop's business day holding ``at``, as aware UTC datetimes [start, end) (the
    domain's rule, the same the till counts by)."""
    return shop_day_bounds(at, ledger_rules().zone)


def settings_for(
    group: GuestGroup | None, *, order: LoyaltyOverride = NO_OVERRIDE,
    may_override_order: bool = False, guest: LoyaltyOverride = NO_OVERRIDE,
) -> LoyaltySettings:  # fmt: skip
    """Accrual and max redemption for a guest of ``group`` with their own settings ``guest``
    (domain resolution order); ``order`` is one sale's override by hand, used only if
    ``may_override_order`` (``order_override``)."""
    override = NO_OVERRIDE if group is None else LoyaltyOverride(group.accrual,
                                                                 group.max_redemption)
    return resolve_settings(ledger_rules().program, group=override, guest=guest, order=order,
                            may_override_order=may_override_order)


def limits_of(group: GuestGroup | None) -> DailyLimits:
    if group is None:
        return DailyLimits()
    return DailyLimits(group.daily_identification_limit, group.daily_points_spend_limit)


def loyalty_row(session: Session, guest_id: str, now: datetime) -> GuestLoyaltyRow:
    """The guest's group and lifetime spend, row locked (created on first use)."""
    query = select(GuestLoyaltyRow).where(GuestLoyaltyRow.guest_id == guest_id)
    row = session.scalars(query.with_for_update()).one_or_none()
    if row is None:
        row = GuestLoyaltyRow(guest_id=guest_id, group_id=None, lifetime_spend=0, updated_at=now)
        session.add(row)
        session.flush()  # a concurrent creator makes this an IntegrityError: the op is retried
    return row


def points_spent_today(session: Session, guest_id: str, now: datetime) -> int:
    """Points committed or debited today (late commits included)."""
    start, end = day_bounds(now)
    spent = session.scalar(
        select(func.coalesce(func.sum(PostingRow.amount), 0)).where(
            PostingRow.account_kind == POINTS, PostingRow.account_id == guest_id,
            PostingRow.kind.in_((PostingKind.COMMIT.value, PostingKind.DEBIT.value)),
            PostingRow.at >= start, PostingRow.at < end,
        )
    )  # fmt: skip
    return int(spent or 0)


def identified_on_day(session: Session, guest_id: str, at: datetime) -> int:
    """The guest's identifications on the business day of ``at``: their sales that ended that
    day, closed or cancelled, one each (docs/domain.md "Daily identification limit")."""
    start, end = day_bounds(at)
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


def record_breach(
    session: Session, guest_id: str, rule: str, amount: int, *, now: datetime,
    terminal_id: str | None, ref: str | None, message: str,
) -> None:  # fmt: skip
    session.add(RuleBreachRow(guest_id=guest_id, rule=rule, amount=amount, at=now,
                              terminal_id=terminal_id, ref=ref, message=message[:500]))


def guest_data(guest: Guest, row: GuestLoyaltyRow | None) -> dict[str, Any]:
    """A ``guest`` change: the guest with their group and lifetime spend (what a till reads)."""
    if row is not None:
        return GuestLoyalty(guest.id, guest.name, guest.phone, row.group_id,
                            row.lifetime_spend).feed_data()  # fmt: skip
    return {"guest_id": guest.id, "name": guest.name, "phone": guest.phone}


@dataclass(frozen=True, slots=True)
class GuestLoyalty:
    """A guest (for the feed) with their group and lifetime spend, the loyalty row locked."""

    guest_id: str
    name: str
    phone: str | None
    group_id: str | None
    lifetime_spend: int
    accrual_bp: int | None = None  # the guest's own percentages (the guest card)
    max_redemption_bp: int | None = None
    group_by_hand: bool = False

    @property
    def own_settings(self) -> LoyaltyOverride:
        def pct(bp: int | None) -> Percent | None:
            return None if bp is None else Percent(bp)

        return LoyaltyOverride(pct(self.accrual_bp), pct(self.max_redemption_bp))

    def feed_data(self) -> dict[str, Any]:
        return {"guest_id": self.guest_id, "name": self.name, "phone": self.phone,
                "group_id": self.group_id, "lifetime_spend": self.lifetime_spend}


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
    """The guest's loyalty state, row locked (created on first use); None: unknown guest.

    Handlers call it as ``uow.loyalty.lock(guest_id)``; ``ops/kinds.py`` still calls it
    directly until it is converted (issue 15 point 4)."""
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
