"""A guest's history, one service for the till's guest card (``GET /v1/guests/{id}/history``),
``pos-server guest ledger`` and, later, the back office and the cabinet.

Two sections, each paged newest first with an opaque ``next`` cursor (keyset: a page costs the
same however deep it is):

- ``points`` / ``money`` / ``postings`` (both accounts): every posting with who (``staff``:
  the staff id of a ``staff:<id>`` actor, else none; ``actor`` as recorded), where
  (``terminal_id``), when, why (``reason``, ``ref``, ``hold_id``) and the balance after.
  ``amount`` is the posting's magnitude, ``kind`` its direction (``pos_app.domain.ledger``).
- ``holds``: the guest's open points holds now (the Accounts tab), oldest first, one page.
- ``sales``: the guest's sales with the group they were in at that moment (``sale_loyalty``)
  and that group's discount % as the group was then (its newest ``guest_group`` change made by
  the sale's close), the discounts given, money and points paid and the points earned.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from pos_server.uow import UnitOfWork

SECTIONS = ("postings", "points", "money", "sales", "holds")
MAX_LIMIT = 500
_ACCOUNTS = {"postings": ("points", "money"), "points": ("points",), "money": ("money",)}


class BadCursor(ValueError):
    """A ``before`` cursor this service did not hand out."""


@dataclass(frozen=True, slots=True)
class PostingEntry:
    id: int
    account: str
    kind: str
    amount: int
    total_after: int
    held_after: int
    hold_id: str | None
    staff: str | None
    actor: str
    terminal_id: str | None
    at: datetime
    reason: str
    ref: str | None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class SaleEntry:
    sale_id: str
    receipt_no: str | None
    terminal_id: str
    closed_at: datetime
    total: int
    discount: int
    group_id: str | None
    group_name: str | None
    group_discount_bp: int | None
    money_paid: int | None
    points_paid: int | None
    accrual: int | None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "closed_at": self.closed_at.isoformat()}


@dataclass(frozen=True, slots=True)
class HoldEntry:
    hold_id: str
    amount: int
    created_at: datetime
    expires_at: datetime
    terminal_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "created_at": self.created_at.isoformat(),
                "expires_at": self.expires_at.isoformat()}  # fmt: skip


@dataclass(frozen=True, slots=True)
class HistoryPage:
    section: str
    items: tuple[PostingEntry, ...] | tuple[SaleEntry, ...] | tuple[HoldEntry, ...]
    next: str | None  # pass as ``before`` for the next (older) page; None: no more

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section, "items": [i.to_json() for i in self.items],
                "next": self.next}  # fmt: skip


def staff_of(actor: str) -> str | None:
    return actor.removeprefix("staff:") if actor.startswith("staff:") else None


def history_page(
    uow: UnitOfWork, guest_id: str, section: str, *, before: str | None = None,
    limit: int = 50, period: tuple[datetime, datetime] | None = None,
) -> HistoryPage:  # fmt: skip
    """One page of ``section`` (``SECTIONS``) older than ``before``; ``BadCursor``.
    ``period`` (start, end; end excluded): only postings and sales within it (the cabinet's
    chosen period); holds are always the open ones now."""
    if section not in SECTIONS:
        raise ValueError(f"unknown history section {section!r}")
    limit = max(1, min(limit, MAX_LIMIT))
    if section == "sales":
        return _sales(uow, guest_id, before, limit, period)
    if section == "holds":
        holds = uow.guest_history.open_holds(guest_id, MAX_LIMIT)
        return HistoryPage("holds", tuple(HoldEntry(*row) for row in holds), None)
    try:
        before_id = None if before is None else int(before)
    except ValueError:
        raise BadCursor("not a cursor of this history") from None
    rows = uow.guest_history.postings(guest_id, _ACCOUNTS[section], before_id, limit + 1,
                                      period)  # fmt: skip
    items = tuple(PostingEntry(r.id, r.account_kind, r.kind, r.amount, r.total_after,
                               r.held_after, r.hold_id, staff_of(r.actor), r.actor,
                               r.terminal_id, r.at, r.reason, r.ref)
                  for r in rows[:limit])  # fmt: skip
    more = len(rows) > limit
    return HistoryPage(section, items, str(items[-1].id) if more else None)


def _sales(uow: UnitOfWork, guest_id: str, before: str | None, limit: int,
           period: tuple[datetime, datetime] | None = None) -> HistoryPage:  # fmt: skip
    key = None
    if before is not None:
        at, _bar, sale_id = before.partition("|")
        try:
            key = (datetime.fromisoformat(at), sale_id)
        except ValueError:
            raise BadCursor("not a cursor of this history") from None
    rows = uow.guest_history.sales(guest_id, key, limit + 1, period)
    items = tuple(_sale(uow, r) for r in rows[:limit])
    more = len(rows) > limit
    last = items[-1] if items else None
    cursor = f"{last.closed_at.isoformat()}|{last.sale_id}" if more and last else None
    return HistoryPage("sales", items, cursor)


def _sale(uow: UnitOfWork, r: Any) -> SaleEntry:
    group = None
    if r.group_id is not None:  # the group as it was when the sale closed
        group = uow.feed.record_at("guest_group", r.group_id, r.closed_at)
    return SaleEntry(
        r.id, r.receipt_no, r.terminal_id, r.closed_at, r.total, int(r.discount), r.group_id,
        None if group is None else group.get("name"),
        None if group is None else group.get("discount_bp"),
        r.money_paid, r.points_paid, r.accrual,
    )  # fmt: skip
