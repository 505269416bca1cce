"""The guest's history for a chosen period (seed 000 points 3-4), from the one history
service (``pos_server.guests.history``): sales (orders at the venue), money movements with
the opening and closing balance of the period, points postings; newest first, 20 a page with
the service's keyset cursor. Periods are whole days of the venue's clock (its time zone in the
programme settings), ``from`` to ``to`` inclusive: the guest's "7 December" is the venue's.
The orders tab's first page also lists the guest's closed orders (the shop's and a console's:
completed, cancelled, voided) placed in the period, with their numbers (at most ``PAGE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from pos_server.db.models import GuestOrderRow
from pos_server.guests.history import BadCursor, HistoryPage, history_page
from pos_server.uow import UnitOfWork

SECTIONS = ("sales", "money", "points")
PAGE = 20
DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366

__all__ = ["BadCursor", "Period", "View", "period_of", "view"]


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    zone: tzinfo = UTC  # the venue's: its days bound the period

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: midnight of the first day to midnight after the last, on the
        venue's clock."""
        start = datetime.combine(self.first, time(), self.zone)
        end = datetime.combine(self.last + timedelta(days=1), time(), self.zone)
        return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class View:
    page: HistoryPage
    opening: int | None  # the account's balance when the period began (money, points)
    closing: int | None  # ... and when it ended (or now, for a period reaching today)
    orders: list[GuestOrderRow] = field(default_factory=list)  # closed guest orders (sales tab)


def period_of(first: str | None, last: str | None, today: date, zone: tzinfo = UTC) -> Period:
    """The period the page asks for (``YYYY-MM-DD``; default: the last 30 days up to ``today``,
    the venue's date); ValueError."""
    end = date.fromisoformat(last) if last else today
    start = date.fromisoformat(first) if first else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    if (end - start).days > MAX_DAYS:
        start = end - timedelta(days=MAX_DAYS)
    return Period(start, end, zone)


def view(uow: UnitOfWork, guest_id: str, section: str, period: Period,
         before: str | None) -> View:  # fmt: skip
    """One page of the guest's ``section`` within ``period`` (``BadCursor``)."""
    if section not in SECTIONS:
        raise ValueError(f"unknown cabinet history section {section!r}")
    start, end = period.bounds
    page = history_page(uow, guest_id, section, before=before, limit=PAGE, period=(start, end))
    if section == "sales":
        orders = [] if before else uow.cabinet_shop.closed_orders(guest_id, start, end, PAGE)
        return View(page, None, None, orders)
    opening = uow.cabinet.balance_before(guest_id, section, start)
    closing = uow.cabinet.balance_before(guest_id, section, end)
    return View(page, opening, closing)
