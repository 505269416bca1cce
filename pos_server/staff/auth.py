"""Whose say an admin call carries: a staff password or key, or at a till a manager's PIN.

Admin routes take ``StaffCaller`` dependencies made by ``require_staff(roles, pin=...)``:

- ``X-Staff-Id`` + ``X-Staff-Password`` (argon2id, ``pos_server.staff.passwords``) or
  ``X-Staff-Key`` (a long random staff key): on every admin route, with or without a
  terminal's bearer token (the back office is not a terminal);
- ``X-Staff-Id`` + ``X-Staff-Pin``: only on routes made with ``pin=True`` (the till's own
  manager calls: the hold reset), only with an enrolled terminal's bearer token, and only of
  6+ digits. Every till holds the PIN hashes, so a PIN can be guessed offline from a stolen
  till database; it must never open the server by itself (docs/security.md).

Answers: 401 for a missing, unknown or wrong credential and equally for a right one of a
person whose role may not (same body, counted the same: nobody learns whose PIN they typed),
429 while locked out.

Wrong PINs and passwords are throttled per (source, staff id), the source being the terminal
(or, without a token, a digest of the client's address): after ``FREE_ATTEMPTS`` wrong ones in
a row each further one locks that pair for ``LOCK_SECONDS``, doubled each time up to
``MAX_LOCK_SECONDS``; a right one clears it. Keyed by source too, so one till guessing cannot
lock a manager out everywhere. The count is a row of ``pin_failures`` (migration 0008;
``uow.pin_failures``), so every server process (``pos-server run --workers N``, several hosts
on one PostgreSQL) counts the same guesses; the row is read ``FOR UPDATE`` before the
credential is checked, so on PostgreSQL the
guesses of one pair are checked one at a time once the first one failed. Keys (256 random bits)
are not guessable and not throttled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy import Engine

from pos_app.domain.staff_pins import Role, min_pin_digits
from pos_server.db.models_staff import StaffRow
from pos_server.http.api import ClockDep, Credentials, Sessions, current_terminal
from pos_server.staff.service import (
    WrongCredentials,
    authenticate,
    authenticate_key,
    authenticate_password,
)
from pos_server.uow import UnitOfWork, unit_of_work

FREE_ATTEMPTS = 5
LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 15 * 60.0
Key = tuple[str, str]  # (source: terminal id or "addr:..." digest, staff id)


def lock_seconds(failures: int) -> float:
    """How long ``failures`` wrong PINs in a row lock the pair: 0 for the free ones."""
    over = failures - FREE_ATTEMPTS
    return min(LOCK_SECONDS * 2 ** (over - 1), MAX_LOCK_SECONDS) if over > 0 else 0.0


class PinThrottle:
    """Consecutive wrong PINs or passwords per key and the lock they earned, in the caller's
    unit of work (``uow.pin_failures``)."""

    def locked_for(self, uow: UnitOfWork, key: Key) -> float:
        """Seconds until ``key`` may try again (0: now); the row stays locked until commit."""
        until = uow.pin_failures.locked_until(key)
        return 0.0 if until is None else max(0.0, (until - uow.now).total_seconds())

    def failed(self, uow: UnitOfWork, key: Key) -> None:
        """Count one more wrong PIN (an insert-or-increment: two processes never lose one)."""
        if lock := lock_seconds(uow.pin_failures.failed(key)):
            uow.pin_failures.lock(key, lock)

    def succeeded(self, uow: UnitOfWork, key: Key) -> None:
        uow.pin_failures.clear(key)


THROTTLE = PinThrottle()


@dataclass(frozen=True, slots=True)
class StaffCaller:
    """The staff member behind an admin call, how they proved it, and the terminal if any."""

    row: StaffRow
    credential: str  # "pin", "password" or "key"
    terminal_id: str | None


def _refused(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message)


def _source(request: Request, terminal_id: str | None) -> str:
    if terminal_id is not None:
        return terminal_id
    host = request.client.host if request.client is not None else "unknown"
    return "addr:" + hashlib.sha256(host.encode()).hexdigest()[:31]


def _throttled(
    engine: Engine, key: Key, now: datetime, check: Callable[[UnitOfWork], StaffRow]
) -> StaffRow:
    """``check`` under the lock-out of ``key``: 429 while locked, a failure counted."""
    refusal: HTTPException | None = None
    # the count is written even when the call is refused (the refusal is raised after commit)
    with unit_of_work(engine, actor=f"staff-auth:{key[1]}"[:64], now=now) as uow:
        wait = THROTTLE.locked_for(uow, key)
        if wait > 0:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"Too many wrong PINs or passwords; try again in {wait:.0f} s.",
                                headers={"Retry-After": str(int(wait) + 1)})  # fmt: skip
        try:
            row = check(uow)
        except WrongCredentials as exc:
            THROTTLE.failed(uow, key)
            refusal = _refused(str(exc))
        else:
            THROTTLE.succeeded(uow, key)
    if refusal is not None:
        raise refusal
    return row


def require_staff(*roles: Role, pin: bool = False) -> Callable[..., StaffCaller]:
    """A dependency giving the staff member behind the request's staff headers if their role
    is one of ``roles``; ``pin``: a manager's PIN with a terminal token is accepted too."""
    wanted = set(roles)
    shortest_pin = min(min_pin_digits(role) for role in wanted)
    ask = ("This needs a staff member's password (X-Staff-Id and X-Staff-Password) or staff "
           "key (X-Staff-Key)" + (", or at a till a manager's X-Staff-Id and X-Staff-Pin."
                                  if pin else "; a PIN is not accepted here."))  # fmt: skip

    def dependency(
        *,
        request: Request,
        sessions: Sessions,
        clock: ClockDep,
        credentials: Credentials,
        x_staff_id: Annotated[str | None, Header(max_length=64)] = None,
        x_staff_pin: Annotated[str | None, Header(max_length=16)] = None,
        x_staff_password: Annotated[str | None, Header(max_length=1024)] = None,
        x_staff_key: Annotated[str | None, Header(max_length=128)] = None,
    ) -> StaffCaller:
        terminal_id = current_terminal(sessions, credentials) if credentials else None
        now = clock()
        engine: Engine = request.app.state.engine
        if x_staff_key:
            try:
                with unit_of_work(engine, actor="staff-auth", now=now) as uow:
                    row = authenticate_key(uow, x_staff_key, wanted)
            except WrongCredentials as exc:
                raise _refused(str(exc)) from None
            return StaffCaller(row, "key", terminal_id)
        if x_staff_id and x_staff_password is not None:
            key = (_source(request, terminal_id), x_staff_id)
            row = _throttled(engine, key, now, lambda uow: authenticate_password(
                uow, x_staff_id, x_staff_password, wanted))  # fmt: skip
            return StaffCaller(row, "password", terminal_id)
        if not (pin and x_staff_id and x_staff_pin):
            raise _refused(ask)
        if terminal_id is None:
            raise _refused("A PIN counts only with an enrolled terminal's token: send "
                           "'Authorization: Bearer <token>' too.")  # fmt: skip
        if len(x_staff_pin.strip()) < shortest_pin:  # says nothing about anyone: not counted
            raise _refused(f"A PIN sent to the server is at least {shortest_pin} digits; a "
                           "shorter one needs changing (pos-server staff set-pin).")  # fmt: skip
        row = _throttled(engine, (terminal_id, x_staff_id), now, lambda uow: authenticate(
            uow, x_staff_id, x_staff_pin, wanted))  # fmt: skip
        return StaffCaller(row, "pin", terminal_id)

    return dependency


ManagerOrAdmin = Annotated[StaffCaller, Depends(require_staff(Role.MANAGER, Role.ADMIN))]
"""An admin route: a manager's or an admin's password or key, never a PIN."""
ManagerAtTill = Annotated[StaffCaller, Depends(require_staff(Role.MANAGER, Role.ADMIN, pin=True))]
"""A till's manager call: also a manager's PIN with the terminal's token."""
AdminOnly = Annotated[StaffCaller, Depends(require_staff(Role.ADMIN))]
