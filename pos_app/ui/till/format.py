"""Money as the till shows it (``12 500,00 ₽``); amounts typed by the cashier."""

from __future__ import annotations

from pos_app.domain.errors import DomainError
from pos_app.domain.money import format_money, parse_money


def money(kopecks: int | None) -> str:
    return "—" if kopecks is None else format_money(kopecks)


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
