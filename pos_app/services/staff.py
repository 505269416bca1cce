"""Staff at the till: sign-in by PIN, manager approval of guarded actions, role permissions.

API (all results plain frozen data; errors are ``DomainError`` subclasses with a cashier-readable
message and a stable ``code``)::

    staff = StaffService(uow_factory, clock)
    session = staff.sign_in("1111")            # -> StaffSession; WrongPin / SignInLocked
    staff.require(session, Action.VOID)        # PermissionDenied unless the role allows it
    ok = staff.authorize_manager("9999", Action.VOID)   # -> Authorization (who, what, when)
    staff.upsert_from_feed(change.data)        # a ``staff`` entity from the change feed
    staff.add_staff(staff_id, name, role, pin) # demo data / tests: hashes the PIN here
    staff.list_staff()                         # -> [StaffView] (no hashes)

Staff come from the server's change feed as ``staff`` entities carrying the PIN *hash*, salt and
hash parameters, never the PIN (see ``staff_from_feed`` for the shape), so a till checks a PIN
offline. A PIN is 4-8 digits (new manager and admin PINs 6-8: the server's rule; older shorter
ones keep working here until changed). The PIN alone identifies the person (each staff record
is tried; salts differ, so there is no lookup by hash). The hashes are deliberately slow
(scrypt, ``pos_app.domain.staff_pins``), so the records are checked in parallel threads
(hashlib's scrypt releases the GIL): with 20 staff a sign-in costs about one hash per core
rather than twenty in a row (docs/security.md has the measurements).

Throttling: wrong PINs are counted per till (``settings`` key ``staff.sign_in_failures``),
surviving a restart. After ``FREE_ATTEMPTS`` wrong PINs in a row every further wrong PIN locks
sign-in for ``LOCK_SECONDS`` doubled each time (capped at ``MAX_LOCK_SECONDS``); a right PIN
resets the count. Manager approvals share the same counter (a PIN is a PIN).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pos_app.domain.errors import DomainError
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.operations import Approval
from pos_app.domain.staff_permissions import StaffPermission
from pos_app.domain.staff_pins import LEGACY_PARAMS, PIN_PARAMS, Role, hash_pin, pin_format_ok
from pos_app.domain.staff_pins import pin_matches as domain_pin_matches
from pos_app.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from pos_app.services.ports_till import StaffRecord

FREE_ATTEMPTS = 3
LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 15 * 60
FAILURES_KEY = "staff.sign_in_failures"
DEFAULT_PARAMS = PIN_PARAMS
MAX_CHECK_THREADS = 4  # scrypt takes 16 MiB a check: a few at a time on a till


class Action(StrEnum):
    SELL = "sell"
    OPEN_SHIFT = "open_shift"
    CLOSE_SHIFT = "close_shift"
    CASH_IN_OUT = "cash_in_out"
    X_REPORT = "x_report"
    GUEST_ORDERS = "guest_orders"
    VOID = "void"
    REFUND = "refund"
    PRICE_OVERRIDE = "price_override"
    DISCOUNT_OVERRIDE = "discount_override"
    BONUS_SETTINGS = "bonus_settings"
    RESET_HOLDS = "reset_holds"
    CLOSE_SHIFT_WITH_PENDING = "close_shift_with_pending"
    RECONCILE = "reconcile"  # see and resolve the operations the server rejected


ACTION_TEXT = {
    Action.SELL: "sell",
    Action.OPEN_SHIFT: "open a shift",
    Action.CLOSE_SHIFT: "close the shift",
    Action.CASH_IN_OUT: "put cash in or take it out",
    Action.X_REPORT: "print an X report",
    Action.GUEST_ORDERS: "handle guest orders",
    Action.VOID: "void a sale",
    Action.REFUND: "make a refund",
    Action.PRICE_OVERRIDE: "change a price",
    Action.DISCOUNT_OVERRIDE: "give a discount beyond the rules",
    Action.BONUS_SETTINGS: "change bonus settings on an order",
    Action.RESET_HOLDS: "reset a guest's holds",
    Action.CLOSE_SHIFT_WITH_PENDING: "close the shift with operations not yet sent",
    Action.RECONCILE: "deal with the operations the server did not accept",
}
_EVERYDAY = frozenset({Action.SELL, Action.OPEN_SHIFT, Action.CLOSE_SHIFT, Action.CASH_IN_OUT,
                       Action.X_REPORT})  # fmt: skip
ROLE_PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.CASHIER: _EVERYDAY,
    Role.OPERATOR: _EVERYDAY | {Action.GUEST_ORDERS},
    Role.MANAGER: frozenset(Action),
    Role.ADMIN: frozenset(Action),
}


# What a staff permission held (the back office's checkbox, fed to the tills) allows at the till
# beyond the role: "bonus settings" also sets the percentages on an order (seed 004).
ACTIONS_BY_PERMISSION: Mapping[str, frozenset[Action]] = {
    StaffPermission.BONUS_SETTINGS.value: frozenset({Action.BONUS_SETTINGS}),
}


def granted_actions(granted: Iterable[str]) -> frozenset[Action]:
    return frozenset(a for p in granted for a in ACTIONS_BY_PERMISSION.get(p, ()))


class InvalidPin(DomainError):
    code = "invalid_pin"


class WrongPin(DomainError):
    code = "wrong_pin"


class SignInLocked(DomainError):
    code = "sign_in_locked"


class UnknownStaff(DomainError):
    code = "unknown_staff"


@dataclass(frozen=True, slots=True)
class StaffSession:
    """Who is signed in at the till; the UI keeps it and passes it to guarded use cases."""

    staff_id: str
    name: str
    role: str
    permissions: frozenset[str]
    signed_in_at: datetime
    granted: frozenset[str] = frozenset()  # given to this person beyond the role (the server's)

    def can(self, action: Action) -> bool:
        return action.value in self.permissions or action in granted_actions(self.granted)


@dataclass(frozen=True, slots=True)
class Authorization:
    """A manager's approval of one action (recorded in the operation it allowed)."""

    staff_id: str
    name: str
    role: str
    action: str
    at: datetime

    def as_approval(self) -> Approval:
        """As operations record it (``shift.closed``, ``sale.refunded``)."""
        return Approval(staff_id=self.staff_id, name=self.name, role=self.role,
                        action=self.action, at=self.at)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StaffView:
    staff_id: str
    name: str
    role: str
    active: bool


def require_pin(pin: str) -> str:
    pin = pin.strip()
    if not pin_format_ok(pin):
        raise InvalidPin("A PIN is 4 to 8 digits.")
    return pin


def pin_matches(record: StaffRecord, pin: str) -> bool:
    """A record this till cannot check never signs anyone in."""
    return domain_pin_matches(pin, record.pin_hash, record.salt, record.params)


def make_record(
    staff_id: str, name: str, role: str, pin: str, salt: bytes, *,
    params: Mapping[str, Any] = DEFAULT_PARAMS, active: bool = True,
) -> StaffRecord:  # fmt: skip
    """A staff record with the PIN hashed (demo data, tests, a server-less till)."""
    Role(role)
    return StaffRecord(staff_id, name, role, hash_pin(require_pin(pin), salt, params),
                       salt.hex(), dict(params), active)  # fmt: skip


def staff_from_feed(data: Mapping[str, Any]) -> StaffRecord:
    """A ``staff`` change-feed entity: ``{"staff_id"|"id", "name", "role", "pin_hash",
    "salt", "params", "active"}`` (hash and salt hex, params as in ``StaffRecord``)."""
    staff_id = str(data.get("staff_id") or data["id"])
    return StaffRecord(
        staff_id, str(data["name"]), Role(str(data["role"])).value,
        str(data["pin_hash"]).lower(), str(data["salt"]).lower(),
        dict(data.get("params") or LEGACY_PARAMS), bool(data.get("active", True)),
        frozenset(str(p) for p in data.get("permissions") or ()),
    )  # fmt: skip


class StaffService:
    """Sign-in, permissions and manager approvals; one unit of work per call."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow_factory
        self._clock = clock

    def sign_in(self, pin: str) -> StaffSession:
        """The staff member whose PIN this is; a wrong PIN counts towards the lock."""
        record = self._check_pin(pin)
        return StaffSession(record.staff_id, record.name, record.role,
                            _permissions(record.role), self._clock.now(),
                            record.permissions)  # fmt: skip

    def require(self, session: StaffSession, action: Action) -> None:
        if not session.can(action):
            raise _denied(session.name, session.role, action)

    def authorize_manager(self, pin: str, action: Action) -> Authorization:
        """Approve ``action`` with the PIN of someone whose role allows it."""
        record = self._check_pin(pin)
        allowed = ROLE_PERMISSIONS[Role(record.role)] | granted_actions(record.permissions)
        if action not in allowed:
            raise _denied(record.name, record.role, action)
        return Authorization(record.staff_id, record.name, record.role, action.value,
                             self._clock.now())  # fmt: skip

    def add_staff(self, staff_id: str, name: str, role: str, pin: str, salt: bytes) -> StaffView:
        record = make_record(staff_id, name, role, pin, salt)
        with self._uow() as uow:
            uow.staff.add(record)
            uow.commit()
        return _view(record)

    def upsert_from_feed(self, data: Mapping[str, Any]) -> StaffView:
        record = staff_from_feed(data)
        with self._uow() as uow:
            uow.staff.add(record)
            uow.commit()
        return _view(record)

    def list_staff(self) -> list[StaffView]:
        with self._uow(durable=False) as uow:
            return [_view(r) for r in uow.staff.active()]

    def _check_pin(self, pin: str) -> StaffRecord:
        pin = require_pin(pin)
        now = self._clock.now()
        with self._uow(durable=False) as uow:
            failures = uow.settings.get(FAILURES_KEY) or {"count": 0, "locked_until": None}
            _refuse_if_locked(failures, now)
            staff = uow.staff.active()
            if not staff:  # nothing to guess against: not a wrong PIN, so nothing is counted
                raise UnknownStaff("No staff are set up on this till yet; sync with the server "
                                   "or load the demo data.")  # fmt: skip
            record = find_by_pin(staff, pin)
            if record is not None:
                if failures["count"]:
                    uow.settings.delete(FAILURES_KEY)
                    uow.commit()
                return record
            error = _count_failure(uow, failures, now)
            uow.commit()  # the failure is kept though the call fails
        raise error


def find_by_pin(records: Sequence[StaffRecord], pin: str) -> StaffRecord | None:
    """The record whose PIN ``pin`` is, checking them on up to ``MAX_CHECK_THREADS`` cores."""
    threads = min(MAX_CHECK_THREADS, os.cpu_count() or 1, len(records))
    if threads <= 1:
        return next((r for r in records if pin_matches(r, pin)), None)
    with ThreadPoolExecutor(threads, thread_name_prefix="pin-check") as pool:
        matches = list(pool.map(lambda record: pin_matches(record, pin), records))
    return next((r for r, ok in zip(records, matches, strict=True) if ok), None)


def _permissions(role: str) -> frozenset[str]:
    return frozenset(a.value for a in ROLE_PERMISSIONS[Role(role)])


def _view(record: StaffRecord) -> StaffView:
    return StaffView(record.staff_id, record.name, record.role, record.active)


def _denied(name: str, role: str, action: Action) -> PermissionDenied:
    return PermissionDenied(
        f"{name} ({role}) may not {ACTION_TEXT[action]}; a manager's PIN is needed.",
        permission=action.value, role=role,
    )  # fmt: skip


def _refuse_if_locked(failures: Mapping[str, Any], now: datetime) -> None:
    until = failures.get("locked_until")
    if until and datetime.fromisoformat(until) > now:
        seconds = int((datetime.fromisoformat(until) - now).total_seconds()) + 1
        raise SignInLocked(f"Too many wrong PINs. Try again in {seconds} seconds.", seconds=seconds)


def _count_failure(uow: UnitOfWork, failures: Mapping[str, Any], now: datetime) -> DomainError:
    count = int(failures["count"]) + 1
    over = count - FREE_ATTEMPTS
    locked_until = None
    if over >= 0:
        seconds = min(LOCK_SECONDS * 2**over, MAX_LOCK_SECONDS)
        locked_until = (now + timedelta(seconds=seconds)).isoformat()
    uow.settings.set(FAILURES_KEY, {"count": count, "locked_until": locked_until})
    if locked_until is not None:
        seconds = min(LOCK_SECONDS * 2**over, MAX_LOCK_SECONDS)
        return SignInLocked(f"Wrong PIN. Sign-in is paused for {seconds} seconds.",
                            seconds=seconds, attempts=count)  # fmt: skip
    left = FREE_ATTEMPTS - count
    return WrongPin(
        f"Wrong PIN. {left} more {'try' if left == 1 else 'tries'} before a pause.",
        attempts=count, tries_left=left,
    )  # fmt: skip
