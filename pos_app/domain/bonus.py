"""Bonus (points) accounts with holds — two-phase spending, as TigerBeetle's pending transfers.

Paying with points places a **hold**; closing the order **commits** it, possibly for less (the
rest is released in the same step); cancelling **releases** it; a hold nobody ends **expires**
by the server's clock (``DEFAULT_HOLD_TTL``). ``available = total - held`` never goes negative
except through a recorded :class:`Overdraft`, which is how two honest cases are handled:

* an offline hold replayed by the server beyond the balance (``allow_overdraft=True``);
* a **late commit** — a commit that arrives after its hold expired. The hold stays EXPIRED (it
  ended once, by expiry, and its amount went back to ``available``); the commit becomes a
  DEBIT posting with ``ref`` = the hold id, applied at once, with an Overdraft recorded for the
  part the account no longer covers. The points were really spent at the till, so the ledger
  says so and a manager sees the shortfall; nothing is silently dropped.

Every hold ends exactly once: a second commit, release or expiry raises HoldAlreadyEnded (so
does a second late commit, and a late "commit" of 0, which has nothing left to do). For each
ended hold, its COMMIT + RELEASE + EXPIRE postings add up to the hold's amount. Expiry goes by
the ``now`` passed in: a commit or release of a hold whose time is up first posts its EXPIRE,
as the sweeper would have. Hold ids are the till's UUIDs: a second hold with a known id raises
DuplicateHold (the server answers a replay from its own records), an empty one InvalidHoldId.
An account rebuilt from stored holds refuses naive times, duplicate ids and holds of another
account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pos_app.domain.errors import DomainError
from pos_app.domain.ledger import Ledger, Posting, PostingKind, require_aware
from pos_app.domain.money import format_money, parse_money, require_amount

DEFAULT_HOLD_TTL = timedelta(hours=24)


class InsufficientPoints(DomainError):
    code = "insufficient_points"


class HoldNotFound(DomainError):
    code = "hold_not_found"


class HoldAlreadyEnded(DomainError):
    code = "hold_already_ended"


class CommitExceedsHold(DomainError):
    code = "commit_exceeds_hold"


class DuplicateHold(DomainError):
    code = "duplicate_hold"


class InvalidHoldId(DomainError):
    code = "invalid_hold_id"


class HoldStatus(StrEnum):
    OPEN = "open"
    COMMITTED = "committed"
    RELEASED = "released"
    EXPIRED = "expired"


@dataclass(slots=True)
class Hold:
    id: str
    account_id: str
    amount: int
    created_at: datetime
    expires_at: datetime
    terminal_id: str | None
    status: HoldStatus = HoldStatus.OPEN
    committed_amount: int = 0


def _points(kopecks: int) -> str:
    return format_money(kopecks, currency="points")


_REFUSAL = re.compile(r"^Only (-?[0-9\u00a0 ]+,[0-9]{2}) points available;")


def available_in_refusal(message: str | None) -> int | None:
    """The available points an ``InsufficientPoints`` message names (kopecks), or None.

    The server's ``rejected/insufficient_points`` verdict carries only the message made by
    ``BonusAccount._insufficient`` above; the till reads the server's balance back from it
    (format and parser live here together, a test keeps them in step)."""
    found = _REFUSAL.match(message or "")
    return None if found is None else parse_money(found.group(1))


def _require_hold_id(hold_id: str) -> str:
    """Hold ids come from the till (UUIDs); an empty or padded one could never be found again."""
    if not isinstance(hold_id, str) or not hold_id or hold_id != hold_id.strip():
        raise InvalidHoldId(f"Hold id {hold_id!r} is not valid.", hold_id=str(hold_id))
    return hold_id


class BonusAccount(Ledger):
    """A guest's points: ``total`` posted, ``held`` in open holds, ``available`` to spend."""

    def __init__(self, account_id: str, total: int = 0, holds: Iterable[Hold] = ()) -> None:
        super().__init__(account_id, total)
        self.holds: dict[str, Hold] = {}
        for hold in holds:
            self._adopt(hold)
        self._held = sum(h.amount for h in self.holds.values() if h.status is HoldStatus.OPEN)

    def _adopt(self, hold: Hold) -> None:
        """Take a stored hold in; one of another account or with naive times is a slip."""
        if hold.account_id != self.account_id:
            raise ValueError(f"hold {hold.id} belongs to {hold.account_id}, not {self.account_id}")
        if hold.id in self.holds:
            raise DuplicateHold(f"Hold {hold.id} already exists.", hold_id=hold.id)
        require_aware(hold.created_at)
        require_aware(hold.expires_at)
        self.holds[hold.id] = hold

    # -- plain debits (credits come from Ledger.credit) ----------------------------------------

    def debit(
        self,
        amount: int,
        *,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str,
        ref: str | None = None,
        allow_overdraft: bool = False,
    ) -> Posting:
        """Take points now; beyond ``available`` only as a recorded overdraft."""
        require_amount(amount, "points amount", allow_zero=False)
        require_aware(now)  # checked before an overdraft can be recorded for a refused debit
        self._cover(amount, now=now, reason=reason, ref=ref, allow_overdraft=allow_overdraft)
        return self._take(
            PostingKind.DEBIT, amount, now=now, actor=actor, terminal_id=terminal_id,
            reason=reason, ref=ref,
        )  # fmt: skip

    def _insufficient(self, amount: int) -> DomainError:
        return InsufficientPoints(
            f"Only {_points(max(self.available, 0))} available; {_points(amount)} requested.",
            available=self.available,
            requested=amount,
        )

    # -- holds -------------------------------------------------------------------------------

    def place_hold(
        self,
        hold_id: str,
        amount: int,
        *,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str,
        ref: str | None = None,
        ttl: timedelta = DEFAULT_HOLD_TTL,
        allow_overdraft: bool = False,
    ) -> Posting:
        """Reserve points for an order being paid; the hold id is made by the till."""
        _require_hold_id(hold_id)
        require_amount(amount, "hold amount", allow_zero=False)
        require_aware(now)
        if ttl <= timedelta(0):
            raise ValueError(f"a hold's time to live must be positive, got {ttl}")
        if hold_id in self.holds:
            raise DuplicateHold(f"Hold {hold_id} already exists.", hold_id=hold_id)
        ref = ref or hold_id
        self._cover(
            amount, now=now, reason=reason, ref=ref, allow_overdraft=allow_overdraft,
            hold_id=hold_id,
        )  # fmt: skip
        self.holds[hold_id] = Hold(hold_id, self.account_id, amount, now, now + ttl, terminal_id)
        return self._post(
            PostingKind.HOLD, amount, total_delta=0, held_delta=amount, now=now, actor=actor,
            terminal_id=terminal_id, reason=reason, ref=ref, hold_id=hold_id,
        )  # fmt: skip

    def _open_hold(self, hold_id: str, now: datetime) -> Hold:
        hold = self.holds.get(hold_id)
        if hold is None:
            raise HoldNotFound(f"Hold {hold_id} is unknown.", hold_id=hold_id)
        if hold.status is HoldStatus.OPEN and now >= hold.expires_at:
            self._expire(hold, now)
        return hold

    def commit_hold(
        self,
        hold_id: str,
        amount: int | None = None,
        *,
        now: datetime,
        actor: str,
        terminal_id: str | None,
        reason: str = "",
    ) -> list[Posting]:
        """Spend ``amount`` (default: all) of the hold and release the rest."""
        require_aware(now)
        hold = self._open_hold(hold_id, now)
        wanted = hold.amount if amount is None else require_amount(amount, "commit amount")
        late = hold.status is HoldStatus.EXPIRED and hold.committed_amount == 0 and wanted > 0
        if not late:
            self._require_open(hold)  # an ended hold says so first, whatever the amount
        if wanted > hold.amount:
            raise CommitExceedsHold(
                f"Cannot commit {_points(wanted)}: the hold is for {_points(hold.amount)}.",
                hold_id=hold_id, hold_amount=hold.amount, requested=wanted,
            )  # fmt: skip
        if late:
            return [self._late_commit(hold, wanted, now=now, actor=actor, terminal_id=terminal_id)]
        hold.status, hold.committed_amount = HoldStatus.COMMITTED, wanted
        postings = []
        if wanted:
            postings.append(self._post(
                PostingKind.COMMIT, wanted, total_delta=-wanted, held_delta=-wanted,
                now=now, actor=actor, terminal_id=terminal_id, reason=reason, ref=hold_id,
                hold_id=hold_id,
            ))  # fmt: skip
        rest = hold.amount - wanted
        if rest:
            postings.append(self._post(
                PostingKind.RELEASE, rest, total_delta=0, held_delta=-rest,
                now=now, actor=actor, terminal_id=terminal_id, reason=reason, ref=hold_id,
                hold_id=hold_id,
            ))  # fmt: skip
        return postings

    def _late_commit(
        self, hold: Hold, amount: int, *, now: datetime, actor: str, terminal_id: str | None
    ) -> Posting:
        hold.committed_amount = amount  # remembered so a replayed late commit is refused
        reason = "commit after the hold expired"
        self._cover(
            amount, now=now, reason=reason, ref=hold.id, allow_overdraft=True, hold_id=hold.id
        )
        return self._take(
            PostingKind.DEBIT, amount, now=now, actor=actor, terminal_id=terminal_id,
            reason=reason, ref=hold.id, hold_id=hold.id,
        )  # fmt: skip

    def release_hold(
        self, hold_id: str, *, now: datetime, actor: str, terminal_id: str | None, reason: str = ""
    ) -> Posting:
        """Give the held points back (order cancelled)."""
        require_aware(now)
        hold = self._open_hold(hold_id, now)
        self._require_open(hold)
        hold.status = HoldStatus.RELEASED
        return self._post(
            PostingKind.RELEASE, hold.amount, total_delta=0, held_delta=-hold.amount, now=now,
            actor=actor, terminal_id=terminal_id, reason=reason, ref=hold_id, hold_id=hold_id,
        )  # fmt: skip

    def expire_holds(self, now: datetime) -> list[Posting]:
        """End every open hold whose time is up (the server's sweeper calls this)."""
        require_aware(now)
        due = [h for h in self.holds.values() if h.status is HoldStatus.OPEN]
        return [self._expire(h, now) for h in due if now >= h.expires_at]

    def _expire(self, hold: Hold, now: datetime) -> Posting:
        hold.status = HoldStatus.EXPIRED
        return self._post(
            PostingKind.EXPIRE, hold.amount, total_delta=0, held_delta=-hold.amount, now=now,
            actor="system", terminal_id=None, reason="hold expired", ref=hold.id,
            hold_id=hold.id,
        )  # fmt: skip

    @staticmethod
    def _require_open(hold: Hold) -> None:
        if hold.status is not HoldStatus.OPEN:
            raise HoldAlreadyEnded(
                f"Hold {hold.id} has already ended ({hold.status.value}).",
                hold_id=hold.id, status=hold.status.value,
            )  # fmt: skip
