"""Cash shifts: open with a cash count, cash in/out, X report (running), Z report (closes).

API (plain frozen results; ``DomainError`` subclasses with cashier-readable messages)::

    shifts = ShiftService(uow_factory, clock, ids, staff_service)
    shifts.current()                                  # -> ShiftView | None
    shifts.open_shift(session, opening_cash)          # -> ShiftView; op ``shift.opened``
    shifts.cash_in(session, amount, reason)           # -> ShiftView
    shifts.cash_out(session, amount, reason)          # -> ShiftView (never below zero)
    shifts.x_report()                                 # -> ShiftReport (kind "X")
    shifts.close_shift(session, counted_cash, manager_pin=None, reason="")
                                                      # -> ShiftReport (kind "Z"); op
                                                      #    ``shift.closed``; OperationsWaiting
                                                      #    unless the outbox is empty or a
                                                      #    manager's PIN approves;
                                                      #    CashDifference while the count
                                                      #    differs and no reason is given
    report_lines(report, width=42)                    # -> [str] the printable report

The count is blind: the screen asks for the counted cash before it shows what was expected;
a count that differs is refused with the expected amount and the difference
(``CashDifference``) until the cashier confirms it with a reason, which the Z report and
``shift.closed`` carry (``difference_reason``), with every cash in / out (``movements``).
The reports name the till by its name (the ``terminal.name`` setting, which enrolment stores
from the server's answer; else its receipt prefix), never by its id.

Expected cash = opening cash + cash kept by closed sales (tendered minus change) - cash given
back by refunds (``refunds.py``) + cash in - cash out + cash deposit top-ups taken - those
given back (``deposits.py``: listed apart, never revenue); a cancelled sale handed its money back,
so it adds nothing. Refunds count cancelled sales that had taken money and refunded closed
sales (all parts: cash, card, balance, points); points given back by refunds are not counted as
spent, and a refunded sale's accrual estimate drops by the refunded share. Sales belong to a shift
by time: those of this till that ended while it was open. Points spent are the points payments;
points earned is the till's estimate (``payments.accrual_estimate``; the server posts the real
accrual). Closing a shift with operations still waiting in the outbox warns and needs a manager
(DESIGN.md: sales lost before sync are the field's top complaint).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money, require_amount
from pos_app.domain.operations import CashMove, ShiftClosed, ShiftOpened
from pos_app.domain.refunds import accrual_left
from pos_app.domain.venue_clock import local_time, shop_zone
from pos_app.services.loyalty_settings import accrual_estimate_for
from pos_app.services.ports import Clock, IdGenerator, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_till import CashMovement, SaleRecord, ShiftRecord
from pos_app.services.staff import Action, Authorization, StaffService, StaffSession
from pos_app.services.venue_time import venue_zone_name

METHODS = ("cash", "card", "balance", "points")


class ShiftAlreadyOpen(DomainError):
    code = "shift_already_open"


class NoOpenShift(DomainError):
    code = "no_open_shift"


class NotEnoughCash(DomainError):
    code = "not_enough_cash"


class OperationsWaiting(DomainError):
    code = "operations_waiting"


class CashDifference(DomainError):
    """The count differs from the expected cash: confirm with a reason (details: expected,
    counted, difference)."""

    code = "cash_difference"


TERMINAL_NAME_KEY = "terminal.name"


@dataclass(frozen=True, slots=True)
class ShiftView:
    shift_id: str
    number: int
    opened_at: datetime
    opened_by: str
    opening_cash: int
    cash_in: int
    cash_out: int
    expected_cash: int


@dataclass(frozen=True, slots=True)
class ShiftReport:
    kind: str  # "X" (running) | "Z" (closes the shift)
    shift_id: str
    number: int
    terminal_id: str
    opened_at: datetime
    opened_by: str
    at: datetime
    closed_by: str | None
    opening_cash: int
    cash_in: int
    cash_out: int
    sales_count: int
    sales_total: int
    by_method: tuple[tuple[str, int], ...]
    discounts: int
    refunds_count: int
    refunds_total: int
    points_spent: int
    points_earned_estimate: int
    expected_cash: int
    counted_cash: int | None
    difference: int | None  # counted - expected
    pending_operations: int
    authorized_by: str | None = None
    opened_by_name: str = ""
    closed_by_name: str = ""
    timezone: str = "UTC"  # the shop's zone (services/venue_time.py), for the printed report
    terminal_name: str = ""
    movements: tuple[CashMovement, ...] = ()
    difference_reason: str = ""
    # guest orders this till completed unpaid in the shift (their total is the guest's debt,
    # issue 20): how many, and how much
    orders_debt_count: int = 0
    orders_debt_total: int = 0
    # deposit top-ups (services/deposits.py): money put on guests' balance accounts, not
    # revenue; (method, amount) taken and given back in this shift
    deposits: tuple[tuple[str, int], ...] = ()
    deposits_count: int = 0
    deposit_refunds: tuple[tuple[str, int], ...] = ()

    def as_operation(self, approval: Authorization | None) -> ShiftClosed:
        """The Z report as ``shift.closed``; ``approval``: a manager's, to close with
        operations still waiting."""
        assert self.closed_by is not None and self.counted_cash is not None
        assert self.difference is not None
        return ShiftClosed(
            shift_id=self.shift_id, number=self.number, terminal_id=self.terminal_id,
            opened_at=self.opened_at, closed_at=self.at,
            opened_by=self.opened_by, closed_by=self.closed_by,
            opening_cash=self.opening_cash, cash_in=self.cash_in,
            cash_out=self.cash_out, sales_count=self.sales_count,
            sales_total=self.sales_total, by_method=dict(self.by_method),
            discounts=self.discounts, refunds_count=self.refunds_count,
            refunds_total=self.refunds_total, points_spent=self.points_spent,
            expected_cash=self.expected_cash, counted_cash=self.counted_cash,
            difference=self.difference, pending_operations=self.pending_operations,
            authorized_by=self.authorized_by,
            authorization=approval.as_approval() if approval else None,
            movements=tuple(CashMove(kind=m.kind, amount=m.amount, reason=m.reason, at=m.at,
                                     staff_id=m.staff_id) for m in self.movements),
            difference_reason=self.difference_reason,
            deposits=sum(a for _, a in self.deposits),
            deposit_refunds=sum(a for _, a in self.deposit_refunds),
        )  # fmt: skip


OrderDebts = Callable[[str, datetime, datetime], tuple[int, int]]  # (terminal, since, until)


def no_order_debts(terminal_id: str, since: datetime, until: datetime) -> tuple[int, int]:
    """A till without the orders tab completes no guest orders: nothing owed."""
    return 0, 0


class ShiftService:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, staff: StaffService,
        order_debts: OrderDebts = no_order_debts,
    ) -> None:  # fmt: skip
        """``order_debts``: the guest orders this till completed unpaid (a till with the
        orders tab: ``SqlOrderCache.debts_by``; ``no_order_debts`` without orders)."""
        self._uow = uow_factory
        self._clock = clock
        self._ids = ids
        self._staff = staff
        self._debts = order_debts

    def _with_debts(self, report: ShiftReport) -> ShiftReport:
        count, total = self._debts(report.terminal_id, report.opened_at, report.at)
        return replace(report, orders_debt_count=count, orders_debt_total=total)

    def current(self) -> ShiftView | None:
        with self._uow(durable=False) as uow:
            shift = uow.shifts.current(uow.terminal.info().terminal_id)
            return None if shift is None else _view(uow, shift)

    def open_shift(self, session: StaffSession, opening_cash: int) -> ShiftView:
        self._staff.require(session, Action.OPEN_SHIFT)
        require_amount(opening_cash, "opening cash")
        with self._uow() as uow:
            terminal_id = uow.terminal.info().terminal_id
            if (open_ := uow.shifts.current(terminal_id)) is not None:
                raise ShiftAlreadyOpen(
                    f"Shift {open_.number} is still open; close it first.", number=open_.number
                )
            shift = ShiftRecord(self._ids.new_id(), terminal_id,
                                uow.shifts.last_number(terminal_id) + 1, self._clock.now(),
                                session.staff_id, opening_cash)  # fmt: skip
            uow.shifts.save(shift)
            uow.outbox.append(ShiftOpened(
                shift_id=shift.shift_id, terminal_id=terminal_id, number=shift.number,
                opened_at=shift.opened_at, opened_by=session.staff_id,
                opening_cash=opening_cash))  # fmt: skip
            view = _view(uow, shift)
            uow.commit()
            return view

    def cash_in(self, session: StaffSession, amount: int, reason: str = "") -> ShiftView:
        return self._move(session, "in", amount, reason)

    def cash_out(self, session: StaffSession, amount: int, reason: str = "") -> ShiftView:
        return self._move(session, "out", amount, reason)

    def _move(self, session: StaffSession, kind: str, amount: int, reason: str) -> ShiftView:
        self._staff.require(session, Action.CASH_IN_OUT)
        require_amount(amount, "amount", allow_zero=False)
        with self._uow() as uow:
            shift = _open_shift(uow)
            if kind == "out" and amount > (in_drawer := _view(uow, shift).expected_cash):
                raise NotEnoughCash(
                    f"Only {format_money(in_drawer)} should be in the drawer; "
                    f"{format_money(amount)} cannot be taken out.",
                    expected=in_drawer, amount=amount,
                )  # fmt: skip
            uow.shifts.add_movement(
                CashMovement(
                    shift.shift_id,
                    kind,
                    amount,
                    reason.strip(),
                    self._clock.now(),
                    session.staff_id,
                )
            )
            view = _view(uow, shift)
            uow.commit()
            return view

    def x_report(self) -> ShiftReport:
        with self._uow(durable=False) as uow:
            report = _report(uow, _open_shift(uow), "X", self._clock.now())
        return self._with_debts(report)  # its own read, after this one

    def close_shift(
        self, session: StaffSession, counted_cash: int, manager_pin: str | None = None,
        reason: str = "",
    ) -> ShiftReport:  # fmt: skip
        """The Z report: count the drawer, close the shift, queue ``shift.closed``."""
        self._staff.require(session, Action.CLOSE_SHIFT)
        require_amount(counted_cash, "counted cash")
        reason = reason.strip()[:200]
        approval: Authorization | None = None
        if manager_pin is not None:
            approval = self._staff.authorize_manager(manager_pin, Action.CLOSE_SHIFT_WITH_PENDING)
        with self._uow() as uow:
            shift = _open_shift(uow)
            waiting = uow.outbox.pending(limit=10_000)
            if waiting and approval is None:
                raise _waiting(waiting[0].created_at, len(waiting))
            expected = _view(uow, shift).expected_cash
            if counted_cash != expected and not reason:
                raise _difference(expected, counted_cash)
            now = self._clock.now()
            report = _report(uow, shift, "Z", now, counted=counted_cash,
                             closed_by=session.staff_id,
                             authorized_by=approval.staff_id if approval else None,
                             reason=reason if counted_cash != expected else "")  # fmt: skip
            uow.shifts.save(ShiftRecord(
                shift.shift_id, shift.terminal_id, shift.number, shift.opened_at,
                shift.opened_by, shift.opening_cash, now, session.staff_id, counted_cash,
                report.expected_cash))  # fmt: skip
            uow.outbox.append(report.as_operation(approval))
            uow.commit()
        return self._with_debts(report)  # read after the commit (the cache is its own read)


def _waiting(oldest: datetime, count: int) -> OperationsWaiting:
    return OperationsWaiting(
        f"{count} operation{'s have' if count != 1 else ' has'} not reached the server yet "
        f"(the oldest from {oldest:%H:%M} UTC). Wait for the connection, or close the shift "
        "with a manager's PIN.", count=count, oldest=oldest.isoformat(),
    )  # fmt: skip


def _difference(expected: int, counted: int) -> CashDifference:
    diff = counted - expected
    word = "short" if diff < 0 else "over"
    return CashDifference(
        f"Counted {format_money(counted)}, expected {format_money(expected)}: "
        f"{format_money(abs(diff))} {word}. Confirm with a reason to close the shift.",
        expected=expected, counted=counted, difference=diff,
    )  # fmt: skip


def terminal_name(uow: UnitOfWork) -> str:
    """The till's name for people: the ``terminal.name`` setting, else its receipt prefix."""
    name = uow.settings.get(TERMINAL_NAME_KEY)
    return str(name).strip() if name and str(name).strip() else uow.terminal.info().receipt_prefix


def _open_shift(uow: UnitOfWork) -> ShiftRecord:
    shift = uow.shifts.current(uow.terminal.info().terminal_id)
    if shift is None:
        raise NoOpenShift("No shift is open on this till; open one with a cash count first.")
    return shift


def _cash_kept(sales: Sequence[SaleRecord]) -> int:
    return sum(p.amount for s in sales if s.status == "closed" for p in s.payments
               if p.method == "cash")  # fmt: skip


def _movements(uow: UnitOfWork, shift: ShiftRecord) -> tuple[int, int]:
    moves = uow.shifts.movements(shift.shift_id)
    return (sum(m.amount for m in moves if m.kind == "in"),
            sum(m.amount for m in moves if m.kind == "out"))  # fmt: skip


def _deposits(uow: UnitOfWork, shift: ShiftRecord
              ) -> tuple[dict[str, int], int, dict[str, int]]:  # fmt: skip
    """(taken by method, how many, given back by method) of this shift's deposit top-ups."""
    taken, count, back = {"cash": 0, "card": 0}, 0, {"cash": 0, "card": 0}

    def inside(at: datetime | None) -> bool:
        return at is not None and at >= shift.opened_at and (
            shift.closed_at is None or at < shift.closed_at)  # fmt: skip

    for t in uow.shifts.top_ups(shift.opened_at, shift.closed_at):
        if inside(t.at):
            taken[t.method] = taken.get(t.method, 0) + t.amount
            count += 1
        if inside(t.refunded_at):
            back[t.method] = back.get(t.method, 0) + t.amount
    return taken, count, back


def _view(uow: UnitOfWork, shift: ShiftRecord) -> ShiftView:
    cash_in, cash_out = _movements(uow, shift)
    sales = uow.shifts.ended_sales(shift.terminal_id, shift.opened_at, shift.closed_at)
    refunded = sum(r.cash for r in uow.shifts.refunds(shift.opened_at, shift.closed_at))
    taken, _count, back = _deposits(uow, shift)
    expected = (shift.opening_cash + _cash_kept(sales) - refunded + cash_in - cash_out
                + taken["cash"] - back["cash"])  # fmt: skip
    return ShiftView(shift.shift_id, shift.number, shift.opened_at, shift.opened_by,
                     shift.opening_cash, cash_in, cash_out, expected)  # fmt: skip


def _report(
    uow: UnitOfWork, shift: ShiftRecord, kind: str, now: datetime, *,
    counted: int | None = None, closed_by: str | None = None, authorized_by: str | None = None,
    reason: str = "",
) -> ShiftReport:  # fmt: skip
    sales = uow.shifts.ended_sales(shift.terminal_id, shift.opened_at)
    closed = [s for s in sales if s.status == "closed"]
    refunds = [s for s in sales if s.status == "cancelled" and any(p.amount for p in s.payments)]
    given_back = uow.shifts.refunds(shift.opened_at)  # closed sales refunded in this shift
    refunded_of: dict[str, int] = {}
    for r in given_back:
        refunded_of[r.sale_id] = refunded_of.get(r.sale_id, 0) + r.total
    by_method = dict.fromkeys(METHODS, 0)
    for sale in closed:
        for p in sale.payments:
            by_method[p.method] = by_method.get(p.method, 0) + p.amount
    view = _view(uow, shift)
    taken, deposits_count, back = _deposits(uow, shift)
    return ShiftReport(
        kind, shift.shift_id, shift.number, shift.terminal_id, shift.opened_at,
        shift.opened_by, now, closed_by, shift.opening_cash, view.cash_in, view.cash_out,
        len(closed), sum(s.total for s in closed), tuple(by_method.items()),
        sum(s.discount for s in closed), len(refunds) + len(given_back),
        sum(p.amount for s in refunds for p in s.payments) + sum(r.total for r in given_back),
        by_method["points"] - sum(r.points for r in given_back),
        sum(_earned_left(accrual_estimate_for(uow, s), s.total, refunded_of.get(s.sale_id, 0))
            for s in closed),
        view.expected_cash, counted,
        None if counted is None else counted - view.expected_cash,
        len(uow.outbox.pending(limit=10_000)), authorized_by,
        _name(uow, shift.opened_by), _name(uow, closed_by),
        venue_zone_name(uow), terminal_name(uow),
        tuple(uow.shifts.movements(shift.shift_id)), reason,
        deposits=tuple(taken.items()), deposits_count=deposits_count,
        deposit_refunds=tuple(back.items()),
    )  # fmt: skip


def _earned_left(estimate: int, total: int, refunded: int) -> int:
    """A sale's accrual estimate less the share its refunds took back (``domain/refunds``)."""
    return estimate - accrual_left(estimate, total, 0, refunded)


def _name(uow: UnitOfWork, staff_id: str | None) -> str:
    staff = uow.staff.get(staff_id) if staff_id else None
    return staff.name if staff else (staff_id or "")


_NAMES = {"cash": "Наличные", "card": "Карта", "balance": "Депозит", "points": "Баллы"}


def report_lines(report: ShiftReport, width: int = 42) -> list[str]:
    """The report as printable lines (Russian, like the receipts), ``width`` characters.

    The expected cash is printed on the Z report only, next to what was counted: an X report
    in the middle of the shift would otherwise tell the cashier the figure the blind count at
    the close is meant to find on its own."""

    def row(label: str, amount: int | str, currency: str = "₽") -> str:
        value = amount if isinstance(amount, str) else format_money(amount, currency)
        return f"{label}{value:>{max(width - len(label), 1)}}"

    zone = shop_zone(report.timezone)
    opened = local_time(report.opened_at, zone)  # as the till's clock shows it
    at = local_time(report.at, zone)
    title = "X-ОТЧЁТ (без закрытия смены)" if report.kind == "X" else "Z-ОТЧЁТ (закрытие смены)"
    lines = [title.center(width),
             f"Смена № {report.number}, касса {report.terminal_name or report.terminal_id}",
             f"Открыта {opened:%d.%m.%Y %H:%M}",
             f"  {report.opened_by_name or report.opened_by}",
             f"{'Закрыта' if report.kind == 'Z' else 'На момент'} {at:%d.%m.%Y %H:%M}",
             "-" * width, row("Продаж", str(report.sales_count)),
             row("Выручка", report.sales_total)]  # fmt: skip
    lines += [row(f"  {_NAMES.get(m, m)}", amount) for m, amount in report.by_method]
    lines += [row("Скидки", report.discounts),
              row(f"Возвраты ({report.refunds_count})", report.refunds_total),
              row("Списано баллов", report.points_spent, "б."),
              row("Начислится (оценка)", report.points_earned_estimate, "б."),
              *([row(f"Долг гостей по заказам ({report.orders_debt_count})",
                     report.orders_debt_total)] if report.orders_debt_count else [])]  # fmt: skip
    lines += _deposit_lines(report, row)
    lines += ["-" * width, row("Наличные на начало", report.opening_cash),
              row("Внесено", report.cash_in), row("Изъято", report.cash_out)]  # fmt: skip
    for move in report.movements:
        sign = "+" if move.kind == "in" else "-"
        label = f"  {local_time(move.at, zone):%H:%M} {move.reason}"[: width - 14]
        lines.append(row(label, f"{sign}{format_money(move.amount)}"))
    if report.kind == "Z":  # the count is blind: the X report never says what should be there
        lines.append(row("Ожидается в кассе", report.expected_cash))
    if report.counted_cash is not None and report.difference is not None:
        lines += [row("Пересчитано", report.counted_cash),
                  row("Расхождение", f"{'+' if report.difference > 0 else ''}"
                                     f"{format_money(report.difference)}")]  # fmt: skip
        if report.difference_reason:
            lines.append(f"Причина: {report.difference_reason}"[: width * 2])
    if report.kind == "Z" and report.closed_by:
        lines.append(f"Закрыл(а): {report.closed_by_name or report.closed_by}")
    if report.pending_operations:
        lines.append(f"Не отправлено на сервер: {report.pending_operations}")
    return lines


def _deposit_lines(report: ShiftReport, row: Callable[[str, int], str]) -> list[str]:
    """Deposit top-ups apart from the revenue (they are advances, not sales)."""
    taken, back = dict(report.deposits), dict(report.deposit_refunds)
    if not report.deposits_count and not any(back.values()):
        return []
    lines = [row(f"Депозиты, не выручка ({report.deposits_count})", sum(taken.values()))]
    lines += [row(f"  {_NAMES.get(m, m)}", amount) for m, amount in report.deposits]
    if any(back.values()):
        lines.append(row("Возвраты депозитов", sum(back.values())))
        lines += [row(f"  {_NAMES.get(m, m)}", a) for m, a in report.deposit_refunds if a]
    return lines
