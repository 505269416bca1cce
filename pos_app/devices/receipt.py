"""Render a receipt from a template in ``pos_app/resources/receipts/`` for 32, 42 or 48 columns.

The till builds a :class:`ReceiptData` (plain data, amounts in kopecks) and the print queue
renders it with the printer's column count into printer-neutral operations. Wording and
order live in the template, so a venue can change them without touching code; the syntax is
described at the top of ``receipt.tpl``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pos_app.devices.print_document import (
    Align,
    Cut,
    DrawerKick,
    Feed,
    PrintOp,
    Qr,
    StoredLogo,
    Text,
)
from pos_app.domain.money import format_money
from pos_app.domain.venue_clock import DEFAULT_SHOP_TIMEZONE
from pos_app.resources import receipts_dir

SUPPORTED_COLUMNS = (32, 42, 48)
_FIELD = re.compile(r"\{(\w+)\}")
_STYLE = re.compile(r"^<([a-z ]*)>")


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price: int
    total: int
    discount: int = 0
    quantity_text: str = ""  # e.g. "0,350 кг" for goods sold by weight
    details: tuple[str, ...] = ()  # printed under the line: a bundle's parts


@dataclass(frozen=True)
class ReceiptDiscount:
    name: str
    amount: int


@dataclass(frozen=True)
class ReceiptPayment:
    method: str
    amount: int


@dataclass(frozen=True)
class ReceiptData:
    """Everything a receipt shows; amounts and points in hundredths (kopecks)."""

    number: str
    printed_at: datetime
    venue_name: str
    lines: tuple[ReceiptLine, ...]
    total: int
    subtotal: int = 0
    discount_total: int = 0
    discounts: tuple[ReceiptDiscount, ...] = ()
    payments: tuple[ReceiptPayment, ...] = ()  # one per method (``layout.receipt_for``)
    tendered: int = 0  # cash handed over, all parts together
    change: int = 0
    points_spent: int = 0
    points_earned: int = 0
    points_balance: int | None = None
    venue_address: str = ""
    tax_id: str = ""
    header: str = ""  # the venue's receipt header (the back office), under its name
    cashier: str = ""
    guest_name: str = ""
    guest_card: str = ""
    qr: str = ""
    # seed 003: the buyer is not subscribed to the venue's messenger: their one-time link
    subscribe_link: str = ""
    footer: str = ""
    copy_label: str = ""
    closing: str = "Спасибо за покупку!"  # the last line; a refund says something else
    logo_key: int | None = None
    kick_drawer: bool = False
    timezone: str = DEFAULT_SHOP_TIMEZONE  # the shop's zone (services/venue_time.py)
    order_number: str = ""  # the guest order the sale pays ("A-017"; issue 20)


_MONEY_FIELDS = {"total", "subtotal", "discount_total", "change", "tendered"}
_POINTS_FIELDS = {"points_spent", "points_earned", "points_balance"}
POINTS_UNIT = "б."  # баллы: the points unit of the screen, the receipts and the reports


def money(kopecks: int) -> str:
    """Receipt money: no currency sign (missing from printer code pages), plain spaces."""
    return format_money(kopecks, currency="").replace("\u00a0", " ")


def _fields(data: ReceiptData) -> tuple[dict[str, Any], dict[str, str]]:
    raw = {f.name: getattr(data, f.name) for f in fields(data)}
    shown = {k: ("" if v is None else str(v)) for k, v in raw.items()}
    for name in _MONEY_FIELDS:
        if raw[name] is not None:
            shown[name] = money(raw[name])
    for name in _POINTS_FIELDS:
        if raw[name] is not None:
            shown[name] = f"{money(raw[name])} {POINTS_UNIT}"
    local = data.printed_at.astimezone(ZoneInfo(data.timezone))
    shown["printed_at"] = local.strftime("%d.%m.%Y %H:%M")
    return raw, shown


def two_columns(label: str, value: str, width: int) -> list[str]:
    """Label left, value right; the label wraps when both do not fit on one line."""
    if len(label) + 1 + len(value) <= width:
        return [label + " " * (width - len(label) - len(value)) + value]
    wrapped = textwrap.wrap(label, width) or [""]
    last = wrapped[-1]
    if len(last) + 1 + len(value) <= width:
        return [*wrapped[:-1], last + " " * (width - len(last) - len(value)) + value]
    return [*wrapped, value.rjust(width)[-width:]]


class ReceiptRenderer:
    """Turns ReceiptData into print operations following one template file."""

    def __init__(self, columns: int = 48, template: Path | None = None) -> None:
        if columns not in SUPPORTED_COLUMNS:
            raise ValueError(f"receipts are laid out for {SUPPORTED_COLUMNS} columns")
        self.columns = columns
        path = template or receipts_dir() / "receipt.tpl"
        self.template = [
            line.rstrip("\n")
            for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]

    def render(self, data: ReceiptData) -> list[PrintOp]:
        raw, shown = _fields(data)
        ops: list[PrintOp] = []
        for template_line in self.template:
            optional = template_line.startswith("?")
            line = template_line.removeprefix("?")
            names = _FIELD.findall(line)
            if optional and names and all(raw.get(n) in ("", 0, None) for n in names):
                continue
            ops.extend(self._line(line, data, shown))
        return ops

    def _line(self, line: str, data: ReceiptData, shown: dict[str, str]) -> list[PrintOp]:
        match = _STYLE.match(line)
        styles = set(match.group(1).split()) if match else set()
        body = line[match.end() :] if match else line
        align = Align.LEFT
        if "center" in styles or "right" in styles:
            align = Align.CENTER if "center" in styles else Align.RIGHT
        bold, double = "bold" in styles, "double" in styles
        width = self.columns // 2 if double else self.columns
        text = _FIELD.sub(lambda m: shown.get(m.group(1), m.group(0)), body)
        if body.startswith("@"):
            directive, _, args = text[1:].partition(" ")
            return self._block(directive, args, data, width=width, bold=bold, double=double)
        return [Text(part, align, bold, double) for chunk in text.split("\n")
                for part in textwrap.wrap(chunk, width) or [""]]  # fmt: skip

    def _block(
        self, name: str, args: str, data: ReceiptData, *, width: int, bold: bool, double: bool
    ) -> list[PrintOp]:
        if name == "row":
            label, _, value = args.partition("|")
            return [Text(t, Align.LEFT, bold, double) for t in two_columns(label, value, width)]
        blocks: dict[str, Callable[[], list[PrintOp]]] = {
            "rule": lambda: [Text("-" * self.columns)],
            "lines": lambda: self._items(data),
            "discounts": lambda: self._rows(
                (d.name, "-" + money(d.amount)) for d in data.discounts
            ),
            "payments": lambda: self._rows((p.method, money(p.amount)) for p in data.payments),
            "cash": lambda: self._cash(args, data),
            "qr": lambda: [Qr(data.qr)] if data.qr else [],
            "subscribe": lambda: [Qr(data.subscribe_link)] if data.subscribe_link else [],
            "logo": lambda: [StoredLogo(data.logo_key)] if data.logo_key is not None else [],
            "cut": lambda: [Cut()],
            "drawer": lambda: [DrawerKick()] if data.kick_drawer else [],
            "feed": lambda: [Feed(int(args or "1"))],
        }
        if name not in blocks:
            raise ValueError(f"unknown receipt template block @{name}")
        return blocks[name]()

    def _cash(self, args: str, data: ReceiptData) -> list[PrintOp]:
        """``@cash Received|Change``: both rows whenever cash was handed over (change 0 too)."""
        if not data.tendered:
            return []
        received, _, change = args.partition("|")
        return self._rows([(received, money(data.tendered)), (change, money(data.change))])

    def _rows(self, rows: Iterable[tuple[str, str]]) -> list[PrintOp]:
        return [Text(t) for label, value in rows for t in two_columns(label, value, self.columns)]

    def _items(self, data: ReceiptData) -> list[PrintOp]:
        ops: list[PrintOp] = []
        for item in data.lines:
            ops.extend(Text(t) for t in textwrap.wrap(item.name, self.columns) or [""])
            qty = item.quantity_text or str(item.quantity)
            ops.extend(self._rows([(f"  {qty} x {money(item.unit_price)}", money(item.total))]))
            for detail in item.details:
                ops.extend(Text(t) for t in textwrap.wrap(detail, self.columns,
                                                          subsequent_indent="    "))  # fmt: skip
            if item.discount:
                ops.extend(self._rows([("  скидка", "-" + money(item.discount))]))
        return ops


def render_receipt(data: ReceiptData, columns: int = 48) -> list[PrintOp]:
    return ReceiptRenderer(columns).render(data)
