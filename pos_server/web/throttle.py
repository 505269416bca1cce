"""Failed sign-ins throttled in the database (``sign_in_failures``), per realm.

Two counts for each attempt: the (source address, name) pair, which locks after
``PAIR_FREE`` wrong passwords in a row, and the name alone from every source, which locks
after ``NAME_FREE`` (many addresses guessing one person's password). Each further failure
locks the key for ``LOCK_SECONDS``, doubled each time up to ``MAX_LOCK_SECONDS``; a right
password clears the pair (the name-wide count too: the person is in). While a key is locked
nothing is checked at all, so a locked guess costs the server nothing and learns nothing.
Keys are SHA-256 digests: the table holds no address and no name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pos_server.uow import UnitOfWork

PAIR_FREE = 5
NAME_FREE = 20
LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 15 * 60.0


def lock_seconds(failures: int, free: int) -> float:
    """How long ``failures`` in a row lock a key: 0 for the free ones."""
    over = failures - free
    return min(LOCK_SECONDS * 2 ** (over - 1), MAX_LOCK_SECONDS) if over > 0 else 0.0


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt's keys: who it names (case-folded) and where it comes from."""

    realm: str
    name: str
    source: str

    @property
    def keys(self) -> tuple[tuple[str, int], tuple[str, int]]:
        name = self.name.strip().casefold()
        return ((_digest("pair", self.source, name), PAIR_FREE),
                (_digest("name", name), NAME_FREE))  # fmt: skip


def wait_seconds(uow: UnitOfWork, attempt: Attempt) -> float:
    """Seconds until this attempt may be checked (0: now). The rows stay locked to the end
    of the unit of work, so concurrent guesses of one key are judged one at a time."""
    wait = 0.0
    for key, _free in attempt.keys:
        until = uow.sign_in_failures.locked_until(attempt.realm, key)
        if until is not None:
            wait = max(wait, (until - uow.now).total_seconds())
    return wait


def failed(uow: UnitOfWork, attempt: Attempt) -> None:
    for key, free in attempt.keys:
        count = uow.sign_in_failures.failed(attempt.realm, key)
        if lock := lock_seconds(count, free):
            uow.sign_in_failures.lock(attempt.realm, key, lock)


def succeeded(uow: UnitOfWork, attempt: Attempt) -> None:
    for key, _free in attempt.keys:
        uow.sign_in_failures.clear(attempt.realm, key)
