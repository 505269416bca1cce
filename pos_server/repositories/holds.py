"""Points holds as the operations see them: what ``hold.placed`` needs first, a hold's state,
and whether a sale already used it.

The holds themselves are written with their account (``uow.accounts.save``): a hold is part of
the points account's domain object. Every statement here is compiled once (``db/fastexec.py``):
holds are the till's hot path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from pos_app.domain.bonus import BonusAccount
from pos_server.db.fastexec import Fast
from pos_server.db.models import POINTS, AccountRow, BonusHoldRow, Guest, SalePayment
from pos_server.db.models_ledger import GuestLoyaltyRow
from pos_server.ledger.statements import load_account, locked_account
from pos_server.uow import Repository


@dataclass(frozen=True, slots=True)
class HoldView:
    """A stored hold, read without its account."""

    hold_id: str
    account_id: str
    amount: int
    status: str
    committed_amount: int
    expires_at: datetime

    def state(self) -> dict[str, Any]:
        """The hold as a ``conflict`` verdict carries it."""
        return {"hold_id": self.hold_id, "account_id": self.account_id, "amount": self.amount,
                "status": self.status, "committed_amount": self.committed_amount,
                "expires_at": self.expires_at.isoformat()}  # fmt: skip


@dataclass(frozen=True, slots=True)
class HoldPlacing:
    """What ``hold.placed`` is judged on, in this order: the hold id already taken
    (``existing``), an unknown guest (``account`` None), else the guest's group and their points
    account, locked."""

    existing: HoldView | None = None
    account: BonusAccount | None = None
    group_id: str | None = None


_COLUMNS = (BonusHoldRow.id, BonusHoldRow.account_id, BonusHoldRow.amount, BonusHoldRow.status,
            BonusHoldRow.committed_amount, BonusHoldRow.expires_at)  # fmt: skip
_HOLD = Fast(select(*_COLUMNS).where(BonusHoldRow.id == bindparam("hold_id")))
# the guest and their group id in one statement (no row: unknown guest)
_GUEST_GROUP = Fast(select(Guest.id, GuestLoyaltyRow.group_id).outerjoin(
    GuestLoyaltyRow, GuestLoyaltyRow.guest_id == Guest.id
).where(Guest.id == bindparam("guest_id")))
# The guest, their group, whether the hold id is taken and the account's total, locked: one
# round trip for what hold.placed needs first. No row: an unknown guest or an account not
# created yet, judged by the general path.
_PLACE_CONTEXT = Fast(
    select(Guest.id, GuestLoyaltyRow.group_id, AccountRow.total,
           BonusHoldRow.id.label("existing_id"))
    .select_from(Guest).join(AccountRow, (AccountRow.kind == POINTS) & (AccountRow.id == Guest.id))
    .outerjoin(GuestLoyaltyRow, GuestLoyaltyRow.guest_id == Guest.id)
    .outerjoin(BonusHoldRow, BonusHoldRow.id == bindparam("hold_id"))
    .where(Guest.id == bindparam("guest_id")).with_for_update(of=AccountRow)
)  # fmt: skip
_USED_BY_OTHER_SALE = Fast(select(SalePayment.sale_id).where(
    SalePayment.hold_id == bindparam("hold_id"), SalePayment.sale_id != bindparam("sale_id")
).limit(1))


def _view(row: Any) -> HoldView:
    return HoldView(row.id, row.account_id, row.amount, row.status, row.committed_amount,
                    row.expires_at)  # fmt: skip


class Holds(Repository):
    """``uow.holds``."""

    __slots__ = ()

    def get(self, hold_id: str) -> HoldView | None:
        row = _HOLD.first(self._connection, {"hold_id": hold_id})
        return None if row is None else _view(row)

    def placing(self, guest_id: str, hold_id: str) -> HoldPlacing:
        """One statement for a known guest with an account and a new hold id (the usual
        case); otherwise the hold, the guest and the account (created empty) one by one."""
        connection = self._connection
        found = _PLACE_CONTEXT.first(connection, {"guest_id": guest_id, "hold_id": hold_id})
        if found is not None and found.existing_id is None:
            return HoldPlacing(account=locked_account(connection, guest_id, found.total),
                               group_id=found.group_id)  # fmt: skip
        existing = self.get(hold_id)
        if existing is not None:
            return HoldPlacing(existing=existing)
        guest = _GUEST_GROUP.first(connection, {"guest_id": guest_id})
        if guest is None:
            return HoldPlacing()
        return HoldPlacing(account=load_account(connection, guest_id), group_id=guest.group_id)

    def used_by_another_sale(self, hold_id: str, sale_id: str) -> bool:
        """Whether a sale other than ``sale_id`` names ``hold_id`` in its payments."""
        found = _USED_BY_OTHER_SALE.first(self._connection,
                                          {"hold_id": hold_id, "sale_id": sale_id})  # fmt: skip
        return found is not None
