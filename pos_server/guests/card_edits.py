"""Edits of a guest card's fields on the server, by the rule two offline tills are
reconciled by (``pos_app.domain.guest_card``: per field, the last writer by the till's time
of the edit, ties to the one judged later; docs/domain.md "Guest card edits").

``apply_edit`` takes the fields one operation sets, writes those it wins, keeps the others,
and puts every field into the guest's audit either way (``applied`` or ``superseded``, with the
value before and the value sent), so both versions of a contested field are kept. It then
records the whole card in the change feed: the till that lost a field learns the winner's
value from it (its own edit stays on screen only until then)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pos_app.domain.guest_card import GuestContact, edit_wins, effective_time
from pos_server.repositories.guest_cards import GuestCard, contact_json
from pos_server.repositories.guests import GUEST_ENTITY
from pos_server.uow import UnitOfWork

APPLIED, SUPERSEDED = "applied", "superseded"


def _json(value: Any) -> Any:
    """A value as the audit keeps it (the card's JSON form)."""
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, GuestContact):
        return contact_json(value)
    return value


def apply_edit(
    uow: UnitOfWork, card: GuestCard, action: str, values: Mapping[str, Any], *,
    staff_id: str | None, changed_at: datetime,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[str]:  # fmt: skip
    """Write the fields of ``values`` the edit wins (``extra[field]``: columns written, not
    stamped, with a field it wins, such as ``group_by_hand`` with ``group_id``); the fields
    written. ``staff_id`` None: the guest's own edit in the cabinet (its ``action`` says so)."""
    at = effective_time(changed_at, uow.now)
    stamps = uow.guest_cards.stamps(card.guest_id)
    won: dict[str, Any] = {}
    for field, value in values.items():
        wins = edit_wins(stamps.get(field), at)
        uow.guest_cards.audit(card.guest_id, action, field=field, before=card.value(field),
                              after=_json(value), outcome=APPLIED if wins else SUPERSEDED,
                              staff_id=staff_id, changed_at=at)  # fmt: skip
        if wins:
            won[field] = value
    if won:
        along = {k: v for field in won for k, v in (extra or {}).get(field, {}).items()}
        uow.guest_cards.write(card.guest_id, {**won, **along}, at)
    record_card(uow, card.guest_id)
    return list(won)


def record_card(uow: UnitOfWork, guest_id: str) -> None:
    """The guest's whole card as a ``guest`` change."""
    card = uow.guest_cards.load(guest_id)
    assert card is not None
    uow.feed.record(GUEST_ENTITY, guest_id, card.feed_data())
