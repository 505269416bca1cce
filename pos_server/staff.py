"""Staff on the server: cashiers, managers, operators and admins with roles and PINs.

A PIN is 4-8 digits and is never stored: the server keeps a PBKDF2-SHA256 hash (hashlib), a
random 16-byte salt and the hash parameters. Those three travel to the tills in the change feed
(entity ``staff``) so a till checks a PIN offline with ``pos_app.domain.staff_pins``; the
shape is what ``pos_app.services.staff.staff_from_feed`` reads. The PIN alone identifies a
person at the till, so two active staff members may not share a PIN (checked on add and on a
PIN change, by hashing the new PIN with every active member's salt).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.domain.staff_pins import PIN_PARAMS, SALT_BYTES, Role, hash_pin, pin_format_ok
from pos_app.domain.staff_pins import pin_matches as domain_pin_matches
from pos_server.db.models_staff import StaffRow
from pos_server.feed import record_change

STAFF_ENTITY = "staff"
# Roles, the PIN format, parameters and hashing are pos_app.domain.staff_pins: the tills check
# the hashes this server makes with the very same code.


class StaffError(Exception):
    """A staff request cannot be done; the message is a sentence for the operator."""


class WrongCredentials(StaffError):
    """Unknown or withdrawn staff id, or a wrong PIN (deliberately not told apart)."""


class NotAllowed(StaffError):
    """The PIN is right but the person's role may not do this."""


def require_pin(pin: str) -> str:
    pin = pin.strip()
    if not pin_format_ok(pin):
        raise StaffError("A PIN is 4 to 8 digits.")
    return pin


def pin_matches(row: StaffRow, pin: str) -> bool:
    return domain_pin_matches(pin, row.pin_hash, row.salt, row.params)


def feed_data(row: StaffRow) -> dict[str, Any]:
    """The ``staff`` change: hash, salt and parameters, never the PIN."""
    return {"staff_id": row.id, "name": row.name, "role": row.role, "pin_hash": row.pin_hash,
            "salt": row.salt, "params": dict(row.params), "active": row.active}  # fmt: skip


def public_view(row: StaffRow) -> dict[str, Any]:
    """What the CLI prints: no hash, no salt."""
    return {"staff_id": row.id, "name": row.name, "role": row.role, "active": row.active}


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
    pin = require_pin(pin)
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
    pin = require_pin(pin)
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


def _get(session: Session, staff_id: str) -> StaffRow:
    row = session.get(StaffRow, staff_id)
    if row is None:
        raise StaffError(f"No member of staff has the id {staff_id!r}.")
    return row


def authenticate(session: Session, staff_id: str, pin: str, roles: set[Role]) -> StaffRow:
    """The active staff member ``staff_id`` if ``pin`` is theirs and their role is in ``roles``
    (for server calls that need a manager's or an admin's say); StaffError otherwise."""
    row = session.get(StaffRow, staff_id)
    if row is None or not row.active:
        hash_pin(pin, bytes(SALT_BYTES), PIN_PARAMS)  # same cost as a real check: no timing hint
        raise WrongCredentials("Unknown member of staff or wrong PIN.")
    if not pin_matches(row, pin):
        raise WrongCredentials("Unknown member of staff or wrong PIN.")
    if Role(row.role) not in roles:
        allowed = " or ".join(sorted(r.value for r in roles))
        raise NotAllowed(f"{row.name} is a {row.role}; this needs a {allowed}.")
    return row


def list_staff(session: Session) -> list[StaffRow]:
    return list(session.scalars(select(StaffRow).order_by(StaffRow.name, StaffRow.id)))
