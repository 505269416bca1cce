"""The back office's guests section (issue 18 point 2): the list with search and its CSV, the
card's tabs, and its edits. Nothing here writes a table itself: an edit is the very operation
a till sends (``pos_app.domain.operations``), judged by the same handler
(``pos_server.ops.guest_card_kinds``: permissions, the offline rule, the guest's audit, the
change feed) as the back-office member (``staff_id``) in their unit of work (actor
``web:<staff id>``); the history is ``pos_server.guests.history``."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from typing import Any

from pos_app.domain.operations import AccountAdjusted, GuestLoyaltySet, GuestUpdated
from pos_server.guests.history import HistoryPage, history_page
from pos_server.ops.guest_card_kinds import account_adjusted, guest_loyalty_set, guest_updated
from pos_server.ops.verdicts import Verdict
from pos_server.repositories.guest_cards import GuestCard, GuestListed, search_guests
from pos_server.repositories.identifiers import IdentifierRecord
from pos_server.uow import UnitOfWork

PAGE = 50
CSV_LIMIT = 100_000


class EditRefused(Exception):
    """The operation's handler did not apply the edit; the message is its verdict's."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.message or verdict.reason or "refused")
        self.reason = verdict.reason


def listing(uow: UnitOfWork, query: str, page: int) -> tuple[list[GuestListed], bool]:
    """Page ``page`` (from 0) of the guests matching ``query``; and whether more follow."""
    rows = search_guests(uow.guest_cards, query, max(page, 0) * PAGE, PAGE + 1)
    return rows[:PAGE], len(rows) > PAGE


def csv_text(uow: UnitOfWork, query: str) -> str:
    """The list (every match, up to ``CSV_LIMIT``) as CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["guest_id", "name", "phone", "emails", "cards", "created_at"])
    for g in search_guests(uow.guest_cards, query, 0, CSV_LIMIT):
        writer.writerow([g.guest_id, g.name, g.phone or "", " ".join(g.emails),
                         " ".join(g.cards), g.created_at.isoformat()])  # fmt: skip
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class CardView:
    """The card's tabs: main and contacts (``card``), identifiers, accounts, history."""

    card: GuestCard
    identifiers: list[IdentifierRecord]
    points: tuple[int, int]  # total, held
    money: int
    postings: HistoryPage
    sales: HistoryPage


def card_view(uow: UnitOfWork, guest_id: str, before: str | None = None) -> CardView | None:
    card = uow.guest_cards.load(guest_id)
    if card is None:
        return None
    points = uow.accounts.load("points", guest_id)
    return CardView(card, uow.identifiers.of_guest(guest_id), (points.total, points.held),
                    uow.accounts.load("money", guest_id).total,
                    history_page(uow, guest_id, "postings", before=before, limit=20),
                    history_page(uow, guest_id, "sales", limit=20))  # fmt: skip


def _applied(verdict: Verdict) -> None:
    if not verdict.applied:
        raise EditRefused(verdict)


def update(uow: UnitOfWork, staff_id: str, guest_id: str, values: dict[str, Any]) -> None:
    """The main tab's fields that changed, as ``guest.updated`` by ``staff_id``."""
    card = uow.guest_cards.load(guest_id)
    if card is None:
        raise EditRefused(Verdict("rejected", "unknown_guest", "No guest has this id."))
    changed = {f: v for f, v in values.items() if card.value(f) != v}
    if not changed:
        return
    op = GuestUpdated(guest_id=guest_id, staff_id=staff_id, changed_at=uow.now,
                      fields=tuple(changed), **changed)  # fmt: skip
    _applied(guest_updated(op, uow))


def set_loyalty(uow: UnitOfWork, staff_id: str, guest_id: str, accrual_bp: int | None,
                max_redemption_bp: int | None) -> None:  # fmt: skip
    """The guest's own percentages (``guest.loyalty_set``: the bonus settings permission)."""
    op = GuestLoyaltySet(guest_id=guest_id, staff_id=staff_id, changed_at=uow.now,
                         accrual_bp=accrual_bp, max_redemption_bp=max_redemption_bp)  # fmt: skip
    _applied(guest_loyalty_set(op, uow))


def adjust(uow: UnitOfWork, staff_id: str, guest_id: str, *, account: str, direction: str,
           amount: int, reason: str) -> None:  # fmt: skip
    """A credit or debit with a reason (``account.adjusted``), its ref a new adjustment id."""
    op = AccountAdjusted(adjustment_id=f"web-{uuid.uuid4()}", guest_id=guest_id,
                         account=account, direction=direction, amount=amount,
                         staff_id=staff_id, reason=reason)  # fmt: skip
    _applied(account_adjusted(op, uow))
