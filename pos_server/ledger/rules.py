"""Loyalty rules on the server, from ``pos_app.domain`` (loyalty, limits, groups), not copies.

What this module adds is only what the domain leaves to its caller: where a guest's group and
lifetime spend are stored, what "today" is (the shop's business day in ``shop_timezone``), how
today's identifications and points spending are counted, and where a rule the server could not
enforce (the till already acted offline) is recorded for managers (``rule_breaches``).

The statements that read and write a guest's loyalty state for the operations (the loyalty
row locked, promotion, today's counts) are ``uow.loyalty``'s (``repositories/loyalty.py``).

The programme's percentages, the venue's time zone and the limits of guests without a group
are the programme settings (``pos_server.programme``, set in the back office), which the
operations pass in (``settings_for(program=...)``, ``limits_of(default=...)``,
``day_bounds(zone=...)``). The environment gives only their defaults for a new database:
``POS_SERVER_ACCRUAL_BP`` (500 = 5 %), ``POS_SERVER_MAX_REDEMPTION_BP`` (5000 = 50 %), the
same defaults as the till's ``loyalty.program``; and ``POS_SERVER_SHOP_TIMEZONE``, an IANA
zone name (default ``pos_app.domain.venue_clock.DEFAULT_SHOP_TIMEZONE``, Europe/Moscow),
checked at start.
The top-up limits by role are the programme's too (``top_up``, ``pos_server.programme``); the
``POS_SERVER_TOP_UP_<ROLE>[_DAY]`` variables of earlier versions are no longer read (a server
that still has one set says so in its log at start: ``retired_variables``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.groups import GuestGroup
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
from pos_server.db.models import Guest
from pos_server.db.models_ledger import (
    GuestLoyaltyRow,
)


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


RETIRED_PREFIX = "POS_SERVER_TOP_UP_"


def retired_variables(environ: Mapping[str, str]) -> list[str]:
    """The ``POS_SERVER_TOP_UP_*`` variables set in ``environ``: no longer read (the top-up
    limits are the programme settings' ``top_up`` group, set in the back office)."""
    return sorted(name for name in environ if name.upper().startswith(RETIRED_PREFIX))


def day_bounds(at: datetime, zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """The shop's business day holding ``at``, as aware UTC datetimes [start, end) (the
    domain's rule, the same the till counts by); ``zone``: the programme's (``venue.timezone``,
    ``pos_server.programme``), else the environment's."""
    return shop_day_bounds(at, zone or ledger_rules().zone)


def settings_for(
    group: GuestGroup | None, *, order: LoyaltyOverride = NO_OVERRIDE,
    may_override_order: bool = False, guest: LoyaltyOverride = NO_OVERRIDE,
    program: LoyaltySettings | None = None,
) -> LoyaltySettings:  # fmt: skip
    """Accrual and max redemption for a guest of ``group`` with their own settings ``guest``
    (domain resolution order); ``order`` is one sale's override by hand, used only if
    ``may_override_order`` (``order_override``); ``program``: the programme's percentages
    (``pos_server.programme``), else the environment's."""
    override = NO_OVERRIDE if group is None else LoyaltyOverride(group.accrual,
                                                                 group.max_redemption)
    return resolve_settings(program or ledger_rules().program, group=override, guest=guest,
                            order=order, may_override_order=may_override_order)


def limits_of(group: GuestGroup | None, default: DailyLimits | None = None) -> DailyLimits:
    """The group's daily limits; ``default`` (the programme's) for a guest without one."""
    if group is None:
        return default or DailyLimits()
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
