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

from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.operations import (
    ACCOUNT_ADJUSTED,
    GUEST_CONTACTS_SET,
    GUEST_LOYALTY_SET,
    GUEST_UPDATED,
    IDENTIFIER_BLOCKED,
    IDENTIFIER_BOUND,
    IDENTIFIER_REPLACED,
    parse,
)
from pos_app.domain.operations.codec import OperationInvalid
from pos_app.domain.staff_pins import Role
from pos_server.guests.history import HistoryPage, PostingEntry, history_page
from pos_server.guests.search import GuestListed, search_guests
from pos_server.ledger.hold_reset import release_open_holds
from pos_server.ops.guest_card_kinds import GUEST_CARD_HANDLERS as CARD_HANDLERS
from pos_server.ops.kinds import HANDLERS
from pos_server.ops.verdicts import Verdict
from pos_server.repositories.guest_cards import GuestCard
from pos_server.repositories.identifiers import IdentifierRecord
from pos_server.uow import UnitOfWork

PAGE = 50
CSV_LIMIT = 100_000
CSV_CHUNK = 1_000


class EditRefused(Exception):
    """The operation's handler did not apply the edit; the message is its verdict's."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.message or verdict.reason or "refused")
        self.reason = verdict.reason


def listing(uow: UnitOfWork, query: str, after: str | None = None
            ) -> tuple[list[GuestListed], str | None]:  # fmt: skip
    """A page of the guests matching ``query`` after the guest ``after``; and the ``after``
    of the next page (None: no more). The one search (``pos_server.guests.search``)."""
    rows = search_guests(uow, query, after, PAGE + 1)
    return rows[:PAGE], rows[PAGE - 1].guest_id if len(rows) > PAGE else None


def csv_text(uow: UnitOfWork, query: str) -> str:
    """The list (every match, up to ``CSV_LIMIT``) as CSV with a header row: the same search
    as the page, read in keyset chunks."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["guest_id", "name", "phone", "emails", "cards", "created_at"])
    written, after = 0, None
    while written < CSV_LIMIT:
        rows = search_guests(uow, query, after, min(CSV_CHUNK, CSV_LIMIT - written))
        for g in rows:
            writer.writerow([g.guest_id, g.name, g.phone or "", " ".join(g.emails),
                             " ".join(g.cards), g.created_at.isoformat()])  # fmt: skip
        written += len(rows)
        if len(rows) < CSV_CHUNK:
            break
        after = rows[-1].guest_id
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
    groups: list[tuple[str, str]]  # the active groups (id, name) a guest may be put into
    names: dict[str, str]  # staff id -> name, for the history's "who"


def card_view(uow: UnitOfWork, guest_id: str, before: str | None = None) -> CardView | None:
    card = uow.guest_cards.load(guest_id)
    if card is None:
        return None
    points = uow.accounts.load("points", guest_id)
    postings = history_page(uow, guest_id, "postings", before=before, limit=20)
    names = {}
    for staff_id in {p.staff for p in postings.items if isinstance(p, PostingEntry) and p.staff}:
        member = uow.staff.member(staff_id)
        names[staff_id] = member.name if member is not None else staff_id
    return CardView(card, uow.identifiers.of_guest(guest_id), (points.total, points.held),
                    uow.accounts.load("money", guest_id).total, postings,
                    history_page(uow, guest_id, "sales", limit=20),
                    [(g.id, g.name) for g in uow.groups.current()[1]], names)  # fmt: skip


def judge(uow: UnitOfWork, kind: str, payload: dict[str, Any]) -> None:
    """Build the operation from its wire form (the very checks of a till's payload) and judge
    it with the till's handler; EditRefused unless applied."""
    try:
        op = parse(kind, payload)
    except OperationInvalid as exc:
        first = exc.errors[0]
        where = ".".join(str(part) for part in first["loc"])
        raise EditRefused(Verdict("rejected", "invalid", f"{where}: {first['msg']}")) from None
    verdict = {**HANDLERS, **CARD_HANDLERS}[kind](op, uow)
    if not verdict.applied:
        raise EditRefused(verdict)


def _edit(uow: UnitOfWork, staff_id: str, guest_id: str) -> dict[str, Any]:
    return {"guest_id": guest_id, "staff_id": staff_id, "changed_at": uow.now.isoformat()}


def update(uow: UnitOfWork, staff_id: str, guest_id: str, values: dict[str, Any]) -> None:
    """The main tab's fields that changed, as ``guest.updated`` by ``staff_id``."""
    card = uow.guest_cards.load(guest_id)
    if card is None:
        raise EditRefused(Verdict("rejected", "unknown_guest", "No guest has this id."))
    changed = {f: v for f, v in values.items() if card.value(f) != v}
    if changed:
        judge(uow, GUEST_UPDATED, {**_edit(uow, staff_id, guest_id), "fields": list(changed),
                                   **changed})  # fmt: skip


def set_contacts(uow: UnitOfWork, staff_id: str, guest_id: str,
                 contacts: list[dict[str, str]]) -> None:  # fmt: skip
    """The whole list of phones and e-mails (``guest.contacts_set``)."""
    judge(uow, GUEST_CONTACTS_SET, {**_edit(uow, staff_id, guest_id), "contacts": contacts})


def set_loyalty(uow: UnitOfWork, staff_id: str, guest_id: str, *, accrual_bp: int | None,
                max_redemption_bp: int | None) -> None:  # fmt: skip
    """The guest's own percentages (``guest.loyalty_set``: the bonus settings permission)."""
    judge(uow, GUEST_LOYALTY_SET, {**_edit(uow, staff_id, guest_id), "accrual_bp": accrual_bp,
                                   "max_redemption_bp": max_redemption_bp})  # fmt: skip


def add_identifier(uow: UnitOfWork, staff_id: str, guest_id: str, value: str) -> None:
    """A card typed in, bound to the guest (``identifier.bound``: one owner per value)."""
    judge(uow, IDENTIFIER_BOUND, {"guest_id": guest_id, "medium": Medium.CARD.value,
                                  "method": InputMethod.MANUAL.value, "value": value,
                                  "staff_id": staff_id})  # fmt: skip


def block_identifier(uow: UnitOfWork, staff_id: str, guest_id: str, value: str,
                     reason: str) -> None:  # fmt: skip
    judge(uow, IDENTIFIER_BLOCKED, {"guest_id": guest_id, "value": value, "staff_id": staff_id,
                                    "reason": reason})  # fmt: skip


def replace_identifier(uow: UnitOfWork, staff_id: str, guest_id: str, *, old_value: str,
                       value: str, reason: str) -> None:  # fmt: skip
    """A lost card replaced by a new one typed in (``identifier.replaced``)."""
    judge(uow, IDENTIFIER_REPLACED, {"guest_id": guest_id, "old_value": old_value,
                                     "medium": Medium.CARD.value,
                                     "method": InputMethod.MANUAL.value, "value": value,
                                     "staff_id": staff_id, "reason": reason})  # fmt: skip


def adjust(uow: UnitOfWork, staff_id: str, guest_id: str, *, account: str, direction: str,
           amount: int, reason: str) -> None:  # fmt: skip
    """A credit or debit with a reason (``account.adjusted``), its ref a new adjustment id."""
    judge(uow, ACCOUNT_ADJUSTED, {"adjustment_id": f"web-{uuid.uuid4()}", "guest_id": guest_id,
                                  "account": account, "direction": direction, "amount": amount,
                                  "staff_id": staff_id, "reason": reason})  # fmt: skip


def reset_holds(uow: UnitOfWork, staff_id: str, guest_id: str, reason: str) -> list[str]:
    """Release the guest's open holds (a manager's or an admin's action, as at the till's
    ``POST /v1/admin/holds/reset``; the same service and audit action ``reset_holds``)."""
    member = uow.staff.member(staff_id)
    if member is None or not member.active or member.role not in (Role.MANAGER, Role.ADMIN):
        raise EditRefused(Verdict("rejected", "permission_denied",
                                  "Only a manager or an admin may reset holds."))  # fmt: skip
    reason = " ".join(reason.split())
    if not 3 <= len(reason) <= 500:
        raise EditRefused(Verdict("rejected", "invalid", "Say why (3 to 500 characters)."))
    released = release_open_holds(uow, guest_id=guest_id, terminal_id=None, staff_id=staff_id,
                                  staff_name=member.name)  # fmt: skip
    uow.audit.record("reset_holds", target=f"guest:{guest_id}", reason=reason,
                     details={"staff_name": member.name, "role": member.role.value,
                              "released": released, "credential": "web"})  # fmt: skip
    return released
