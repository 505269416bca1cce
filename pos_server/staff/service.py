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
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.guest_card import Permission
from pos_app.domain.staff_pins import (
    PIN_PARAMS,
    SALT_BYTES,
    Role,
    hash_pin,
    is_legacy,
    pin_format_ok,
    pin_ok_for_role,
    pin_rule,
)
from pos_app.domain.staff_pins import pin_matches as domain_pin_matches
from pos_server.db.models_staff import StaffRow
from pos_server.feed.changes import record_change
from pos_server.staff import passwords as staff_passwords

STAFF_ENTITY = "staff"
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


def feed_data(row: StaffRow) -> dict[str, Any]:
    """The ``staff`` change: hash, salt and parameters, never the PIN."""
    return {"staff_id": row.id, "name": row.name, "role": row.role, "pin_hash": row.pin_hash,
            "salt": row.salt, "params": dict(row.params), "active": row.active,
            "permissions": sorted(row.permissions or ())}  # fmt: skip


def public_view(row: StaffRow) -> dict[str, Any]:
    """What the CLI prints: no hash, no salt; which credentials are set, and whether the PIN
    predates scrypt and the 6-digit rule (``pin_outdated``: set it again)."""
    return {"staff_id": row.id, "name": row.name, "role": row.role, "active": row.active,
            "pin_outdated": is_legacy(row.params), "password": row.password_hash is not None,
            "key": row.key_hash is not None,
            "permissions": sorted(row.permissions or ())}  # fmt: skip


def pin_change_needed(row: StaffRow) -> bool:
    """An active manager or admin whose PIN was set under the old rule (it may be 4-5 digits):
    it keeps working at the tills, but the server takes only 6+ digits."""
    return row.active and is_legacy(row.params) and Role(row.role) in (Role.MANAGER, Role.ADMIN)


def _refuse_shared_pin(session: Session, pin: str, except_id: str | None) -> None:
    for other in session.scalars(select(StaffRow).where(StaffRow.active.is_(True))):
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


def add_staff(session: Session, name: str, role: str, pin: str, now: datetime) -> StaffRow:
    """Create a staff member and send them to the tills through the change feed."""
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise StaffError("A staff member's name is 1 to 200 characters.")
    try:
        checked_role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise StaffError(f"Unknown role {role!r}; the roles are {roles}.") from None
    pin = require_pin(pin, checked_role)
    _refuse_shared_pin(session, pin, None)
    row = StaffRow(id=str(uuid.uuid4()), name=name, role=checked_role.value, active=True,
                   created_at=now, updated_at=now)  # fmt: skip
    _set_pin(row, pin)
    session.add(row)
    session.flush()
    record_change(session, STAFF_ENTITY, row.id, feed_data(row), now)
    return row


def change_pin(session: Session, staff_id: str, pin: str, now: datetime) -> StaffRow:
    """New PIN (new salt); the tills get the new hash through the feed."""
    row = _get(session, staff_id)
    pin = require_pin(pin, row.role)
    _refuse_shared_pin(session, pin, row.id)
    _set_pin(row, pin)
    row.updated_at = now
    record_change(session, STAFF_ENTITY, row.id, feed_data(row), now)
    return row


def deactivate(session: Session, staff_id: str, now: datetime) -> StaffRow:
    """The person can no longer sign in anywhere once the tills pull the change."""
    row = _get(session, staff_id)
    if row.active:
        row.active = False
        row.updated_at = now
        record_change(session, STAFF_ENTITY, row.id, feed_data(row), now)
    return row


def set_permission(session: Session, staff_id: str, permission: str, granted: bool,
                   now: datetime) -> StaffRow:  # fmt: skip
    """Grant or withdraw one permission beyond the role's (``pos_app.domain.guest_card.
    Permission``: ``bonus_settings`` is given only so); the tills learn it from the feed."""
    try:
        checked = Permission(permission)
    except ValueError:
        known = ", ".join(p.value for p in Permission)
        raise StaffError(f"Unknown permission {permission!r}; they are {known}.") from None
    row = _get(session, staff_id)
    held = set(row.permissions or ())
    after = held | {checked.value} if granted else held - {checked.value}
    if after != held:
        row.permissions = sorted(after)
        row.updated_at = now
        record_change(session, STAFF_ENTITY, row.id, feed_data(row), now)
    return row


def _get(session: Session, staff_id: str) -> StaffRow:
    row = session.get(StaffRow, staff_id)
    if row is None:
        raise StaffError(f"No member of staff has the id {staff_id!r}.")
    return row


def set_password(session: Session, staff_id: str, password: str, now: datetime) -> StaffRow:
    """A new server password (argon2id) for the admin routes and the back office; not fed."""
    row = _get(session, staff_id)
    try:
        row.password_hash = staff_passwords.hash_password(password)
    except staff_passwords.PasswordRefused as exc:
        raise StaffError(str(exc)) from None
    row.updated_at = now
    return row


def new_key(session: Session, staff_id: str, now: datetime) -> tuple[StaffRow, str]:
    """A new staff key (the old one stops working); the key is returned to be shown once."""
    row = _get(session, staff_id)
    key = staff_passwords.new_key()
    row.key_hash = staff_passwords.key_digest(key)
    row.updated_at = now
    return row, key


def withdraw_key(session: Session, staff_id: str, now: datetime) -> StaffRow:
    row = _get(session, staff_id)
    row.key_hash = None
    row.updated_at = now
    return row


def authenticate(session: Session, staff_id: str, pin: str, roles: set[Role]) -> StaffRow:
    """The active staff member ``staff_id`` if ``pin`` is theirs and their role is in ``roles``
    (the till's manager calls); WrongCredentials otherwise, the same for every reason."""
    row = session.get(StaffRow, staff_id)
    if row is None or not row.active:
        hash_pin(pin, bytes(SALT_BYTES), PIN_PARAMS)  # same cost as a real check: no timing hint
        raise WrongCredentials(WRONG_PIN)
    if not pin_matches(row, pin) or Role(row.role) not in roles:
        raise WrongCredentials(WRONG_PIN)
    return row


def authenticate_password(
    session: Session, staff_id: str, password: str, roles: set[Role]
) -> StaffRow:
    """As ``authenticate``, with the server password instead of the PIN."""
    row = session.get(StaffRow, staff_id)
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


def authenticate_key(session: Session, key: str, roles: set[Role]) -> StaffRow:
    """The active staff member whose key this is, if their role is in ``roles``."""
    row = session.scalars(
        select(StaffRow).where(StaffRow.key_hash == staff_passwords.key_digest(key))
    ).first()
    if row is None or not row.active or Role(row.role) not in roles:
        raise WrongCredentials(WRONG_KEY)
    return row


def list_staff(session: Session) -> list[StaffRow]:
    return list(session.scalars(select(StaffRow).order_by(StaffRow.name, StaffRow.id)))
