"""In-memory fakes of the service ports (cosmicpython style): tests assert on their state.

``FakeStore`` holds the committed data; a ``FakeUnitOfWork`` works on a deep copy of it and
publishes the copy only on ``commit()``, so "rolls back unless committed" is real here too.
"""

from __future__ import annotations

import copy
import itertools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from pos_app.domain.catalog import Product
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, IdentifierTaken
from pos_app.domain.operations import Operation
from pos_app.domain.sale import Sale, format_receipt_no
from pos_app.services.ports import AccountView, OutboxEntry, TerminalInfo
from tests.services.fakes_sync import FakeSync, FakeSyncData
from tests.services.fakes_till import (
    FakeGuestSearch,
    FakePromo,
    FakeShifts,
    FakeStaff,
    FakeTillData,
)


class FakeClock:
    def __init__(self, start: datetime = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)) -> None:
        self.current = start

    def now(self) -> datetime:
        self.current += timedelta(seconds=1)
        return self.current


class FakeIds:
    def __init__(self, prefix: str = "id") -> None:
        self._counter = itertools.count(1)
        self._prefix = prefix

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._counter)}"


@dataclass
class _Data:
    products: dict[str, Product] = field(default_factory=dict)
    product_groups: dict[str, str] = field(default_factory=dict)
    group_tiles: dict[str, tuple[str | None, bytes | None]] = field(default_factory=dict)
    inactive_groups: set[str] = field(default_factory=set)
    groups: dict[str, GuestGroup] = field(default_factory=dict)
    guests: dict[str, Guest] = field(default_factory=dict)
    identifiers: dict[str, tuple[Identifier, str]] = field(default_factory=dict)
    blocked_identifiers: set[str] = field(default_factory=set)
    accounts: dict[str, tuple[str, AccountView]] = field(default_factory=dict)
    sales: dict[str, Sale] = field(default_factory=dict)
    outbox: list[OutboxEntry] = field(default_factory=list)
    next_seq: int = 1
    next_receipt_no: int = 1
    settings: dict[str, Any] = field(default_factory=dict)
    till: FakeTillData = field(default_factory=FakeTillData)
    sync: FakeSyncData = field(default_factory=FakeSyncData)


class FakeStore:
    """The committed state; call it (like ``Store``) for a unit of work."""

    def __init__(self, terminal: TerminalInfo | None = None) -> None:
        self.data = _Data()
        self.terminal = terminal or TerminalInfo("T1", "T1")
        self.commits = 0
        self.relaxed_commits = 0

    def __call__(self, *, durable: bool = True) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, durable=durable)

    @property
    def pending(self) -> list[OutboxEntry]:
        return [e for e in self.data.outbox if e.status == "pending"]


class _Products:
    def __init__(self, data: _Data) -> None:
        self.d = data

    def _on_sale(self, product: Product | None) -> Product | None:
        inactive = product is not None and product.group_id in self.d.inactive_groups
        return None if inactive else product

    def get(self, product_id: str) -> Product | None:
        return self._on_sale(self.d.products.get(product_id))

    def by_barcode(self, barcode: str) -> Product | None:
        return self._on_sale(self._scanned(barcode))

    def _scanned(self, barcode: str) -> Product | None:
        return next((p for p in self.d.products.values()
                     if barcode in (p.barcode, *p.extra_barcodes)), None)  # fmt: skip

    def off_sale_group(self, *, product_id: str | None = None,
                       barcode: str | None = None) -> tuple[str, str] | None:  # fmt: skip
        found = (self.d.products.get(product_id) if product_id is not None
                 else self._scanned(barcode) if barcode is not None else None)  # fmt: skip
        if found is None or found.group_id not in self.d.inactive_groups:
            return None
        return found.name, self.d.product_groups[found.group_id]

    def add(self, product: Product) -> None:
        self.d.products[product.id] = product

    def add_group(self, group_id: str, name: str, sort_order: int = 0,
                  colour: str | None = None, image: bytes | None = None, *,
                  active: bool = True) -> None:  # fmt: skip
        self.d.product_groups[group_id] = name
        self.d.group_tiles[group_id] = (colour, image)
        (self.d.inactive_groups.discard if active else self.d.inactive_groups.add)(group_id)

    def withdraw(self, product_id: str) -> None:
        self.d.products.pop(product_id, None)

    def all(self) -> Sequence[Product]:
        return [p for p in self.d.products.values() if self._on_sale(p)]


class _Groups:
    def __init__(self, data: _Data) -> None:
        self.d = data

    def get(self, group_id: str) -> GuestGroup | None:
        return self.d.groups.get(group_id)

    def add(self, group: GuestGroup) -> None:
        self.d.groups[group.id] = group

    def all(self) -> Sequence[GuestGroup]:
        return list(self.d.groups.values())


class _Guests:
    def __init__(self, data: _Data) -> None:
        self.d = data

    def get(self, guest_id: str) -> Guest | None:
        return self.d.guests.get(guest_id)

    def by_identifier(self, value: str) -> Guest | None:
        found = self.d.identifiers.get(value)
        if found is None or value in self.d.blocked_identifiers:
            return None
        return self.d.guests.get(found[1])

    def by_phone(self, e164: str) -> Sequence[Guest]:
        return [g for g in self.d.guests.values() if e164 in g.phones]

    def add(self, guest: Guest) -> None:
        self.d.guests[guest.id] = guest

    def add_many(self, guests: Sequence[Guest]) -> None:
        for guest in guests:
            self.d.guests[guest.id] = guest

    def get_many(self, guest_ids: Sequence[str]) -> dict[str, Guest]:
        return {i: self.d.guests[i] for i in guest_ids if i in self.d.guests}

    def add_identifier(self, identifier: Identifier, guest_id: str) -> None:
        owner = self.d.identifiers.get(identifier.value)
        if owner is not None and owner[1] != guest_id:
            raise IdentifierTaken("This card or code already belongs to another guest.")
        self.d.identifiers[identifier.value] = (identifier, guest_id)

    def identifiers_of(self, guest_id: str) -> Sequence[Identifier]:
        return [i for i, g in self.d.identifiers.values() if g == guest_id]

    def block_identifier(self, value: str, guest_id: str) -> bool:
        found = self.d.identifiers.get(value)
        if found is None or found[1] != guest_id:
            return False
        self.d.blocked_identifiers.add(value)
        return True

    def blocked_identifiers(self, guest_id: str) -> frozenset[str]:
        return frozenset(v for v in self.d.blocked_identifiers
                         if self.d.identifiers[v][1] == guest_id)  # fmt: skip

    def count(self) -> int:
        return len(self.d.guests)


class _Accounts:
    def __init__(self, data: _Data) -> None:
        self.d = data

    def set_snapshot(
        self, account_id: str, guest_id: str, kind: str, *, total: int, held: int, at: datetime
    ) -> None:
        self.d.accounts[account_id] = (guest_id, AccountView(account_id, kind, total, held))

    def for_guest(self, guest_id: str) -> Sequence[AccountView]:
        return [a for g, a in self.d.accounts.values() if g == guest_id]


class _Sales:
    def __init__(self, data: _Data) -> None:
        self.d = data

    def add(self, sale: Sale) -> None:
        self.d.sales[sale.id] = sale

    def get(self, sale_id: str) -> Sale | None:
        return self.d.sales.get(sale_id)

    def save(self, sale: Sale) -> None:
        self.d.sales[sale.id] = sale


class _Outbox:
    def __init__(self, data: _Data, store: FakeStore, clock: FakeClock, durable: bool) -> None:
        self.d, self.store, self.clock, self.durable = data, store, clock, durable

    def append(self, operation: Operation) -> OutboxEntry:
        return self.append_stored(operation.KIND, operation.to_json())

    def append_stored(self, kind: str, payload: Mapping[str, Any]) -> OutboxEntry:
        assert self.durable, "operations must be written by a durable unit of work"
        entry = OutboxEntry(
            str(uuid.uuid4()),
            self.store.terminal.terminal_id,
            self.d.next_seq,
            self.clock.now(),
            kind,
            copy.deepcopy(dict(payload)),
        )
        self.d.next_seq += 1
        self.d.outbox.append(entry)
        return entry

    def pending(self, limit: int = 100) -> Sequence[OutboxEntry]:
        return [e for e in self.d.outbox if e.status == "pending"][:limit]


class _Terminal:
    def __init__(self, data: _Data, info: TerminalInfo) -> None:
        self.d, self._info = data, info

    def info(self) -> TerminalInfo:
        return self._info

    def next_receipt_no(self) -> str:
        number = self.d.next_receipt_no
        self.d.next_receipt_no += 1
        return format_receipt_no(self._info.receipt_prefix, number)


class _Settings:
    def __init__(self, data: _Data) -> None:
        self._data = data

    def get(self, key: str, default: Any = None) -> Any:
        return copy.deepcopy(self._data.settings.get(key, default))

    def set(self, key: str, value: Any) -> None:
        self._data.settings[key] = copy.deepcopy(value)

    def delete(self, key: str) -> None:
        self._data.settings.pop(key, None)

    def with_prefix(self, prefix: str) -> dict[str, Any]:
        return {k: v for k, v in sorted(self._data.settings.items()) if k.startswith(prefix)}


class FakeUnitOfWork:
    def __init__(self, store: FakeStore, *, durable: bool = True) -> None:
        self.store = store
        self.durable = durable
        self.committed = False

    def __enter__(self) -> Self:
        self._begin()
        return self

    def _begin(self) -> None:
        self.work = copy.deepcopy(self.store.data)
        self.products = _Products(self.work)
        self.groups = _Groups(self.work)
        self.guests = _Guests(self.work)
        self.accounts = _Accounts(self.work)
        self.sales = _Sales(self.work)
        self.outbox = _Outbox(self.work, self.store, FakeClock(), self.durable)
        self.terminal = _Terminal(self.work, self.store.terminal)
        self.settings = _Settings(self.work)
        self.staff = FakeStaff(self.work.till)
        self.shifts = FakeShifts(self.work.till, self.work.sales)
        self.promo = FakePromo(self.work.till)
        self.guest_search = FakeGuestSearch(self.work.guests)
        self.sync = FakeSync(self.work.sync, self.work.outbox)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.work = _Data()  # anything not committed is gone

    def commit(self) -> None:
        self.store.data = copy.deepcopy(self.work)
        self.store.commits += 1
        self.store.relaxed_commits += 0 if self.durable else 1
        self.committed = True

    def rollback(self) -> None:
        self._begin()
