"""A manager's or admin's say on an HTTP call, on top of the terminal's bearer token.

Routes that change what only managers may change (admin calls: resetting holds, overdrafts)
take ``ManagerOrAdmin`` (or ``require_staff(...)`` with other roles) as a dependency. The
client sends the person's id and PIN as headers ``X-Staff-Id`` and ``X-Staff-Pin`` (the till
or console asks for the PIN at the moment of the action, like a manager approval at the till).
Answers: 401 no/unknown/wrong credential, 403 a role that may not, 429 while locked out.

Wrong PINs are throttled per (terminal, staff id) in the server process: after
``FREE_ATTEMPTS`` wrong PINs in a row each further one locks that pair for ``LOCK_SECONDS``,
doubled each time up to ``MAX_LOCK_SECONDS``; a right PIN clears it. Keyed by terminal too, so
one till guessing cannot lock a manager out everywhere. (Per process: several server
processes each count on their own, which still caps guessing at a few PINs a minute each.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, HTTPException, status

from pos_app.domain.staff_pins import Role
from pos_server.api import Sessions, TerminalId
from pos_server.db.models_staff import StaffRow
from pos_server.staff import NotAllowed, WrongCredentials, authenticate

FREE_ATTEMPTS = 5
LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 15 * 60.0


class PinThrottle:
    """Consecutive wrong PINs per key and the lock they earned (monotonic clock)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}

    def locked_for(self, key: tuple[str, str]) -> float:
        """Seconds until ``key`` may try again (0: now)."""
        with self._lock:
            _count, until = self._failures.get(key, (0, 0.0))
        return max(0.0, until - self._clock())

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            count, _until = self._failures.get(key, (0, 0.0))
            count += 1
            over = count - FREE_ATTEMPTS
            lock = min(LOCK_SECONDS * 2 ** (over - 1), MAX_LOCK_SECONDS) if over > 0 else 0.0
            self._failures[key] = (count, self._clock() + lock)

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)


THROTTLE = PinThrottle()


def require_staff(*roles: Role) -> Callable[..., StaffRow]:
    """A dependency giving the staff member behind ``X-Staff-Id``/``X-Staff-Pin`` if their
    role is one of ``roles``."""
    wanted = set(roles)

    def dependency(
        terminal_id: TerminalId,
        sessions: Sessions,
        x_staff_id: Annotated[str | None, Header(max_length=64)] = None,
        x_staff_pin: Annotated[str | None, Header(max_length=16)] = None,
    ) -> StaffRow:
        if not x_staff_id or not x_staff_pin:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "This needs a staff member's "
                                "PIN: send the X-Staff-Id and X-Staff-Pin headers.")  # fmt: skip
        key = (terminal_id, x_staff_id)
        wait = THROTTLE.locked_for(key)
        if wait > 0:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                                f"Too many wrong PINs; try again in {wait:.0f} s.",
                                headers={"Retry-After": str(int(wait) + 1)})  # fmt: skip
        try:
            with sessions() as session:
                row = authenticate(session, x_staff_id, x_staff_pin, wanted)
        except WrongCredentials as exc:
            THROTTLE.failed(key)
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc)) from exc
        except NotAllowed as exc:
            THROTTLE.succeeded(key)
            raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from exc
        THROTTLE.succeeded(key)
        return row

    return dependency


ManagerOrAdmin = Annotated[StaffRow, Depends(require_staff(Role.MANAGER, Role.ADMIN))]
AdminOnly = Annotated[StaffRow, Depends(require_staff(Role.ADMIN))]
