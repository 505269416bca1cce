"""Money is an ``int`` of kopecks; percentages are ``Percent`` in basis points.

The one rounding rule (see docs/domain.md): a percentage of an amount is rounded to the
nearest kopeck, halves away from zero (``ROUND_HALF_UP`` as a shop clerk does it). When one
amount must be split over several lines (an order discount over its lines) the parts are
allocated by the largest-remainder method, so they always add up to the whole exactly.
Floats never touch money.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pos_app.domain.errors import InvalidAmount, InvalidPercent

KOPECKS_PER_ROUBLE = 100
BASIS_POINTS = 10_000  # 100 % == 10 000 bp

_PERCENT_RE = re.compile(r"^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*%?\s*$")
_ROUBLES_RE = re.compile(r"^\s*(-)?(\d{1,12})(?:[.,](\d{1,2}))?\s*$")


def rub(roubles: int, kopecks: int = 0) -> int:
    """Kopecks for a whole-rouble figure: ``rub(12_500) == 1_250_000``."""
    return roubles * KOPECKS_PER_ROUBLE + kopecks


def _round_half_up_div(numerator: int, denominator: int) -> int:
    """Integer division rounded to nearest, halves away from zero."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((2 * n + d) // (2 * d))


@dataclass(frozen=True, order=True, slots=True)
class Percent:
    """A percentage in basis points (1 % = 100 bp), between 0 % and 100 %."""

    bp: int

    def __post_init__(self) -> None:
        if not isinstance(self.bp, int) or isinstance(self.bp, bool):
            raise InvalidPercent("A percentage must be a whole number of basis points.")
        if not 0 <= self.bp <= BASIS_POINTS:
            raise InvalidPercent(
                f"A percentage must be between 0 and 100, not {self.bp / 100:g}.",
                bp=self.bp,
            )

    @classmethod
    def of(cls, whole: int, hundredths: int = 0) -> Percent:
        """``Percent.of(15)`` is 15 %, ``Percent.of(2, 50)`` is 2.5 %."""
        return cls(whole * 100 + hundredths)

    @classmethod
    def parse(cls, text: str) -> Percent:
        """Parse ``"15"``, ``"2,5"``, ``"12.75 %"`` as typed by a person."""
        m = _PERCENT_RE.match(text)
        if not m:
            raise InvalidPercent(f"{text!r} is not a percentage.", text=text)
        frac = (m.group(2) or "0").ljust(2, "0")
        return cls(int(m.group(1)) * 100 + int(frac))

    def apply(self, amount: int) -> int:
        """This percentage of ``amount`` kopecks, by the one rounding rule."""
        return _round_half_up_div(amount * self.bp, BASIS_POINTS)

    def __str__(self) -> str:
        whole, frac = divmod(self.bp, 100)
        return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}".rstrip("0") + "%"


ZERO_PERCENT = Percent(0)


def require_amount(amount: int, what: str = "amount", *, allow_zero: bool = True) -> int:
    """Guard for amounts coming from outside: an ``int``, not negative."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise InvalidAmount(f"The {what} must be a whole number of kopecks.", what=what)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidAmount(f"The {what} must be positive.", what=what, amount=amount)
    return amount


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` kopecks in proportion to ``weights`` so the parts sum to ``total``.

    Largest-remainder method; ties go to the earlier weight, so the result is deterministic
    and the same on the till and on the server.
    """
    if not weights:
        if total:
            raise InvalidAmount("Cannot allocate an amount over nothing.", total=total)
        return []
    if any(w < 0 for w in weights):
        raise InvalidAmount("Allocation weights cannot be negative.")
    weight_sum = sum(weights)
    if weight_sum == 0:
        parts = [0] * len(weights)
        parts[0] = total
        return parts
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    floors = [magnitude * w // weight_sum for w in weights]
    remainders = [magnitude * w % weight_sum for w in weights]
    left = magnitude - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * p for p in floors]


def format_money(kopecks: int, currency: str = "₽") -> str:
    """``1250000`` -> ``"12 500,00 ₽"`` (Russian grouping, comma decimals)."""
    sign = "-" if kopecks < 0 else ""
    roubles, kop = divmod(abs(kopecks), KOPECKS_PER_ROUBLE)
    grouped = f"{roubles:,}".replace(",", "\u00a0")
    text = f"{sign}{grouped},{kop:02d}"
    return f"{text} {currency}" if currency else text


def parse_money(text: str) -> int:
    """Parse ``"12500"``, ``"12 500,50"``, ``"99.9"`` as typed by a cashier into kopecks."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("₽", "")
    m = _ROUBLES_RE.match(cleaned)
    if not m:
        raise InvalidAmount(f"{text!r} is not an amount of money.", text=text)
    frac = (m.group(3) or "0").ljust(2, "0")
    value = int(m.group(2)) * KOPECKS_PER_ROUBLE + int(frac)
    return -value if m.group(1) else value
