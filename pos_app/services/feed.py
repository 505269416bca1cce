"""Applying pages of the server's change feed to the local store (DESIGN.md "Pull").

Why a service: the puller in ``pos_app.sync`` speaks HTTP and may not touch the store; this use
case turns one page into repository calls inside ONE unit of work, together with the feed
cursor (``uow.settings["feed.cursor"]``). A page and its cursor commit together or not at all,
so a puller killed at any moment resumes after the last page it committed - never before it
(nothing applied twice matters little, upserts are idempotent) and never after it (nothing lost).

Pulled server state never overwrites a local row that still has unacknowledged operations
(a guest this till created or edited offline, a card it bound, a promo code it issued): such a
change is *deferred* -
kept under ``feed.deferred.<entity>:<id>`` in the same transaction - and applied by a later
page once the queue no longer mentions it (newer changes replace it).

A page runs in a relaxed unit of work (``durable=False``): it writes no outbox rows, and a power
cut that loses the page loses its cursor with it, so the page is simply pulled again.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from pos_app.domain.catalog import BundlePart, DiscountScope, Product, tile_colour
from pos_app.domain.errors import DomainError
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guest_card import GuestContact, contact_fields
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium, normalise_identifier
from pos_app.domain.money import Percent
from pos_app.domain.operations import (
    IDENTIFIER_BLOCKED,
    IDENTIFIER_BOUND,
    IDENTIFIER_REPLACED,
    PROMO_ISSUED,
)
from pos_app.services.ports import Clock, OutboxEntry, UnitOfWork, UnitOfWorkFactory
from pos_app.services.programme_settings import PROGRAMME_ENTITY, store_programme
from pos_app.services.promo import promo_code_from_feed
from pos_app.services.staff import staff_from_feed
from pos_app.services.venue_time import SHOP_SETTINGS_ENTITY, store_shop_settings

CURSOR_KEY = "feed.cursor"
DEFERRED_PREFIX = "feed.deferred."
ACCOUNT_KINDS = {"bonus_account": "bonus", "balance_account": "balance"}
PROMO_CODE_ENTITY = "promo_code"
_IDENTIFIER_KINDS = (IDENTIFIER_BOUND, IDENTIFIER_BLOCKED, IDENTIFIER_REPLACED)
PENDING_SCAN_LIMIT = 1_000_000  # every waiting operation is looked at (a day offline: ~10 000)


@dataclass(frozen=True, slots=True)
class Change:
    """One row of ``GET /v1/changes``."""

    id: int
    entity: str
    entity_id: str
    data: Mapping[str, Any]

    @classmethod
    def from_wire(cls, row: Mapping[str, Any]) -> Change:
        return cls(int(row["id"]), str(row["entity"]), str(row["entity_id"]), row["data"] or {})

    @property
    def key(self) -> str:
        return f"{self.entity}:{self.entity_id}"


@dataclass(frozen=True, slots=True)
class PageResult:
    """What one page did. ``stale`` means another puller moved the cursor: nothing applied."""

    cursor: int
    applied: int = 0
    deferred: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)  # "entity" or "entity/why" -> n
    stale: bool = False

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


class StaleCursor(Exception):
    """The page was fetched from a cursor the store no longer has (two pullers at once)."""


def protected_keys(pending: Iterable[OutboxEntry]) -> set[str]:
    """Feed keys of the local rows that waiting operations still speak for: the guest an
    operation names (top level, or the sale's ``guest`` record), a bound identifier and a promo
    code this till issued.

    Account snapshots are not among them: the till never writes a snapshot itself, it keeps
    its own holds beside them and subtracts those the snapshots do not contain yet
    (``services/points_holds.py``), so a snapshot is always the server's word, taken whole.
    """
    keys: set[str] = set()
    for op in pending:
        guest = op.payload.get("guest")
        guest_id = op.payload.get("guest_id") or (
            guest.get("guest_id") if isinstance(guest, Mapping) else None
        )
        if isinstance(guest_id, str):
            keys.add(f"guest:{guest_id}")
        value, method = op.payload.get("value"), op.payload.get("method")
        if op.kind in _IDENTIFIER_KINDS and isinstance(value, str):
            keys.add(f"identifier:{_normalised(method or InputMethod.MANUAL.value, value)}")
        old = op.payload.get("old_value")
        if op.kind == IDENTIFIER_REPLACED and isinstance(old, str):
            keys.add(f"identifier:{_normalised(InputMethod.MANUAL.value, old)}")
        code = op.payload.get("code")
        if op.kind == PROMO_ISSUED and isinstance(code, str):
            keys.add(f"{PROMO_CODE_ENTITY}:{code.upper()}")
    return keys


def _normalised(method: Any, value: str) -> str:
    try:
        return normalise_identifier(InputMethod(method), value)
    except (ValueError, DomainError):
        return value


class _Page:
    """Applies one page's changes inside an open unit of work (guests batched)."""

    def __init__(self, uow: UnitOfWork, now: datetime, protected: set[str]) -> None:
        self.uow, self.now, self.protected = uow, now, protected
        self.deferred_rows = dict(uow.settings.with_prefix(DEFERRED_PREFIX))
        self.guests: dict[str, Mapping[str, Any]] = {}
        self.applied = self.deferred = 0
        self.skipped: dict[str, int] = {}
        self.handlers: dict[str, Callable[[Change], str | None]] = {
            "identifier": self._identifier, "product": self._product,
            "product_group": self._product_group, "guest_group": self._guest_group,
            "staff": self._staff, "bonus_account": self._account,
            "balance_account": self._account, PROMO_CODE_ENTITY: self._promo_code,
            SHOP_SETTINGS_ENTITY: self._shop_settings, PROGRAMME_ENTITY: self._programme,
        }  # fmt: skip

    def take(self, change: Change, *, from_deferred: bool = False) -> None:
        setting = DEFERRED_PREFIX + change.key
        if change.key in self.protected:
            self.uow.settings.set(setting, _dump(change))
            self.deferred += 1
            return
        if setting in self.deferred_rows:
            self.uow.settings.delete(setting)
            del self.deferred_rows[setting]
        elif from_deferred:
            return
        if change.entity == "guest":
            self.guests[change.entity_id] = change.data
            self.applied += 1
            return
        self.flush_guests()  # identifiers and accounts need their guest on disk
        handler = self.handlers.get(change.entity)
        try:
            why = "unknown entity" if handler is None else handler(change)
        except (DomainError, KeyError, TypeError, ValueError):
            why = "invalid"  # one bad row must not stop the feed for good; counted instead
        if why is None:
            self.applied += 1
        else:
            name = change.entity if handler is None else f"{change.entity}/{why}"
            self.skipped[name] = self.skipped.get(name, 0) + 1

    def flush_guests(self) -> None:
        if not self.guests:
            return
        ids = list(self.guests)
        existing = self.uow.guests.get_many(ids)
        known_groups: dict[str, bool] = {}
        group_known = self._group_known(known_groups)
        merged: list[Guest] = []
        for guest_id in ids:
            try:
                merged.append(guest_from_feed(existing.get(guest_id), guest_id,
                                              self.guests[guest_id], group_known))  # fmt: skip
            except (DomainError, KeyError, TypeError, ValueError):
                self.applied -= 1
                self.skipped["guest/invalid"] = self.skipped.get("guest/invalid", 0) + 1
        self.uow.guests.add_many(merged)
        self.guests = {}

    def _group_known(self, cache: dict[str, bool]) -> Callable[[str], bool]:
        def known(group_id: str) -> bool:
            if group_id not in cache:
                cache[group_id] = self.uow.groups.get(group_id) is not None
            return cache[group_id]

        return known

    def _identifier(self, change: Change) -> str | None:
        d = change.data
        if self.uow.guests.get(str(d["guest_id"])) is None:
            return "unknown guest"
        identifier = Identifier(Medium(d["medium"]), InputMethod(d["method"]), str(d["value"]))
        try:
            self.uow.guests.add_identifier(identifier, str(d["guest_id"]))
        except DomainError:  # IdentifierTaken locally: the server's owner is not ours to guess
            return "taken locally"
        if d.get("blocked"):
            self.uow.guests.block_identifier(identifier.value, str(d["guest_id"]))
        return None

    def _account(self, change: Change) -> str | None:
        d = change.data
        guest_id = str(d.get("guest_id") or d["account_id"])
        if self.uow.guests.get(guest_id) is None:
            return "unknown guest"
        self.uow.accounts.set_snapshot(
            str(d["account_id"]), guest_id, ACCOUNT_KINDS[change.entity],
            total=int(d["total"]), held=int(d.get("held", 0)), at=self.now,
        )  # fmt: skip
        return None

    def _product(self, change: Change) -> str | None:
        d = change.data
        if not d.get("active", True):  # withdrawn in the back office
            self.uow.products.withdraw(str(d.get("product_id") or change.entity_id))
            return None
        self.uow.products.add(Product(
            id=str(d.get("product_id") or change.entity_id), name=str(d["name"]),
            price=int(d["price"]), group_id=d.get("group_id"),
            tags=frozenset(d.get("tags") or ()), barcode=d.get("barcode") or None,
            guest_orderable=bool(d.get("guest_orderable", True)),
            payable_with_points=bool(d.get("allow_points", d.get("payable_with_points", True))),
            colour=tile_colour(d.get("colour")), image=tile_image(d.get("image")),
            components=bundle_parts(d.get("components")),
            minutes=int(d["minutes"]) if d.get("minutes") is not None else None,
            extra_barcodes=tuple(str(c) for c in d.get("extra_barcodes") or () if c),
        ))  # fmt: skip
        return None

    def _product_group(self, change: Change) -> str | None:
        d = change.data
        group_id = str(d.get("group_id") or d.get("id") or change.entity_id)
        position = d.get("position", d.get("sort_order"))
        colour, image = tile_colour(d.get("colour")), tile_image(d.get("image"))
        self.uow.products.add_group(group_id, str(d["name"]), int(position or 0), colour, image,
                                    active=bool(d.get("active", True)))  # fmt: skip
        return None

    def _guest_group(self, change: Change) -> str | None:
        self.uow.groups.add(guest_group_from_feed(change.entity_id, change.data))
        return None

    def _staff(self, change: Change) -> str | None:
        self.uow.staff.add(staff_from_feed({"staff_id": change.entity_id, **change.data}))
        return None

    def _promo_code(self, change: Change) -> str | None:
        self.uow.promo.add_code(promo_code_from_feed({"code": change.entity_id, **change.data}))
        return None

    def _shop_settings(self, change: Change) -> str | None:
        store_shop_settings(self.uow, change.data)  # the shop's time zone
        return None

    def _programme(self, change: Change) -> str | None:
        store_programme(self.uow, change.entity_id, change.data)  # the back office's settings
        return None


def bundle_parts(value: object) -> tuple[BundlePart, ...]:
    """A composite product's parts from the feed (``[{"product_id", "name", "quantity"}]``);
    a part without a name shows its id. Not a list: no parts (a plain product)."""
    if not isinstance(value, list):
        return ()
    return tuple(BundlePart(str(part["product_id"]), str(part.get("name") or part["product_id"]),
                            int(part.get("quantity", 1))) for part in value)  # fmt: skip


def tile_image(value: object) -> bytes | None:
    """A tile's picture from the feed (base64, checked by the server); None when absent or
    not base64 (the tile is then drawn without it rather than the page refused)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _dump(change: Change) -> dict[str, Any]:
    return {"id": change.id, "entity": change.entity, "entity_id": change.entity_id,
            "data": dict(change.data)}  # fmt: skip


def guest_from_feed(
    old: Guest | None, guest_id: str, d: Mapping[str, Any], group_known: Callable[[str], bool]
) -> Guest:
    """The server's fields over the local guest (fields the feed does not carry are kept).

    A whole card (``contacts`` present: the guest card's operations) replaces the phones, the
    e-mails and their kinds; a change with only ``phone`` (a guest made at a till, a promotion
    after a sale) keeps the local phones when that number is among them."""
    fields: dict[str, Any] = {"name": str(d["name"])}
    if d.get("contacts") is not None:
        fields.update(
            contact_fields(
                GuestContact.read(str(c["type"]), str(c["label"]), str(c["value"]))
                for c in d["contacts"]
            )
        )
    else:
        phones = d.get("phones")
        if phones is None and "phone" in d:
            kept = old is not None and d["phone"] in old.phones
            phones = list(old.phones) if kept and old else ([d["phone"]] if d["phone"] else [])
        if phones is not None:
            fields["phones"] = tuple(phones)
        if "emails" in d:
            fields["emails"] = tuple(d["emails"] or ())
    if "group_id" in d:
        group_id = d["group_id"]
        fields["group_id"] = group_id if group_id and group_known(str(group_id)) else None
    if "lifetime_spend" in d:
        fields["lifetime_spend"] = int(d["lifetime_spend"])
    if "birthday" in d:
        fields["birthday"] = date.fromisoformat(d["birthday"]) if d["birthday"] else None
    for name, local in _CARD_FIELDS.items():
        if name in d:
            fields[local] = d[name]
    if old is None:
        return Guest(id=guest_id, **fields)
    return replace(old, **fields)


# the guest card's fields the feed carries as they are -> the local guest's
_CARD_FIELDS = {"sex": "sex", "note": "note", "cabinet_login_allowed": "cabinet_login_allowed",
                "ordering_allowed": "can_order_from_cabinet",
                "registration_skipped": "skip_registration", "group_by_hand": "group_by_hand",
                "accrual_bp": "accrual_bp", "max_redemption_bp": "max_redemption_bp"}  # fmt: skip


def guest_group_from_feed(group_id: str, d: Mapping[str, Any]) -> GuestGroup:
    """A ``guest_group`` change (the server's column names, amounts in kopecks, bp)."""
    scope = d.get("scope") or {}

    def pct(name: str) -> Percent | None:
        return None if d.get(name) is None else Percent(int(d[name]))

    return GuestGroup(
        id=str(d.get("group_id") or d.get("id") or group_id), name=str(d["name"]),
        discount=Percent(int(d.get("discount_bp") or 0)),
        spend_threshold=int(d.get("spend_threshold") or 0),
        scope=DiscountScope(frozenset(scope.get("product_group_ids") or ()),
                            frozenset(scope.get("product_ids") or ()),
                            frozenset(scope.get("tags") or ())),
        auto_move=bool(d.get("auto_move")), no_demotion=bool(d.get("no_demotion")),
        demote_to=d.get("demote_to"),
        daily_identification_limit=d.get("daily_identification_limit"),
        daily_points_spend_limit=d.get("daily_points_spend_limit"),
        accrual=pct("accrual_bp"), max_redemption=pct("max_redemption_bp"),
        offline_allowance=int(d.get("offline_allowance") or 0),
    )  # fmt: skip


class FeedService:
    """The feed cursor and page application; one unit of work per page."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def cursor(self) -> int:
        with self._uow(durable=False) as uow:
            return int(uow.settings.get(CURSOR_KEY, 0))

    def deferred_count(self) -> int:
        with self._uow(durable=False) as uow:
            return len(uow.settings.with_prefix(DEFERRED_PREFIX))

    def apply_page(
        self, from_cursor: int, changes: Sequence[Change], next_cursor: int
    ) -> PageResult:
        """Apply ``changes`` (fetched after ``from_cursor``) and move the cursor, atomically.

        A page fetched from a cursor the store has already left (another puller got there
        first) changes nothing and comes back ``stale``.
        """
        with self._uow(durable=False) as uow:
            current = int(uow.settings.get(CURSOR_KEY, 0))
            if current != from_cursor:
                return PageResult(current, stale=True)
            page = self._page(uow)
            self._retry_deferred(page)
            for change in changes:
                page.take(change)
            page.flush_guests()
            if next_cursor > current:
                uow.settings.set(CURSOR_KEY, next_cursor)
            uow.commit()
        return PageResult(max(current, next_cursor), page.applied, page.deferred, page.skipped)

    def retry_deferred(self) -> int:
        """Apply deferred changes whose rows no operation waits for any more (after a drain)."""
        with self._uow(durable=False) as uow:
            if not uow.settings.with_prefix(DEFERRED_PREFIX):
                return 0
            page = self._page(uow)
            self._retry_deferred(page)
            page.flush_guests()
            uow.commit()
        return page.applied

    def _page(self, uow: UnitOfWork) -> _Page:
        return _Page(uow, self._clock.now(), protected_keys(uow.outbox.pending(PENDING_SCAN_LIMIT)))

    @staticmethod
    def _retry_deferred(page: _Page) -> None:
        rows = sorted(page.deferred_rows.values(), key=lambda row: int(row["id"]))
        for row in rows:
            key = f"{row['entity']}:{row['entity_id']}"
            if key not in page.protected:
                page.take(Change.from_wire(row), from_deferred=True)
