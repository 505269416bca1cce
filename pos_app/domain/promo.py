"""Personal promo codes and referral cashback (seed 003).

A code is a fixed prefix from the settings plus digits (``TOPLASER6502``); the cashier types
only the digits. One phone has at most one code: issuing again returns the same code. A buyer
applying another guest's code gets the program's discount; after payment the owner receives a
cashback of the amount paid in money.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass

from pos_app.domain.errors import DomainError
from pos_app.domain.money import Percent, require_amount
from pos_app.domain.phones import normalise_phone

MAX_ISSUE_ATTEMPTS = 100
_PREFIX_RE = re.compile(r"^[A-Z][A-Z0-9]*$")
_DIGITS_RE = re.compile(r"^[0-9]{1,20}$")


class InvalidPromoCode(DomainError):
    code = "invalid_promo_code"


class UnknownPromoCode(DomainError):
    code = "unknown_promo_code"


class OwnPromoCode(DomainError):
    code = "own_promo_code"


class PromoCodeSpaceExhausted(DomainError):
    code = "promo_code_space_exhausted"


@dataclass(frozen=True, slots=True)
class ReferralProgram:
    """Discount for the buyer and cashback for the code's owner."""

    discount: Percent
    cashback: Percent


@dataclass(frozen=True, slots=True)
class ReferralQuote:
    """What the till shows after "check promo code": the discount and the sum to pay."""

    order_total: int
    discount: int
    to_pay: int
    owner_guest_id: str


def _clean_prefix(prefix: str) -> str:
    cleaned = prefix.strip().upper()
    if not _PREFIX_RE.match(cleaned):
        raise InvalidPromoCode(f"{prefix!r} is not a valid promo code prefix.", prefix=prefix)
    return cleaned


def make_code(prefix: str, digits: str) -> str:
    """``make_code("TopLaser", "6502") == "TOPLASER6502"``."""
    if not _DIGITS_RE.match(digits):
        raise InvalidPromoCode(f"{digits!r} is not the digits of a promo code.", digits=digits)
    return _clean_prefix(prefix) + digits


def parse_typed_code(prefix: str, typed: str) -> str:
    """The full code from what the cashier typed: the digits, or the full code in any case."""
    clean_prefix = _clean_prefix(prefix)
    text = re.sub(r"\s+", "", typed).upper()
    if text.startswith(clean_prefix):
        text = text[len(clean_prefix) :]
    if not _DIGITS_RE.match(text):
        raise InvalidPromoCode(
            f"{typed.strip()!r} is not a promo code: type the digits after {clean_prefix}.",
            typed=typed,
        )
    return clean_prefix + text


def issue_code(
    prefix: str,
    phone: str,
    codes_by_phone: Mapping[str, str],
    taken_codes: Container[str],
    generate_digits: Callable[[], str],
) -> str:
    """The phone's existing code, else a new unused one from ``generate_digits``."""
    e164 = normalise_phone(phone)
    existing = codes_by_phone.get(e164)
    if existing is not None:
        return existing
    for _ in range(MAX_ISSUE_ATTEMPTS):
        code = make_code(prefix, generate_digits())
        if code not in taken_codes:
            return code
    raise PromoCodeSpaceExhausted(
        "Could not find a free promo code; make the codes longer in the settings.",
        attempts=MAX_ISSUE_ATTEMPTS,
    )


def find_owner(code: str, owners: Mapping[str, str]) -> str:
    """The guest owning ``code`` (a full code from :func:`parse_typed_code`)."""
    owner = owners.get(code)
    if owner is None:
        raise UnknownPromoCode(f"Promo code {code} was not found.", promo_code=code)
    return owner


def quote_referral(
    order_total: int, program: ReferralProgram, owner_guest_id: str, buyer_guest_id: str | None
) -> ReferralQuote:
    """Discount and amount to pay when a buyer applies ``owner_guest_id``'s code."""
    require_amount(order_total, "order total")
    if buyer_guest_id is not None and buyer_guest_id == owner_guest_id:
        raise OwnPromoCode("A guest cannot apply their own promo code.", guest_id=owner_guest_id)
    discount = program.discount.apply(order_total)
    return ReferralQuote(order_total, discount, order_total - discount, owner_guest_id)


def cashback_for(paid_in_money: int, program: ReferralProgram) -> int:
    """The owner's cashback for a posted payment, by the one rounding rule."""
    return program.cashback.apply(require_amount(paid_in_money, "amount paid"))
