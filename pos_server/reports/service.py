"""The back office's money views and reports, written once for the pages and their CSV.

A period is a range of the venue's business days, first and last included, in the venue's
time zone (``venue_zone``: the programme's ``venue.timezone``, the zone the tills count their
days by): it covers the UTC instants [start of the first day, start of the day after the last)
(``venue_clock.day_start``, so a day is 23 or 25 hours long across a daylight-saving change).
Every amount is int kopecks, points are int points. Everything is read through the unit of
work's repositories (``uow.reports``, ``uow.reconciliation``, ``uow.staff``, ``uow.audit``,
and the programme's).

Where a sale goes:

- **day**: the venue's business day of its ``closed_at``;
- **terminal**: the terminal that recorded it;
- **shift**: the shift of that terminal open at its ``closed_at`` (opened at or before it,
  closed at or after it, or still open); none: "outside a shift";
- **staff**: that shift's cashier (who opened it) - a sale record names no cashier, the
  shift does.

A refund goes the same way by its own terminal and ``refunded_at`` (a refund today of
yesterday's sale is today's). ``net`` is the sales' total less the refunds'.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from pos_app.domain.venue_clock import business_day, day_start
from pos_server.programme import service as programme
from pos_server.repositories.reports import Balances, GuestSpend, ShiftFact
from pos_server.uow import UnitOfWork

MAX_DAYS = 366  # a longer period is asked for in parts
LIMIT = 1_000  # rows of a list (overdrafts, breaches, reconciliation items)
METHODS = ("cash", "card", "balance", "points")


def venue_zone(uow: UnitOfWork) -> tzinfo:
    """The venue's time zone, as the programme settings have it now."""
    return programme.current(uow).venue.zone


class BadPeriod(ValueError):
    """The period asked for is not one (last before first, or too long)."""


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    zone: tzinfo

    @classmethod
    def of(cls, first: date, last: date, zone: tzinfo) -> Period:
        if last < first:
            raise BadPeriod("The period ends before it starts.")
        if (last - first).days + 1 > MAX_DAYS:
            raise BadPeriod("A period is at most 366 days.")  # MAX_DAYS
        return cls(first, last, zone)

    @property
    def start(self) -> datetime:
        return day_start(self.first, self.zone)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1), self.zone)

    def day_of(self, at: datetime) -> date:
        return business_day(at, self.zone)


# --- overdrafts and rule breaches; reconciliation items ------------------------------------


@dataclass(frozen=True)
class OverdraftLine:
    at: datetime
    account: str  # points / balance
    guest_id: str
    amount: int
    reason: str
    ref: str | None
    beyond_offline_allowance: bool


@dataclass(frozen=True)
class BreachLine:
    at: datetime
    guest_id: str | None
    rule: str
    amount: int
    terminal_id: str | None
    ref: str | None
    message: str


@dataclass(frozen=True)
class MoneyIssues:
    overdrafts: list[OverdraftLine]
    breaches: list[BreachLine]


def money_issues(uow: UnitOfWork, period: Period, limit: int = LIMIT) -> MoneyIssues:
    """Overdrafts and rule breaches of the period, newest first, at most ``limit`` of each:
    the managers' list of ``ledger/overdraft_list.py`` (``pos-server overdrafts``) bounded by
    the period's end too. A points overdraft whose hold a breach ``offline_allowance`` names
    is flagged as beyond the group's offline allowance, as there."""
    breaches = uow.reports.breaches(period.start, period.end, limit)
    flagged = {b.ref for b in breaches if b.rule == "offline_allowance" and b.ref}
    overdrafts = [OverdraftLine(o.at, "points" if o.account_kind == "points" else "balance",
                                o.account_id, o.amount, o.reason, o.ref,
                                o.account_kind == "points" and o.hold_id in flagged)
                  for o in uow.reports.overdrafts(period.start, period.end, limit)]  # fmt: skip
    return MoneyIssues(overdrafts, [
        BreachLine(b.at, b.guest_id, b.rule, b.amount, b.terminal_id, b.ref, b.message)
        for b in breaches])  # fmt: skip


@dataclass(frozen=True)
class ReconciliationLine:
    id: int
    at: datetime
    kind: str
    sale_id: str
    terminal_id: str
    amount: int  # the till's total minus the server's
    message: str
    resolved_at: datetime | None
    resolved_by: str | None


def reconciliation(uow: UnitOfWork, period: Period, *, include_resolved: bool = False,
                   limit: int = LIMIT) -> list[ReconciliationLine]:  # fmt: skip
    """The differences the server's recomputation of the period's sales found, newest first
    (open ones only unless ``include_resolved``); resolved with ``pos-server reconciliation
    resolve``."""
    rows = uow.reports.reconciliation_items(
        period.start, period.end, include_resolved=include_resolved, limit=limit
    )
    return [ReconciliationLine(r.id, r.at, r.kind, r.sale_id, r.terminal_id, r.amount,
                               r.message, r.resolved_at, r.resolved_by) for r in rows]  # fmt: skip


def resolve_reconciliation(uow: UnitOfWork, item_id: int) -> None:
    """Close an open reconciliation item as the unit of work's actor (``web:<staff id>``),
    audited as ``reconciliation.resolve``; ``UnknownItem`` if it is not open."""
    item = uow.reconciliation.resolve(item_id, by=uow.terminal_id)
    uow.audit.record("reconciliation.resolve", f"reconciliation_item:{item_id}",
                     before={"resolved_at": None},
                     after={"resolved_at": item["resolved_at"], "resolved_by": item["resolved_by"],
                            "sale_id": item["sale_id"], "amount": item["amount"]})  # fmt: skip


# --- sales by day / shift / terminal / staff -----------------------------------------------


class SalesBy(StrEnum):
    DAY = "day"
    SHIFT = "shift"
    TERMINAL = "terminal"
    STAFF = "staff"


@dataclass
class SalesLine:
    key: str  # the day (ISO), shift id, terminal id or staff id; "" outside a shift
    label: str  # what a person reads: the day, "Till 1 #3", a name
    sales: int = 0
    total: int = 0
    paid: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METHODS, 0))
    refunds: int = 0
    refunds_total: int = 0

    @property
    def net(self) -> int:
        return self.total - self.refunds_total


@dataclass(frozen=True)
class SalesReport:
    by: SalesBy
    lines: list[SalesLine]  # by key (days in order; shifts by terminal and opening)
    totals: SalesLine


def sales(uow: UnitOfWork, period: Period, by: SalesBy) -> SalesReport:
    """The period's sales and refunds, added up ``by`` day, shift, terminal or staff."""
    start, end = period.start, period.end
    terminals = uow.reports.terminal_names()
    staff = {row.id: row.name for row in uow.staff.rows()}
    shifts = _ShiftFinder(uow.reports.shifts(start, end) if by in (SalesBy.SHIFT, SalesBy.STAFF)
                          else [])  # fmt: skip

    def place(terminal_id: str, at: datetime) -> tuple[str, str]:
        if by is SalesBy.DAY:
            day = period.day_of(at).isoformat()
            return day, day
        if by is SalesBy.TERMINAL:
            return terminal_id, terminals.get(terminal_id, terminal_id)
        shift = shifts.find(terminal_id, at)
        if shift is None:
            return "", ""
        if by is SalesBy.SHIFT:
            till = terminals.get(shift.terminal_id, shift.terminal_id)
            opened = period.day_of(shift.opened_at).isoformat()
            return shift.shift_id, f"{till} #{shift.number} ({opened})"
        return shift.opened_by, staff.get(shift.opened_by, shift.opened_by)

    lines: dict[str, SalesLine] = {}
    totals = SalesLine("", "")

    def line_of(terminal_id: str, at: datetime) -> SalesLine:
        key, label = place(terminal_id, at)
        if key not in lines:
            lines[key] = SalesLine(key, label)
        return lines[key]

    for sale in uow.reports.sales(start, end):
        for line in (line_of(sale.terminal_id, sale.closed_at), totals):
            line.sales += 1
            line.total += sale.total
            for method, amount in sale.paid.items():
                line.paid[method] = line.paid.get(method, 0) + amount
    for refund in uow.reports.refunds(start, end):
        for line in (line_of(refund.terminal_id, refund.refunded_at), totals):
            line.refunds += 1
            line.refunds_total += refund.total
    rank = {s.shift_id: f"{s.terminal_id}\x00{s.opened_at.isoformat()}" for s in shifts.all}

    def order(line: SalesLine) -> tuple[bool, str]:
        """Days and shifts in time order, terminals and staff by name; "outside" last."""
        if by is SalesBy.SHIFT:
            return line.key == "", rank.get(line.key, line.key)
        if by in (SalesBy.TERMINAL, SalesBy.STAFF):
            return line.key == "", line.label.casefold()
        return line.key == "", line.key

    return SalesReport(by, sorted(lines.values(), key=order), totals)


class _ShiftFinder:
    """The shift of a terminal open at an instant (the latest opened at or before it)."""

    def __init__(self, shifts: Iterable[ShiftFact]) -> None:
        self.all = list(shifts)
        self._by_terminal: dict[str, list[ShiftFact]] = defaultdict(list)
        for shift in sorted(self.all, key=lambda s: s.opened_at):
            self._by_terminal[shift.terminal_id].append(shift)
        self._starts = {t: [s.opened_at for s in found] for t, found in self._by_terminal.items()}

    def find(self, terminal_id: str, at: datetime) -> ShiftFact | None:
        found = self._by_terminal.get(terminal_id)
        if not found:
            return None
        index = bisect_right(self._starts[terminal_id], at) - 1
        if index < 0:
            return None
        shift = found[index]
        return shift if shift.closed_at is None or at <= shift.closed_at else None


# --- deposits ---------------------------------------------------------------------------


@dataclass
class DepositDay:
    """The guests' deposit (money) accounts' postings on one business day."""

    day: date
    top_ups: int = 0  # how many
    topped_up: int = 0  # top-ups ("top-up" credits)
    other_credits: int = 0  # refunds of deposit payments, manual credits
    debited: int = 0  # deposit payments, manual debits, deposits given back
    debts: int = 0  # amounts recorded as owed

    @property
    def change(self) -> int:
        return self.topped_up + self.other_credits - self.debited - self.debts


@dataclass(frozen=True)
class DepositShift:
    """What a shift closed in the period took and gave back in deposits (its Z report)."""

    shift_id: str
    terminal: str
    number: int
    closed_at: datetime
    taken: int
    given_back: int


@dataclass(frozen=True)
class DepositsReport:
    days: list[DepositDay]
    totals: DepositDay
    shifts: list[DepositShift]


def deposits(uow: UnitOfWork, period: Period) -> DepositsReport:
    """The deposit accounts' movements by business day, and the deposits each shift closed in
    the period took and gave back in cash or card (its stored Z report)."""
    days: dict[date, DepositDay] = {}
    totals = DepositDay(period.first)
    for move in uow.reports.money_moves(period.start, period.end):
        day = period.day_of(move.at)
        for line in (days.setdefault(day, DepositDay(day)), totals):
            if move.kind == "credit" and move.reason == "top-up":
                line.top_ups += 1
                line.topped_up += move.amount
            elif move.kind in ("credit", "adjustment"):
                line.other_credits += move.amount
            elif move.kind == "debt":
                line.debts += move.amount
            else:
                line.debited += move.amount
    terminals = uow.reports.terminal_names()
    shifts = [
        DepositShift(s.shift_id, terminals.get(s.terminal_id, s.terminal_id), s.number,
                     s.closed_at, int((s.report or {}).get("deposits", 0)),
                     int((s.report or {}).get("deposit_refunds", 0)))
        for s in uow.reports.shifts(period.start, period.end)
        if s.closed_at is not None and period.start <= s.closed_at < period.end
    ]  # fmt: skip
    shifts.sort(key=lambda s: (s.closed_at, s.terminal))
    return DepositsReport([days[d] for d in sorted(days)], totals, shifts)


# --- points liability ---------------------------------------------------------------------


@dataclass(frozen=True)
class Liability:
    """What the venue owes its guests on one kind of account: ``points`` (points outstanding,
    in points) or ``money`` (deposits held, in kopecks), at the period's start and end (the
    accounts' totals after their last posting before each instant) and now (the accounts'
    stored totals)."""

    kind: str
    start: Balances
    end: Balances
    now: Balances

    @property
    def change(self) -> int:
        return self.end.total - self.start.total


def liability(uow: UnitOfWork, period: Period) -> list[Liability]:
    """Points outstanding and deposits held: the points first."""
    return [Liability(kind, uow.reports.balances_at(kind, period.start),
                      uow.reports.balances_at(kind, period.end), uow.reports.balances_now(kind))
            for kind in ("points", "money")]  # fmt: skip


# --- top guests ---------------------------------------------------------------------------


def top_guests(uow: UnitOfWork, period: Period, limit: int = 50) -> list[GuestSpend]:
    """The guests who spent most on the period's sales (their total, refunds not deducted),
    most first; at most ``limit`` (1-1000)."""
    return uow.reports.top_guests(period.start, period.end, max(1, min(limit, 1_000)))
