"""The back office's reports (issue 18 point 8), on SQLite and PostgreSQL: a few sales over
two business days of a venue in Moscow (UTC+3), on two terminals, in shifts of two cashiers,
with a refund, deposits, points and the money views' rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest

from pos_server.db import make_engine
from pos_server.db.models import (
    AccountRow,
    Guest,
    OverdraftRow,
    PostingRow,
    Sale,
    SalePayment,
    Terminal,
)
from pos_server.db.models_ledger import ReconciliationItemRow, RuleBreachRow
from pos_server.db.models_till import SaleRefundRow, ShiftRow
from pos_server.reports import service
from pos_server.reports.service import BadPeriod, Period, SalesBy
from pos_server.repositories.reconciliation import UnknownItem
from pos_server.staff import service as staff
from pos_server.uow import UnitOfWork, unit_of_work

T = TypeVar("T")
MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
DAY1, DAY2 = date(2026, 12, 1), date(2026, 12, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Moscow wall-clock time as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MSK).astimezone(UTC)


def run(db_url: str, work: Callable[[UnitOfWork], T]) -> T:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="web:test", now=NOW) as uow:
            return work(uow)
    finally:
        engine.dispose()


def seed(uow: UnitOfWork) -> dict[str, str]:
    ira = staff.add_staff(uow, "Ira", "cashier", "1234").id
    oleg = staff.add_staff(uow, "Oleg", "cashier", "4321").id
    s = uow.session
    s.add_all(
        [
            Terminal(id="t1", name="Till 1", created_at=NOW, last_seq=0),
            Terminal(id="t2", name="Till 2", created_at=NOW, last_seq=0),
        ]
    )
    s.flush()
    s.add_all(
        [
            Guest(
                id="g1",
                name='Анна "Кофе", VIP',
                phone="+79990000001",
                created_at=NOW,
                created_by="t1",
            ),
            Guest(id="g2", name="Boris", phone=None, created_at=NOW, created_by="t1"),
        ]
    )
    s.flush()
    s.add_all([
        ShiftRow(id="s1", terminal_id="t1", number=1, opened_at=at(DAY1, 9), opened_by=ira,
                 opening_cash=0, closed_at=at(DAY1, 21), closed_by=ira, counted_cash=0,
                 expected_cash=0, report={"deposits": 50000, "deposit_refunds": 0}),
        ShiftRow(id="s2", terminal_id="t2", number=1, opened_at=at(DAY1, 9), opened_by=oleg,
                 opening_cash=0, closed_at=None, closed_by=None, counted_cash=None,
                 expected_cash=None, report=None),
        ShiftRow(id="s3", terminal_id="t1", number=2, opened_at=at(DAY2, 9), opened_by=oleg,
                 opening_cash=0, closed_at=at(DAY2, 21), closed_by=oleg, counted_cash=0,
                 expected_cash=0, report={"deposits": 0, "deposit_refunds": 10000}),
    ])  # fmt: skip
    sales = [  # id, terminal, closed at, guest, payments
        ("a", "t1", at(DAY1, 10), "g1", [("cash", 30000)]),
        ("b", "t1", at(DAY1, 12), None, [("card", 20000)]),
        ("c", "t2", at(DAY1, 23, 30), "g2", [("card", 10000), ("points", 5000)]),  # 20:30 UTC
        ("d", "t1", at(DAY2, 10), "g1", [("balance", 40000)]),
        ("e", "t1", at(DAY1, 8), None, [("cash", 1000)]),  # before any shift of t1
        ("x", "t1", at(DAY2 + timedelta(days=1), 0, 30), "g1", [("cash", 99900)]),  # Dec 3
    ]
    for sale_id, terminal, closed, guest, payments in sales:
        s.add(Sale(id=sale_id, terminal_id=terminal, op_id=sale_id, receipt_no=None,
                   guest_id=guest, opened_at=closed, closed_at=closed,
                   total=sum(a for _m, a in payments)))  # fmt: skip
    s.flush()
    for sale_id, _t, _c, _g, payments in sales:
        s.add_all(SalePayment(sale_id=sale_id, position=n, method=m, amount=a, hold_id=None)
                  for n, (m, a) in enumerate(payments, start=1))  # fmt: skip
    s.add(SaleRefundRow(refund_id="r1", sale_id="a", terminal_id="t1", refunded_at=at(DAY2, 11),
                        approved_by=oleg, total=30000, accrual_taken_back=0,
                        cashback_taken_back=0, at=at(DAY2, 11), by_method=None))  # fmt: skip
    s.add_all(
        [
            AccountRow(kind="points", id="g1", total=0, held=0),
            AccountRow(kind="points", id="g2", total=0, held=0),
            AccountRow(kind="money", id="g1", total=5000, held=0),
            AccountRow(kind="money", id="g2", total=-2000, held=0),
        ]
    )
    s.flush()
    postings = [  # kind of account, guest, kind, amount, total after, held after, at, reason
        ("points", "g1", "accrual", 3000, 3000, 0, at(DAY1, 10), "accrual for sale a"),
        ("points", "g2", "credit", 8000, 8000, 0, at(DAY1, 11), "welcome"),
        ("points", "g2", "debit", 5000, 3000, 0, at(DAY1, 23, 30), "sale c"),
        ("points", "g1", "hold", 1000, 3000, 1000, at(DAY2, 12), "hold"),
        ("money", "g1", "credit", 50000, 50000, 0, at(DAY1, 15), "top-up"),
        ("money", "g1", "debit", 40000, 10000, 0, at(DAY2, 10), "sale d"),
        ("money", "g1", "debit", 5000, 5000, 0, at(DAY2, 18), "deposit refund"),
        ("money", "g2", "debt", 2000, -2000, 0, at(DAY2, 19), "unpaid order"),
    ]
    s.add_all(PostingRow(account_kind=k, account_id=g, kind=kind, amount=a, total_after=t,
                         held_after=h, at=when, actor="test", terminal_id="t1", reason=r,
                         ref=None) for k, g, kind, a, t, h, when, r in postings)  # fmt: skip
    s.flush()
    s.get_one(AccountRow, ("points", "g1")).total = 3000
    s.get_one(AccountRow, ("points", "g1")).held = 1000
    s.get_one(AccountRow, ("points", "g2")).total = 3000
    s.add_all([
        OverdraftRow(account_kind="points", account_id="g2", amount=700, at=at(DAY2, 13),
                     reason="offline hold", ref="sale c", hold_id="h1"),
        OverdraftRow(account_kind="points", account_id="g1", amount=1,
                     at=at(date(2026, 11, 30), 23, 59),
                     reason="before the period", ref=None, hold_id=None),
        OverdraftRow(account_kind="money", account_id="g2", amount=2,
                     at=at(DAY2 + timedelta(days=1), 1), reason="after", ref=None, hold_id=None),
        RuleBreachRow(guest_id="g1", rule="daily_limit", amount=1,
                      at=at(DAY2 + timedelta(days=1), 1), terminal_id="t1", ref=None,
                      message="after the period"),
        RuleBreachRow(guest_id="g2", rule="offline_allowance", amount=700, at=at(DAY2, 13),
                      terminal_id="t2", ref="h1", message="beyond the allowance"),
        ReconciliationItemRow(at=at(DAY1, 12), kind="discount", sale_id="b", terminal_id="t1",
                              op_id="b", amount=500, message="till gave more", details={}),
        ReconciliationItemRow(at=at(DAY2, 12), kind="price", sale_id="d", terminal_id="t1",
                              op_id="d", amount=-100, message="done", details={},
                              resolved_at=at(DAY2, 13), resolved_by="cli:anna"),
    ])  # fmt: skip
    return {"ira": ira, "oleg": oleg}


def period() -> Period:
    return Period.of(DAY1, DAY2, MSK)


def test_a_period_is_business_days_in_the_venues_zone() -> None:
    p = period()
    assert p.start == datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
    assert p.end == datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
    for first, last in ((DAY2, DAY1), (DAY1, DAY1 + timedelta(days=400))):
        try:
            Period.of(first, last, MSK)
        except BadPeriod:
            continue
        raise AssertionError("accepted")


def test_sales_by_day_follow_the_venues_clock_not_utc(db_url: str) -> None:
    run(db_url, seed)
    report = run(db_url, lambda uow: service.sales(uow, period(), SalesBy.DAY))
    lines = {line.key: line for line in report.lines}
    assert list(lines) == ["2026-12-01", "2026-12-02"]  # sale x is on Dec 3: left out
    day1, day2 = lines["2026-12-01"], lines["2026-12-02"]
    # c closed 20:30 UTC on Dec 1 = 23:30 in Moscow: still Dec 1 there
    assert (day1.sales, day1.total, day1.refunds) == (4, 66000, 0)
    assert day1.paid == {"cash": 31000, "card": 30000, "balance": 0, "points": 5000}
    assert (day2.sales, day2.total, day2.refunds, day2.refunds_total, day2.net) == (
        1,
        40000,
        1,
        30000,
        10000,
    )  # the refund of Dec 1's sale a counts on Dec 2
    assert (report.totals.sales, report.totals.total, report.totals.net) == (5, 106000, 76000)


def test_sales_by_terminal_shift_and_cashier(db_url: str) -> None:
    ids = run(db_url, seed)
    by_terminal = run(db_url, lambda uow: service.sales(uow, period(), SalesBy.TERMINAL))
    assert [(x.label, x.sales, x.total, x.refunds_total) for x in by_terminal.lines] == [
        ("Till 1", 4, 91000, 30000),
        ("Till 2", 1, 15000, 0),
    ]
    by_shift = run(db_url, lambda uow: service.sales(uow, period(), SalesBy.SHIFT))
    assert [(x.key, x.label, x.sales, x.total, x.refunds) for x in by_shift.lines] == [
        ("s1", "Till 1 #1 (2026-12-01)", 2, 50000, 0),
        ("s3", "Till 1 #2 (2026-12-02)", 1, 40000, 1),
        ("s2", "Till 2 #1 (2026-12-01)", 1, 15000, 0),
        ("", "", 1, 1000, 0),
    ]  # e: before t1's shift
    by_staff = run(db_url, lambda uow: service.sales(uow, period(), SalesBy.STAFF))
    assert [(x.key, x.label, x.sales, x.total, x.refunds_total) for x in by_staff.lines] == [
        (ids["ira"], "Ira", 2, 50000, 0), (ids["oleg"], "Oleg", 2, 55000, 30000),
        ("", "", 1, 1000, 0)]  # fmt: skip
    assert by_staff.totals.total == by_shift.totals.total == by_terminal.totals.total == 106000


def test_overdrafts_breaches_and_reconciliation_of_the_period(db_url: str) -> None:
    run(db_url, seed)
    issues = run(db_url, lambda uow: service.money_issues(uow, period()))
    assert [(o.guest_id, o.amount, o.beyond_offline_allowance) for o in issues.overdrafts] == [
        ("g2", 700, True)
    ]  # 23:59 in Moscow on Nov 30 (20:59 UTC) is before the period, Dec 3's after it
    assert [(b.rule, b.guest_id, b.amount) for b in issues.breaches] == [
        ("offline_allowance", "g2", 700)
    ]
    open_items = run(db_url, lambda uow: service.reconciliation(uow, period()))
    assert [(i.sale_id, i.amount) for i in open_items] == [("b", 500)]
    every = run(db_url, lambda uow: service.reconciliation(uow, period(), include_resolved=True))
    assert [(i.sale_id, i.resolved_by) for i in every] == [("d", "cli:anna"), ("b", None)]
    day2 = Period.of(DAY2, DAY2, MSK)
    assert run(db_url, lambda uow: service.reconciliation(uow, day2)) == []


def test_deposits_by_day_and_in_the_shifts_z_reports(db_url: str) -> None:
    run(db_url, seed)
    report = run(db_url, lambda uow: service.deposits(uow, period()))
    assert [(d.day, d.top_ups, d.topped_up, d.debited, d.debts, d.change) for d in report.days] == [
        (DAY1, 1, 50000, 0, 0, 50000), (DAY2, 0, 0, 45000, 2000, -47000)]  # fmt: skip
    assert (report.totals.topped_up, report.totals.debited, report.totals.change) == (
        50000, 45000, 3000)  # fmt: skip
    assert [(s.terminal, s.number, s.taken, s.given_back) for s in report.shifts] == [
        ("Till 1", 1, 50000, 0), ("Till 1", 2, 0, 10000)]  # s2 is still open  # fmt: skip


def test_points_liability_at_the_start_and_end_of_the_period(db_url: str) -> None:
    run(db_url, seed)
    points, money = run(db_url, lambda uow: service.liability(uow, period()))
    assert (points.kind, points.start.total, points.end.total, points.change) == (
        "points", 0, 6000, 6000)  # fmt: skip
    assert (points.end.accounts, points.end.held, points.end.negative) == (2, 1000, 0)
    assert points.now == points.end  # the stored totals agree with the postings
    day1 = run(db_url, lambda uow: service.liability(uow, Period.of(DAY1, DAY1, MSK)))[0]
    assert day1.end.total == 3000 + 3000  # g1's accrual, g2's 8000 less the 5000 paid
    assert (money.end.accounts, money.end.total, money.end.negative) == (2, 3000, -2000)
    assert money.now == money.end


def test_top_guests_of_the_period(db_url: str) -> None:
    run(db_url, seed)
    top = run(db_url, lambda uow: service.top_guests(uow, period()))
    assert [(g.guest_id, g.name, g.sales, g.total) for g in top] == [
        ("g1", 'Анна "Кофе", VIP', 2, 70000),
        ("g2", "Boris", 1, 15000),
    ]  # x (Dec 3) is out
    assert [g.guest_id for g in run(db_url, lambda u: service.top_guests(u, period(), 1))] == [
        "g1"]  # fmt: skip


def test_a_reconciliation_item_is_resolved_once_and_audited(db_url: str) -> None:
    run(db_url, seed)
    item = run(db_url, lambda uow: service.reconciliation(uow, period()))[0]
    run(db_url, lambda uow: service.resolve_reconciliation(uow, item.id))
    assert run(db_url, lambda uow: service.reconciliation(uow, period())) == []
    every = run(db_url, lambda uow: service.reconciliation(uow, period(), include_resolved=True))
    assert [(i.sale_id, i.resolved_by, i.resolved_at) for i in every if i.id == item.id] == [
        ("b", "web:test", NOW)]  # fmt: skip
    entry = run(db_url, lambda uow: uow.audit.newest(1))[0]
    assert (entry.action, entry.actor, entry.target) == (
        "reconciliation.resolve", "web:test", f"reconciliation_item:{item.id}")  # fmt: skip
    assert entry.details["after"]["sale_id"] == "b"
    with pytest.raises(UnknownItem):
        run(db_url, lambda uow: service.resolve_reconciliation(uow, item.id))
