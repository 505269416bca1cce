"""Printed slips of the guest card (issue 17): a deposit top-up, its refund, and a manager's
credit or debit of points or money - plain lines in Russian, like the shift reports, printed
through the till's ``ReportPrinter`` (the print queue: they wait there while the printer is
down, like receipts).

A slip states the balance after as the till expects it (its cached balance and what it has
not delivered yet): the server's figure arrives through the feed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money
from pos_app.domain.venue_clock import local_time, shop_zone
from pos_app.services.report_printer import ReportPrinter

_METHOD = {"cash": "Наличные", "card": "Банковская карта"}
_ACCOUNT = {"points": ("баллы", "б."), "money": ("депозит", "₽")}


@dataclass(frozen=True, slots=True)
class SlipHeader:
    """Where and when: the till's name, the shop's zone, who did it, the guest."""

    terminal_name: str
    timezone: str
    at: datetime
    staff_name: str
    guest_name: str


def _row(label: str, value: str, width: int) -> str:
    return f"{label}{value:>{max(width - len(label), 1)}}"


def _head(title: str, header: SlipHeader, width: int) -> list[str]:
    at = local_time(header.at, shop_zone(header.timezone))
    return [title.center(width), f"Касса {header.terminal_name}", f"{at:%d.%m.%Y %H:%M}",
            "-" * width, f"Гость: {header.guest_name}"[: width * 2]]  # fmt: skip


def top_up_slip(header: SlipHeader, *, method: str, amount: int, tendered: int, change: int,
                balance_after: int, refund: bool = False, reason: str = "",
                width: int = 42) -> list[str]:  # fmt: skip
    """A deposit top-up (or its refund): what was paid in (given back), how, and the deposit
    after; the last line says it is not a sale."""
    title = "ВОЗВРАТ ПОПОЛНЕНИЯ ДЕПОЗИТА" if refund else "ПОПОЛНЕНИЕ ДЕПОЗИТА"
    lines = _head(title, header, width)
    how = _METHOD.get(method, method)
    lines += [_row("Сумма", format_money(amount), width),
              _row("Выдано" if refund else "Оплата", how, width)]  # fmt: skip
    if method == "cash" and not refund and tendered:
        lines += [_row("  Получено", format_money(tendered), width),
                  _row("  Сдача", format_money(change), width)]  # fmt: skip
    if reason:
        lines.append(f"Причина: {reason}"[: width * 2])
    lines += [_row("Депозит после", format_money(balance_after), width), "-" * width,
              f"{'Вернул(а)' if refund else 'Принял(а)'}: {header.staff_name}",
              "Не является продажей (аванс на депозит)."[:width]]  # fmt: skip
    return lines


def adjustment_slip(header: SlipHeader, *, account: str, direction: str, amount: int,
                    reason: str, balance_after: int, width: int = 42) -> list[str]:  # fmt: skip
    """A manager's credit or debit (seed 002 «Зачислить / Списать»)."""
    name, unit = _ACCOUNT[account]
    title = ("ЗАЧИСЛЕНИЕ" if direction == "credit" else "СПИСАНИЕ") + f": {name}"
    sign = "+" if direction == "credit" else "-"
    lines = _head(title.upper(), header, width)
    lines += [_row("Сумма", f"{sign}{format_money(amount, unit)}", width),
              f"Причина: {reason}"[: width * 2],
              _row("Остаток после", format_money(balance_after, unit), width), "-" * width,
              f"Менеджер: {header.staff_name}"]  # fmt: skip
    return lines


def print_slip(printer: ReportPrinter | None, lines: Sequence[str], title: str, *,
               kick_drawer: bool = False) -> bool:  # fmt: skip
    """Queue a slip on the till's printer; False when there is none or it refused (the
    change itself stands; the screen says the slip was not printed)."""
    if printer is None or not printer.available:
        return False
    try:
        printer.print_report(lines, title, kick_drawer=kick_drawer)
    except DomainError:
        return False
    return True
