"""``promo.issued`` / ``promo.redeemed``: personal promo codes and referral cashback (seed
003). A code is a prefix and digits, stored upper-case."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pos_app.domain.operations.codec import AMOUNT, ENTITY_ID, Int, Operation, Optional, Str, spec
from pos_app.domain.operations.guests import PHONE

PROMO_ISSUED = "promo.issued"
PROMO_REDEEMED = "promo.redeemed"


CODE = Str(0, 64, upper=True, pattern=r"^[A-Z][A-Z0-9]*[0-9]$")


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoIssued(Operation):
    KIND: ClassVar[str] = PROMO_ISSUED
    code: str = spec(CODE)
    guest_id: str = spec(ENTITY_ID)
    phone: str | None = spec(PHONE, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoRedeemed(Operation):
    """A sale paid with ``owner_guest_id``'s code: credit the owner's cashback."""

    KIND: ClassVar[str] = PROMO_REDEEMED
    sale_id: str = spec(ENTITY_ID)
    code: str = spec(CODE)
    owner_guest_id: str = spec(ENTITY_ID)
    buyer_guest_id: str | None = spec(Optional(ENTITY_ID), None)
    paid_in_money: int = spec(AMOUNT)
    discount: int = spec(AMOUNT)
    cashback_bp: int = spec(Int(0, 10_000))
    cashback: int = spec(AMOUNT)
