"""Card top-ups (``pos_server/db/models_payments.py``): the rows of one guest, the row a
confirmation settles (locked), and the ones the status poll asks about."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from pos_server.db.models_payments import CardTopUpRow
from pos_server.uow import Repository


class CardTopUps(Repository):
    """``uow.card_top_ups``."""

    __slots__ = ()

    def add(self, row: CardTopUpRow) -> None:
        self._session.add(row)
        self._session.flush()

    def get(self, top_up_id: str, *, lock: bool = False) -> CardTopUpRow | None:
        """The row; ``lock``: held until the transaction ends (PostgreSQL FOR UPDATE, re-read
        after a racing confirmation committed; SQLite: the write lock of BEGIN IMMEDIATE)."""
        return self._session.get(CardTopUpRow, top_up_id, with_for_update=lock,
                                 populate_existing=lock)  # fmt: skip

    def of_guest(self, guest_id: str, top_up_id: str) -> CardTopUpRow | None:
        """The guest's own top-up (another guest's id finds nothing)."""
        return self._session.scalars(select(CardTopUpRow).where(
            CardTopUpRow.id == top_up_id, CardTopUpRow.guest_id == guest_id)).first()  # fmt: skip

    def id_of_payment(self, payment_id: str) -> str | None:
        return self._session.scalars(select(CardTopUpRow.id).where(
            CardTopUpRow.payment_id == payment_id)).first()  # fmt: skip

    def recent(self, guest_id: str, limit: int = 5) -> list[CardTopUpRow]:
        return list(self._session.scalars(
            select(CardTopUpRow).where(CardTopUpRow.guest_id == guest_id)
            .order_by(CardTopUpRow.created_at.desc(), CardTopUpRow.id).limit(limit)))  # fmt: skip

    def move(self, top_up_id: str, before: tuple[str, ...], after: str, **values: Any) -> bool:
        """Set the status from one of ``before`` to ``after`` (and ``values``); False when
        the row is no longer in any of them: a racing confirmation got there first."""
        result = self._session.execute(
            update(CardTopUpRow)
            .where(CardTopUpRow.id == top_up_id, CardTopUpRow.status.in_(before))
            .values(status=after, updated_at=self._uow.now, **values)
            .execution_options(synchronize_session=False))  # fmt: skip
        return bool(getattr(result, "rowcount", 0) == 1)

    def due(self, statuses: tuple[str, ...], created_before: datetime,
            limit: int) -> list[str]:  # fmt: skip
        """Oldest first: the top-ups in ``statuses`` made before ``created_before``."""
        return list(self._session.scalars(
            select(CardTopUpRow.id).where(CardTopUpRow.status.in_(statuses),
                                          CardTopUpRow.created_at < created_before)
            .order_by(CardTopUpRow.created_at).limit(limit)))  # fmt: skip
