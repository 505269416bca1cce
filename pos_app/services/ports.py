"""Ports the use cases need, as ``typing.Protocol``s (cosmicpython's repository + unit of work).

The SQLite adapter in ``pos_app.db`` implements them; ``tests/services/fakes.py`` has in-memory
fakes. A unit of work rolls back unless ``commit()`` is called, and everything a use case writes
through it - the change and its outbox operations - lands in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from pos_app.domain.catalog import Product
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier
from pos_app.domain.operations import Operation
from pos_app.domain.sale import Sale
from pos_app.services.ports_till import (
    GuestSearch,
    PromoRepository,
    ShiftRepository,
    StaffRepository,
)

if TYPE_CHECKING:  # ports_sync imports OutboxEntry from here
    from pos_app.services.ports_sync import SyncRepository


class StoreError(Exception):
    """The local store cannot be used (damaged, unreadable, locked); names the file and backup.

    Raised by the storage adapter; defined here so the UI and commands can catch it without
    importing the adapter.
    """

    def __init__(self, path: Path, reason: str, backup: Path | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.backup = backup
        hint = (
            f"The newest backup is {self.backup}."
            if self.backup
            else "No backup of it was found next to it."
        )
        super().__init__(f"Cannot use the till database {self.path}: {reason}. {hint}")


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One operation for the server (DESIGN.md "Sync protocol")."""

    op_id: str
    terminal_id: str
    seq: int
    created_at: datetime
    kind: str
    payload: Mapping[str, Any]
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class TerminalInfo:
    terminal_id: str
    receipt_prefix: str


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> str:
        """A fresh unique id (UUID text in production)."""
        ...


class ProductRepository(Protocol):
    def get(self, product_id: str) -> Product | None: ...
    def by_barcode(self, barcode: str) -> Product | None: ...
    def add(self, product: Product) -> None:
        """Insert or replace the product (catalogue pull and demo data)."""
        ...
    def add_group(
        self,
        group_id: str,
        name: str,
        sort_order: int = 0,
        colour: str | None = None,
        image: bytes | None = None,
        *,
        active: bool = True,
    ) -> None:
        """Insert or replace; ``colour``/``image``: its products' tiles (theirs win);
        ``active`` False: its tile and products are off sale (not found, shown or scanned)
        until it is active again."""
        ...
    def off_sale_group(
        self, *, product_id: str | None = None, barcode: str | None = None
    ) -> tuple[str, str] | None:
        """(product name, group name) of a product off sale only by its inactive group."""
        ...
    def withdraw(self, product_id: str) -> None:
        """The catalogue withdrew it: no longer found or shown (its barcode is freed); a sale
        already holding it keeps its line. ``add`` brings it back."""
        ...
    def all(self) -> Sequence[Product]: ...


class GuestGroupRepository(Protocol):
    def get(self, group_id: str) -> GuestGroup | None: ...
    def add(self, group: GuestGroup) -> None:
        """Insert or replace."""
        ...
    def all(self) -> Sequence[GuestGroup]: ...


class GuestRepository(Protocol):
    def get(self, guest_id: str) -> Guest | None: ...
    def by_identifier(self, value: str) -> Guest | None:
        """The guest owning a *normalised* identifier value."""
        ...
    def by_phone(self, e164: str) -> Sequence[Guest]: ...
    def add(self, guest: Guest) -> None:
        """Insert or replace the guest with their phones."""
        ...
    def add_many(self, guests: Sequence[Guest]) -> None:
        """Insert or replace many guests at once (the change feed's first sync)."""
        ...
    def get_many(self, guest_ids: Sequence[str]) -> Mapping[str, Guest]:
        """The guests among ``guest_ids`` that exist, by id."""
        ...
    def add_identifier(self, identifier: Identifier, guest_id: str) -> None:
        """Bind a card/app identifier; raises ``IdentifierTaken`` if another guest has it."""
        ...
    def identifiers_of(self, guest_id: str) -> Sequence[Identifier]:
        """The guest's identifiers, blocked ones too, in the order they were bound."""
        ...
    def block_identifier(self, value: str, guest_id: str) -> bool:
        """Block the guest's ``value`` (it identifies nobody, stays theirs); False: not
        the guest's."""
        ...
    def blocked_identifiers(self, guest_id: str) -> frozenset[str]: ...
    def count(self) -> int: ...


class AccountRepository(Protocol):
    """Cached snapshots of the guests' accounts; the server holds the ledger."""

    def set_snapshot(
        self, account_id: str, guest_id: str, kind: str, *, total: int, held: int, at: datetime
    ) -> None: ...
    def for_guest(self, guest_id: str) -> Sequence[AccountView]: ...


@dataclass(frozen=True, slots=True)
class AccountView:
    account_id: str
    kind: str  # "bonus" | "balance"
    total: int
    held: int

    @property
    def available(self) -> int:
        return self.total - self.held


class SaleRepository(Protocol):
    def add(self, sale: Sale) -> None: ...
    def get(self, sale_id: str) -> Sale | None: ...
    def save(self, sale: Sale) -> None:
        """Write the sale's current state (lines, guest snapshot, payments, status)."""
        ...


class Outbox(Protocol):
    def append(self, operation: Operation) -> OutboxEntry:
        """Queue ``operation`` (stored as its ``to_json()``, its ``KIND`` the entry's kind) in
        the current transaction with the next gap-free ``seq``."""
        ...
    def pending(self, limit: int = 100) -> Sequence[OutboxEntry]: ...


class SettingsRepository(Protocol):
    """Per-terminal settings and small state (device setup, sync cursors), JSON values."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any) -> None:
        """Insert or replace; ``value`` must be JSON-serialisable."""
        ...
    def delete(self, key: str) -> None: ...
    def with_prefix(self, prefix: str) -> Mapping[str, Any]: ...


class Terminal(Protocol):
    def info(self) -> TerminalInfo: ...
    def next_receipt_no(self) -> str:
        """The next receipt number of this till (``"T1-000042"``), gap-free with the commit."""
        ...


class UnitOfWork(Protocol):
    """One transaction: repositories and the outbox share it; rolls back unless committed."""

    @property
    def products(self) -> ProductRepository: ...
    @property
    def groups(self) -> GuestGroupRepository: ...
    @property
    def guests(self) -> GuestRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def sales(self) -> SaleRepository: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def terminal(self) -> Terminal: ...
    @property
    def settings(self) -> SettingsRepository: ...
    # the till's own repositories (ports_till.py)
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def shifts(self) -> ShiftRepository: ...
    @property
    def promo(self) -> PromoRepository: ...
    @property
    def guest_search(self) -> GuestSearch: ...
    # the sync engine's holds, reconciliation items and verdicts (ports_sync.py)
    @property
    def sync(self) -> SyncRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, durable: bool = True) -> UnitOfWork:
        """A new unit of work. ``durable=False`` is for basket edits that a crash may lose
        (the cashier scans again): the store may keep them in memory until the sale's next
        durable write or an idle flush; such a unit of work may not write outbox operations.
        Paying and closing a sale is always durable and writes every earlier edit with it."""
        ...
