"""Daily limits of a guest group (seed 002): identifications per day and points spent per day.

"Today" is the shop's business day; the caller counts what happened in it (in the shop's time
zone) and passes the counts in, so these rules stay free of clocks and storage.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money, require_amount


class DailyIdentificationLimitReached(DomainError):
    code = "daily_identification_limit"


class DailySpendLimitExceeded(DomainError):
    code = "daily_spend_limit"


@dataclass(frozen=True, slots=True)
class DailyLimits:
    """``None`` means no limit."""

    identifications: int | None = None
    points_spend: int | None = None

    def __post_init__(self) -> None:
        if self.identifications is not None:
            _require_count(self.identifications, "identifications limit")
        if self.points_spend is not None:
            require_amount(self.points_spend, "daily points spend limit")


def _require_count(count: int, what: str) -> int:
    """Today's counts come from the caller's query; a negative or fractional one is a slip."""
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError(f"{what} must be a non-negative int, got {count!r}")
    return count


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def check_identification(limits: DailyLimits, identified_today: int) -> None:
    """Refuse one more identification when the day's count is used up."""
    _require_count(identified_today, "identified_today")
    limit = limits.identifications
    if limit is not None and identified_today >= limit:
        raise DailyIdentificationLimitReached(
            f"The guest has already been identified {_times(identified_today)} today; "
            f"the limit is {limit}.",
            identified_today=identified_today,
            limit=limit,
        )


def remaining_spend(limits: DailyLimits, spent_today: int) -> int | None:
    """Points the guest may still spend today, or ``None`` without a limit."""
    _require_count(spent_today, "spent_today")
    if limits.points_spend is None:
        return None
    return max(limits.points_spend - spent_today, 0)


def check_spend(limits: DailyLimits, spent_today: int, amount: int) -> None:
    """Refuse spending ``amount`` points when it would pass the daily limit."""
    require_amount(amount, "points amount")
    remaining = remaining_spend(limits, spent_today)
    if remaining is not None and amount > remaining:
        raise DailySpendLimitExceeded(
            f"The guest may spend only {format_money(remaining, currency='points')} more "
            f"today (daily limit {format_money(limits.points_spend or 0, currency='points')}).",
            remaining=remaining,
            requested=amount,
            limit=limits.points_spend,
        )
