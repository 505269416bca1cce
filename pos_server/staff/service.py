"""Staff on the server: cashiers, managers, operators and admins with roles and credentials.

A PIN is 4-8 digits (6-8 for managers and admins) and is never stored: the server keeps a
scrypt hash (``pos_app.domain.staff_pins``), a random 16-byte salt and the hash parameters.
Those three travel to the tills in the change feed (entity ``staff``) so a till checks a PIN
offline; the shape is what ``pos_app.services.staff.staff_from_feed`` reads. The PIN alone
identifies a person at the till, so two active staff members may not share a PIN (checked on
add and on a PIN change, by hashing the new PIN with every active member's salt).

Because every till holds the PIN hashes, a PIN can be guessed offline from a stolen till
database; so the server's admin routes take a password or a staff key
(``pos_server.staff.passwords``, never in the feed), and a PIN only with an enrolled
terminal's token for the till's own manager calls (``pos_server.staff.auth``).

Everything runs in the caller's unit of work (``pos_server.uow``: the CLI's, the back
office's and the admin routes' header authentication each open one), reads and writes through
``uow.staff``, feeds the tills through ``uow.feed``, and each change writes one ``uow.audit``
row (who: the unit of work's actor).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from pos_app.domain.staff_permissions import held
from pos_app.domain.staff_pins import (
    PIN_PARAMS,
    SALT_BYTES,
    Role,
    hash_pin,
    is_legacy,
    min_pin_digits,
    pin_format_ok,
    pin_ok_for_role,
    pin_rule,
)
from pos_app.domain.staff_pins import pin_matches as domain_pin_matches
from pos_server.db.models_staff import StaffRow
from pos_server.staff import passwords as staff_passwords
from pos_server.uow import UnitOfWork

STAFF_ENTITY = "staff"
STAFF_REALM = "staff"  # the back office's sessions (pos_server.web.sessions)
# Roles, the PIN format, parameters and hashing are pos_app.domain.staff_pins: the tills check
# the hashes this server makes with the very same code.


class StaffError(Exception):
    """A staff request cannot be done; the message is a sentence for the operator."""


class WrongCredentials(StaffError):
    """Unknown or withdrawn staff id, a wrong PIN/password/key, or a right one of a person
    whose role may not do this: deliberately not told apart (nobody learns whose PIN it is)."""


WRONG_PIN = "Unknown member of staff or wrong PIN."
WRONG_PASSWORD = "Unknown member of staff or wrong password."
WRONG_KEY = "Unknown or withdrawn staff key."


def require_pin(pin: str, role: Role | str | None = None) -> str:
    """``pin`` stripped if it may be a new PIN (of ``role``: 6+ digits for managers, admins)."""
    pin = pin.strip()
    if not pin_format_ok(pin):
        raise StaffError("A PIN is 4 to 8 digits.")
    if role is not None and not pin_ok_for_role(pin, role):
        raise StaffError(pin_rule(role))
    return pin


def pin_matches(row: StaffRow, pin: str) -> bool:
    return domain_pin_matches(pin, row.pin_hash, row.salt, row.params)


def feed_data(row: StaffRow, permissions: Iterable[str]) -> dict[str, Any]:
    """The ``staff`` change: hash, salt and parameters, never the PIN; and the permissions the
    member holds (``pos_app.domain.staff_permissions.held``: the till honours
    ``bonus_settings``, the same checkbox as the back office's)."""
    return {"staff_id": row.id, "name": row.name, "role": row.role, "pin_hash": row.pin_hash,
            "salt": row.salt, "params": dict(row.params), "active": row.active,
            "permissions": sorted(permissions)}  # fmt: skip


def public_view(row: StaffRow) -> dict[str, Any]:
    """What the CLI prints: no hash, no salt; which credentials are set, and whether the PIN
    predates scrypt and the 6-digit rule (``pin_outdated``: set it again)."""
    return {"staff_id": row.id, "name": row.name, "role": row.role, "active": row.active,
            "pin_outdated": is_legacy(row.params), "password": row.password_hash is not None,
            "key": row.key_hash is not None}  # fmt: skip


def pin_change_needed(row: StaffRow) -> bool:
    """An active manager or admin whose PIN was set under the old rule (it may be 4-5 digits):
    it keeps working at the tills, but the server takes only 6+ digits."""
    return row.active and is_legacy(row.params) and Role(row.role) in (Role.MANAGER, Role.ADMIN)


def _refuse_shared_pin(uow: UnitOfWork, pin: str, except_id: str | None) -> None:
    for other in uow.staff.active_rows():
        if other.id != except_id and pin_matches(other, pin):
            raise StaffError(
                "Another active member of staff already has this PIN; a till tells people "
                "apart by PIN alone, so choose a different one."
            )


def _set_pin(row: StaffRow, pin: str) -> None:
    salt = secrets.token_bytes(SALT_BYTES)
    row.params = dict(PIN_PARAMS)
    row.salt = salt.hex()
    row.pin_hash = hash_pin(pin, salt, row.params)


def _name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise StaffError("A staff member's name is 1 to 200 characters.")
    return name


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise StaffError(f"Unknown role {role!r}; the roles are {roles}.") from None


def _may_touch(by_role: Role, *roles: Role | str) -> None:
    """Only an admin makes, changes or withdraws an admin: a manager holding the staff
    permission must not be able to raise anyone (themselves included) above their own role."""
    if by_role is not Role.ADMIN and Role.ADMIN in {Role(r) for r in roles}:
        raise StaffError("Only an admin may add, change or deactivate an admin.")


def _audit(uow: UnitOfWork, action: str, row: StaffRow, before: dict[str, Any] | None) -> None:
    uow.audit.record(action, f"staff:{row.id}", before=before, after=public_view(row))


def fed(uow: UnitOfWork, row: StaffRow) -> None:
    """Send the member as they are now to the tills (with the permissions they hold)."""
    uow.feed.record(STAFF_ENTITY, row.id, feed_data(
        row, held(row.role, row.active, uow.staff.permissions(row.id))))  # fmt: skip


def add_staff(
    uow: UnitOfWork, name: str, role: str, pin: str, *, by_role: Role = Role.ADMIN
) -> StaffRow:
    """Create a staff member and send them to the tills through the change feed (audited)."""
    checked_role = _role(role)
    _may_touch(by_role, checked_role)
    row = StaffRow(id=str(uuid.uuid4()), name=_name(name), role=checked_role.value, active=True,
                   created_at=uow.now, updated_at=uow.now)  # fmt: skip
    pin = require_pin(pin, checked_role)
    _refuse_shared_pin(uow, pin, None)
    _set_pin(row, pin)
    uow.staff.add(row)
    fed(uow, row)
    _audit(uow, "staff.add", row, None)
    return row


def edit(
    uow: UnitOfWork, staff_id: str, name: str, role: str, *, pin: str | None = None,
    by_role: Role = Role.ADMIN,
) -> StaffRow:  # fmt: skip
    """A new name and/or role (fed to the tills). A member raised to manager or admin needs a
    new PIN of 6+ digits with it: the old one may be shorter, and only its hash is kept."""
    row = _get(uow, staff_id)
    new_role = _role(role)
    _may_touch(by_role, row.role, new_role)
    before = public_view(row)
    raised = min_pin_digits(new_role) > min_pin_digits(row.role) or is_legacy(row.params)
    if pin:
        pin = require_pin(pin, new_role)
        _refuse_shared_pin(uow, pin, row.id)
    elif raised and new_role.value != row.role:
        raise StaffError(f"A new role of {new_role.value} needs a new PIN: {pin_rule(new_role)}")
    if new_role is not Role.ADMIN and row.role == Role.ADMIN.value:
        _refuse_last_admin(uow, row)
    row.name, row.role = _name(name), new_role.value
    if pin:
        _set_pin(row, pin)
    if public_view(row) != before or pin:
        row.updated_at = uow.now
        fed(uow, row)
        _audit(uow, "staff.edit", row, before)
    return row


def change_pin(uow: UnitOfWork, staff_id: str, pin: str, *, by_role: Role = Role.ADMIN
               ) -> StaffRow:  # fmt: skip
    """New PIN (new salt); the tills get the new hash through the feed."""
    row = _get(uow, staff_id)
    _may_touch(by_role, row.role)
    before = public_view(row)
    pin = require_pin(pin, row.role)
    _refuse_shared_pin(uow, pin, row.id)
    _set_pin(row, pin)
    row.updated_at = uow.now
    fed(uow, row)
    _audit(uow, "staff.set_pin", row, before)
    return row


def _refuse_last_admin(uow: UnitOfWork, row: StaffRow) -> None:
    if row.active and row.role == Role.ADMIN.value and uow.staff.count_active_admins() <= 1:
        raise StaffError("This is the last active admin; add another admin first.")


def deactivate(uow: UnitOfWork, staff_id: str, *, by_role: Role = Role.ADMIN) -> StaffRow:
    """The person can no longer sign in anywhere once the tills pull the change; their web
    sessions end at once."""
    row = _get(uow, staff_id)
    _may_touch(by_role, row.role)
    if row.active:
        _refuse_last_admin(uow, row)
        before = public_view(row)
        row.active = False
        row.updated_at = uow.now
        fed(uow, row)
        uow.web_sessions.remove_of(STAFF_REALM, row.id)
        _audit(uow, "staff.deactivate", row, before)
    return row


def _get(uow: UnitOfWork, staff_id: str) -> StaffRow:
    row = uow.staff.row(staff_id)
    if row is None:
        raise StaffError(f"No member of staff has the id {staff_id!r}.")
    return row


def set_password(uow: UnitOfWork, staff_id: str, password: str, *,
                 by_role: Role = Role.ADMIN) -> StaffRow:  # fmt: skip
    """A new server password (argon2id) for the admin routes and the back office; not fed.
    The person's back-office sessions end (a reset password signs them out everywhere)."""
    row = _get(uow, staff_id)
    _may_touch(by_role, row.role)
    try:
        row.password_hash = staff_passwords.hash_password(password)
    except staff_passwords.PasswordRefused as exc:
        raise StaffError(str(exc)) from None
    row.updated_at = uow.now
    uow.web_sessions.remove_of(STAFF_REALM, row.id)
    uow.audit.record("staff.set_password", f"staff:{row.id}")  # never the hash
    return row


def new_key(uow: UnitOfWork, staff_id: str) -> tuple[StaffRow, str]:
    """A new staff key (the old one stops working); the key is returned to be shown once."""
    row = _get(uow, staff_id)
    key = staff_passwords.new_key()
    row.key_hash = staff_passwords.key_digest(key)
    row.updated_at = uow.now
    uow.audit.record("staff.new_key", f"staff:{row.id}")
    return row, key


def withdraw_key(uow: UnitOfWork, staff_id: str) -> StaffRow:
    row = _get(uow, staff_id)
    row.key_hash = None
    row.updated_at = uow.now
    uow.audit.record("staff.withdraw_key", f"staff:{row.id}")
    return row


def authenticate(uow: UnitOfWork, staff_id: str, pin: str, roles: set[Role]) -> StaffRow:
    """The active staff member ``staff_id`` if ``pin`` is theirs and their role is in ``roles``
    (the till's manager calls); WrongCredentials otherwise, the same for every reason."""
    row = uow.staff.row(staff_id)
    if row is None or not row.active:
        hash_pin(pin, bytes(SALT_BYTES), PIN_PARAMS)  # same cost as a real check: no timing hint
        raise WrongCredentials(WRONG_PIN)
    if not pin_matches(row, pin) or Role(row.role) not in roles:
        raise WrongCredentials(WRONG_PIN)
    return row


def authenticate_password(
    uow: UnitOfWork, staff_id: str, password: str, roles: set[Role]
) -> StaffRow:
    """As ``authenticate``, with the server password instead of the PIN."""
    row = uow.staff.row(staff_id)
    usable = row is not None and row.active
    stored = row.password_hash if row is not None and usable else None
    if not staff_passwords.password_matches(password, stored):  # as slow when nothing is set
        raise WrongCredentials(WRONG_PASSWORD)
    assert row is not None
    if Role(row.role) not in roles:
        raise WrongCredentials(WRONG_PASSWORD)
    if staff_passwords.needs_rehash(row.password_hash or ""):
        row.password_hash = staff_passwords.hash_password(password)
    return row


def authenticate_key(uow: UnitOfWork, key: str, roles: set[Role]) -> StaffRow:
    """The active staff member whose key this is, if their role is in ``roles``."""
    row = uow.staff.by_key_digest(staff_passwords.key_digest(key))
    if row is None or not row.active or Role(row.role) not in roles:
        raise WrongCredentials(WRONG_KEY)
    return row


def list_staff(uow: UnitOfWork) -> list[StaffRow]:
    return uow.staff.rows()


def get(uow: UnitOfWork, staff_id: str) -> StaffRow:
    """The member of this id; StaffError when there is none."""
    return _get(uow, staff_id)
