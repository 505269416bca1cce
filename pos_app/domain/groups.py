"""Guest groups (tiers) and the rules that move a guest between them (seed 002).

Promotion: a group with ``auto_move`` receives every guest whose lifetime spend reaches its
threshold; the highest such group wins, and a guest is never moved *down* by promotion.

Correction of a hand-placed guest: a guest sitting in an automatic group whose threshold they
have not reached is moved to the best *lower* automatic group they qualify for, or, when they
qualify for none, to the lowest lower automatic group (the manual's "moved to 5 % and stays
until 1 000 ₽, or to a lower group with a smaller threshold"). ``no_demotion`` on the group, or
the group not being automatic, keeps the guest where they were put.

Demotion by period (a group's ``demotion_days`` with a ``demote_to``, unless it never demotes):
see :func:`group_after_period`. While a group demotes by period, promotion into it (and the
correction above) counts the guest's spend within that rolling period, not lifetime, so a
demoted guest is not promoted straight back by the next sale (``GuestSpend``). Only the server
knows a guest's spend by period; the till, which has lifetime spend only, judges by lifetime and
takes the server's verdict from the feed (docs/domain.md "Guest groups").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pos_app.domain.catalog import WHOLE_ORDER, DiscountScope
from pos_app.domain.errors import DomainError
from pos_app.domain.money import Percent, require_amount


class UnknownGroup(DomainError):
    code = "unknown_group"


class InvalidGroup(DomainError):
    code = "invalid_group"


@dataclass(frozen=True)
class GuestGroup:
    """A tier: its discount, how guests get in, and its limits (amounts in kopecks)."""

    id: str
    name: str
    discount: Percent
    spend_threshold: int = 0
    scope: DiscountScope = WHOLE_ORDER
    auto_move: bool = False
    no_demotion: bool = False
    demote_to: str | None = None
    daily_identification_limit: int | None = None
    daily_points_spend_limit: int | None = None
    accrual: Percent | None = None
    max_redemption: Percent | None = None
    offline_allowance: int = 0
    demotion_days: int | None = None

    def __post_init__(self) -> None:
        require_amount(self.spend_threshold, "spend threshold")
        if self.demotion_days is not None and not 1 <= self.demotion_days <= 3660:
            raise InvalidGroup("The demotion period must be 1 to 3660 days.", group_id=self.id)
        require_amount(self.offline_allowance, "offline allowance")
        if self.daily_points_spend_limit is not None:
            require_amount(self.daily_points_spend_limit, "daily points spend limit")
        if self.daily_identification_limit is not None and self.daily_identification_limit < 0:
            raise InvalidGroup(
                "The daily identification limit cannot be negative.", group_id=self.id
            )
        if self.demote_to == self.id:
            raise InvalidGroup(
                f"Group {self.name!r} cannot demote guests to itself.", group_id=self.id
            )

    @property
    def demotes_by_period(self) -> bool:
        """Guests short of the threshold within ``demotion_days`` move to ``demote_to``."""
        return (self.demotion_days is not None and self.demote_to is not None
                and not self.no_demotion)  # fmt: skip

    @property
    def counting_days(self) -> int | None:
        """The rolling period whose spend this group judges by; None: lifetime spend."""
        return self.demotion_days if self.demotes_by_period else None


@dataclass(frozen=True)
class GuestSpend:
    """What a guest spent (kopecks): lifetime, and within the last N days for each period a
    group judges by (``within[N]``)."""

    lifetime: int
    within: Mapping[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_amount(self.lifetime, "lifetime spend")
        for amount in self.within.values():
            require_amount(amount, "spend in period")

    def counted_by(self, group: GuestGroup) -> int:
        """The spend ``group`` judges by: within its period while it demotes by period."""
        days = group.counting_days
        if days is None:
            return self.lifetime
        if days not in self.within:
            raise InvalidGroup(
                f"The spend within {days} days is needed for group {group.name!r}.",
                group_id=group.id, days=days,
            )  # fmt: skip
        return self.within[days]


def periods_of(groups: Sequence[GuestGroup]) -> set[int]:
    """The rolling periods (days) whose spend ``group_after_spend`` needs for ``groups``."""
    return {g.counting_days for g in groups if g.counting_days is not None}


def _rank(group: GuestGroup) -> tuple[int, int, str]:
    """Deterministic order of tiers: threshold, then discount, then id."""
    return (group.spend_threshold, group.discount.bp, group.id)


def _best_reached(groups: Sequence[GuestGroup], spend: GuestSpend) -> GuestGroup | None:
    reached = [g for g in groups if g.auto_move and g.spend_threshold <= spend.counted_by(g)]
    return max(reached, key=_rank, default=None)


def group_after_spend(
    current: GuestGroup | None, spend: int | GuestSpend, groups: Sequence[GuestGroup]
) -> GuestGroup | None:
    """The group a guest belongs in after their spend became ``spend`` (an int: lifetime
    spend, enough while no group demotes by period). Each group is reached by the spend it
    counts (``GuestSpend.counted_by``)."""
    if isinstance(spend, int):
        spend = GuestSpend(require_amount(spend, "lifetime spend"))
    best = _best_reached(groups, spend)
    if current is None:
        return best
    if best is not None and _rank(best) > _rank(current):
        return best
    if spend.counted_by(current) >= current.spend_threshold:
        return current
    if current.no_demotion or not current.auto_move:
        return current
    lower = [
        g
        for g in groups
        if g.auto_move and g.id != current.id and g.spend_threshold < current.spend_threshold
    ]
    if not lower:
        return current
    return _best_reached(lower, spend) or min(lower, key=_rank)


def group_after_period(
    current: GuestGroup | None, spend_in_period: int, groups: Sequence[GuestGroup]
) -> GuestGroup | None:
    """Demotion by period: short of the threshold within the period -> ``demote_to``.
    ``spend_in_period``: within ``current.demotion_days`` (the caller's job to count; a
    group without a period is judged as given, as before periods were per group)."""
    require_amount(spend_in_period, "spend in period")
    if current is None or current.no_demotion or current.demote_to is None:
        return current
    if spend_in_period >= current.spend_threshold:
        return current
    for group in groups:
        if group.id == current.demote_to:
            return group
    raise UnknownGroup(
        f"Group {current.name!r} demotes to a group that no longer exists.",
        group_id=current.id,
        demote_to=current.demote_to,
    )
