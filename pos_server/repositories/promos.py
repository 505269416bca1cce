"""Personal promo codes and their redemptions (seed 003). Every code issued goes into the
change feed as a ``promo_code`` entity, so every till knows it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from pos_server.db.models_till import PromoCodeRow, PromoRedemptionRow
from pos_server.uow import Repository

PROMO_CODE_ENTITY = "promo_code"


@dataclass(frozen=True)
class PromoCode:
    code: str
    guest_id: str
    phone: str | None

    def state(self) -> dict[str, Any]:
        """The feed's data for the code, and what a conflict carries."""
        return {"code": self.code, "guest_id": self.guest_id, "phone": self.phone}


@dataclass(frozen=True)
class Redemption:
    sale_id: str
    code: str
    owner_guest_id: str
    buyer_guest_id: str | None
    paid_in_money: int
    cashback: int


class Promos(Repository):
    __slots__ = ()

    def code(self, code: str) -> PromoCode | None:
        row = self._session.get(PromoCodeRow, code)
        return None if row is None else PromoCode(row.code, row.guest_id, row.phone)

    def code_of_phone(self, phone: str) -> PromoCode | None:
        row = self._session.scalars(
            select(PromoCodeRow).where(PromoCodeRow.phone == phone)
        ).first()
        return None if row is None else PromoCode(row.code, row.guest_id, row.phone)

    def issue(self, code: PromoCode) -> None:
        """Store a new code, issued now by the unit of work's terminal, and feed it."""
        uow = self._uow
        self._session.add(PromoCodeRow(code=code.code, guest_id=code.guest_id, phone=code.phone,
                                       issued_at=uow.now, issued_by=uow.terminal_id))  # fmt: skip
        uow.feed.record(PROMO_CODE_ENTITY, code.code, code.state())

    def redemption(self, sale_id: str) -> Redemption | None:
        row = self._session.get(PromoRedemptionRow, sale_id)
        if row is None:
            return None
        return Redemption(row.sale_id, row.code, row.owner_guest_id, row.buyer_guest_id,
                          row.paid_in_money, row.cashback)  # fmt: skip

    def redeem(self, redemption: Redemption) -> None:
        """Record that a sale paid its code owner's cashback (once: the sale is the key)."""
        uow = self._uow
        self._session.add(PromoRedemptionRow(
            sale_id=redemption.sale_id, code=redemption.code,
            owner_guest_id=redemption.owner_guest_id, buyer_guest_id=redemption.buyer_guest_id,
            paid_in_money=redemption.paid_in_money, cashback=redemption.cashback, at=uow.now,
            terminal_id=uow.terminal_id,
        ))  # fmt: skip
