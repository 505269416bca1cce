"""Money and points as the till shows them (``12 500,00 ₽``, ``860,00 pts`` / ``860,00 б.``);
amounts typed by the cashier.

Points are counted like money (1 point = 1 rouble, hundredths in kopecks) but are never shown
with the rouble sign: everywhere - screen, receipts, shift reports - a points figure carries
the points unit (Russian "б.", баллы), so a guest's points are not read as their deposit.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money, parse_money


def money(kopecks: int | None) -> str:
    return "—" if kopecks is None else format_money(kopecks)


def plain(kopecks: int) -> str:
    """An amount without the currency sign (table cells whose header names the currency)."""
    return format_money(kopecks, currency="")


def points(hundredths: int | None) -> str:
    """Points with the points unit, never the rouble sign."""
    if hundredths is None:
        return "—"
    return QCoreApplication.translate("Format", "%1 pts").replace("%1", plain(hundredths))


def parse_amount(text: str) -> int | None:
    """Kopecks for ``text`` as a cashier types it, or ``None`` if it is not an amount."""
    try:
        value = parse_money(text.strip())
    except DomainError:
        return None
    return value if value >= 0 else None


def percent_of_bp(bp: int) -> str:
    whole, rest = divmod(bp, 100)
    return f"{whole} %" if not rest else f"{whole},{rest:02d} %".replace(",00", "")
