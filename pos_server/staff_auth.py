"""A manager's or admin's say on an HTTP call, on top of the terminal's bearer token.

Routes that change what only managers may change (admin calls: resetting holds, overdrafts)
take ``ManagerOrAdmin`` (or ``require_staff(...)`` with other roles) as a dependency. The
client sends the person's id and PIN as headers ``X-Staff-Id`` and ``X-Staff-Pin`` (the till
or console asks for the PIN at the moment of the action, like a manager approval at the till).
Answers: 401 no/unknown/wrong credential, 403 a role that may not, 429 while locked out.

Wrong PINs are throttled per (terminal, staff id): after ``FREE_ATTEMPTS`` wrong PINs in a row
each further one locks that pair for ``LOCK_SECONDS``, doubled each time up to
``MAX_LOCK_SECONDS``; a right PIN clears it. Keyed by terminal too, so one till guessing cannot
lock a manager out everywhere. The count is a row of ``pin_failures`` (migration 0008), so every
server process (``pos-server run --workers N``, several hosts on one PostgreSQL) counts the same
guesses; the row is read ``FOR UPDATE`` before the PIN is checked, so on PostgreSQL the guesses
of one pair are checked one at a time once the first one failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Header, HTTPException, status
from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pos_app.domain.staff_pins import Role
from pos_server.api import ClockDep, Sessions, TerminalId
from pos_server.db.models_staff import PinFailureRow, StaffRow
from pos_server.staff import NotAllowed, WrongCredentials, authenticate

FREE_ATTEMPTS = 5
LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 15 * 60.0
Key = tuple[str, str]  # (terminal id, staff id)


def lock_seconds(failures: int) -> float:
    """How long ``failures`` wrong PINs in a row lock the pair: 0 for the free ones."""
    over = failures - FREE_ATTEMPTS
    return min(LOCK_SECONDS * 2 ** (over - 1), MAX_LOCK_SECONDS) if over > 0 else 0.0


class PinThrottle:
    """Consecutive wrong PINs per key and the lock they earned, in the caller's transaction."""

    def locked_for(self, session: Session, key: Key, now: datetime) -> float:
        """Seconds until ``key`` may try again (0: now); the row stays locked until commit."""
        row = session.get(PinFailureRow, key, with_for_update=True)
        if row is None or row.locked_until is None:
            return 0.0
        return max(0.0, (row.locked_until - now).total_seconds())

    def failed(self, session: Session, key: Key, now: datetime) -> None:
        """Count one more wrong PIN (an insert-or-increment: two processes never lose one)."""
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        count = session.execute(
            dialect.insert(PinFailureRow)
            .values(terminal_id=key[0], staff_id=key[1], failures=1, locked_until=None)
            .on_conflict_do_update(index_elements=["terminal_id", "staff_id"],
                                   set_={"failures": PinFailureRow.failures + 1})
            .returning(PinFailureRow.failures)
        ).scalar_one()  # fmt: skip
        if lock := lock_seconds(count):
            session.execute(
                update(PinFailureRow)
                .where(PinFailureRow.terminal_id == key[0], PinFailureRow.staff_id == key[1])
                .values(locked_until=now + timedelta(seconds=lock))
            )

    def succeeded(self, session: Session, key: Key) -> None:
        session.execute(
            delete(PinFailureRow).where(
                PinFailureRow.terminal_id == key[0], PinFailureRow.staff_id == key[1]
            )
        )


THROTTLE = PinThrottle()


def require_staff(*roles: Role) -> Callable[..., StaffRow]:
    """A dependency giving the staff member behind ``X-Staff-Id``/``X-Staff-Pin`` if their
    role is one of ``roles``."""
    wanted = set(roles)

    def dependency(
        terminal_id: TerminalId,
        sessions: Sessions,
        clock: ClockDep,
        x_staff_id: Annotated[str | None, Header(max_length=64)] = None,
        x_staff_pin: Annotated[str | None, Header(max_length=16)] = None,
    ) -> StaffRow:
        if not x_staff_id or not x_staff_pin:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "This needs a staff member's "
                                "PIN: send the X-Staff-Id and X-Staff-Pin headers.")  # fmt: skip
        key, now = (terminal_id, x_staff_id), clock()
        refusal: HTTPException | None = None
        with sessions.begin() as session:  # the count is written even when the call is refused
            wait = THROTTLE.locked_for(session, key, now)
            if wait > 0:
                raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                    f"Too many wrong PINs; try again in {wait:.0f} s.",
                                    headers={"Retry-After": str(int(wait) + 1)})  # fmt: skip
            try:
                row = authenticate(session, x_staff_id, x_staff_pin, wanted)
            except WrongCredentials as exc:
                THROTTLE.failed(session, key, now)
                refusal = HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc))
            except NotAllowed as exc:
                THROTTLE.succeeded(session, key)
                refusal = HTTPException(status.HTTP_403_FORBIDDEN, str(exc))
            else:
                THROTTLE.succeeded(session, key)
        if refusal is not None:
            raise refusal
        return row

    return dependency


ManagerOrAdmin = Annotated[StaffRow, Depends(require_staff(Role.MANAGER, Role.ADMIN))]
AdminOnly = Annotated[StaffRow, Depends(require_staff(Role.ADMIN))]
