"""Invariants of a points account over random sequences of operations (DESIGN.md 2 and 3).

A small reference model (plain dicts and ints) says what each step must do — succeed or be
refused, which holds are open, what the total is, which overdrafts appear — and after every
step the account must agree with it and with its own postings.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypedDict

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pos_app.domain.bonus import BonusAccount, HoldAlreadyEnded, HoldStatus, InsufficientPoints
from pos_app.domain.errors import DomainError
from pos_app.domain.ledger import Posting, PostingKind

AMOUNTS = st.integers(min_value=1, max_value=50_000)
ENDINGS = (PostingKind.COMMIT, PostingKind.RELEASE, PostingKind.EXPIRE)


class Who(TypedDict):
    actor: str
    terminal_id: str | None


WHO: Who = {"actor": "t", "terminal_id": "T1"}


@dataclass
class ModelHold:
    amount: int
    expires_at: datetime
    status: HoldStatus = HoldStatus.OPEN
    committed: int = 0


class AccountMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.opening = 10_000
        self.acc = BonusAccount("a", total=self.opening)
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.next_id = 0
        # The reference model.
        self.total = self.opening
        self.holds: dict[str, ModelHold] = {}
        self.expected_overdrafts: list[int] = []
        # Every posting and overdraft ever made, across rebuilds of the account object.
        self.log: list[Posting] = []
        self.overdraft_log: list[int] = []
        self.overdraft_base = 0
        self.seen = 0

    # -- the model ---------------------------------------------------------------------------

    @property
    def available(self) -> int:
        held = sum(h.amount for h in self.holds.values() if h.status is HoldStatus.OPEN)
        return self.total - held

    def _take(self, amount: int, overdraft: bool) -> bool:
        """Whether the model allows taking ``amount``; records the expected overdraft."""
        if amount <= self.available:
            return True
        if overdraft:
            self.expected_overdrafts.append(amount - max(self.available, 0))
        return overdraft

    def _expire_due(self, *holds: ModelHold) -> None:
        for hold in holds or tuple(self.holds.values()):
            if hold.status is HoldStatus.OPEN and self.now >= hold.expires_at:
                hold.status = HoldStatus.EXPIRED

    def _collect(self) -> None:
        """Append what the account object posted since the last step to the logs."""
        self.log.extend(self.acc.postings[self.seen :])
        self.seen = len(self.acc.postings)
        made_here = [o.amount for o in self.acc.overdrafts]
        self.overdraft_log = self.overdraft_log[: self.overdraft_base] + made_here

    def _pick_hold(self, data: st.DataObject) -> str:
        """Mostly an open hold (to reach commits and releases), else any one (to hit ended ones)."""
        open_ids = sorted(i for i, h in self.holds.items() if h.status is HoldStatus.OPEN)
        prefer_open: bool = data.draw(st.booleans(), "open one")
        pool = open_ids if open_ids and prefer_open else sorted(self.holds)
        return data.draw(st.sampled_from(pool), "hold id")

    # -- rules -------------------------------------------------------------------------------

    @rule(amount=AMOUNTS)
    def credit(self, amount: int) -> None:
        self.acc.credit(amount, now=self.now, reason="", **WHO)
        self.total += amount
        self._collect()

    @rule(amount=AMOUNTS, overdraft=st.booleans())
    def debit(self, amount: int, overdraft: bool) -> None:
        allowed = self._take(amount, overdraft)
        try:
            self.acc.debit(amount, now=self.now, reason="", allow_overdraft=overdraft, **WHO)
        except InsufficientPoints:
            assert not allowed
        else:
            assert allowed
            self.total -= amount
        self._collect()

    @rule(
        amount=AMOUNTS, overdraft=st.booleans(), ttl_h=st.integers(1, 48),
        order_ref=st.sampled_from([None, "order-1", "order-2"]),
    )  # fmt: skip
    def hold(self, amount: int, overdraft: bool, ttl_h: int, order_ref: str | None) -> None:
        self.next_id += 1
        hold_id, ttl = f"h{self.next_id}", timedelta(hours=ttl_h)
        allowed = self._take(amount, overdraft)
        try:
            self.acc.place_hold(
                hold_id, amount, now=self.now, reason="", allow_overdraft=overdraft, ttl=ttl,
                ref=order_ref, **WHO,
            )  # fmt: skip
        except InsufficientPoints:
            assert not allowed
        else:
            assert allowed
            self.holds[hold_id] = ModelHold(amount, self.now + ttl)
        self._collect()

    @precondition(lambda self: self.holds)
    @rule(data=st.data(), fraction=st.integers(0, 100))
    def commit(self, data: st.DataObject, fraction: int) -> None:
        hold_id = self._pick_hold(data)
        model = self.holds[hold_id]
        amount = model.amount * fraction // 100
        self._expire_due(model)  # a due hold expires lazily, the others wait for the sweeper
        late = model.status is HoldStatus.EXPIRED and model.committed == 0 and amount > 0
        ok = model.status is HoldStatus.OPEN or late
        try:
            self.acc.commit_hold(hold_id, amount, now=self.now, **WHO)
        except HoldAlreadyEnded:
            assert not ok
        else:
            assert ok
            if late:
                self._take(amount, overdraft=True)
            else:
                model.status = HoldStatus.COMMITTED
            model.committed = amount
            self.total -= amount
        self._collect()

    @precondition(lambda self: self.holds)
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        hold_id = self._pick_hold(data)
        model = self.holds[hold_id]
        self._expire_due(model)
        ok = model.status is HoldStatus.OPEN
        try:
            self.acc.release_hold(hold_id, now=self.now, **WHO)
        except HoldAlreadyEnded:
            assert not ok
        else:
            assert ok
            model.status = HoldStatus.RELEASED
        self._collect()

    @rule(hours=st.integers(1, 30))
    def time_passes_and_sweeper_runs(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        self.acc.expire_holds(self.now)
        self._expire_due()
        self._collect()

    @rule(hours=st.integers(1, 30))
    def time_passes_without_sweeper(self, hours: int) -> None:
        self.now += timedelta(hours=hours)  # holds expire lazily on their next commit/release

    @rule()
    def rebuilt_from_storage(self) -> None:
        """The server's way: a fresh object from the stored total and holds."""
        self.overdraft_base = len(self.overdraft_log)
        self.acc = BonusAccount("a", total=self.acc.total, holds=self.acc.holds.values())
        self.seen = 0

    @rule(amount=AMOUNTS)
    def refused_amounts_change_nothing(self, amount: int) -> None:
        before = (self.acc.total, self.acc.held, len(self.acc.postings))
        for bad in (0, -amount):
            try:
                self.acc.debit(bad, now=self.now, reason="", allow_overdraft=True, **WHO)
            except DomainError:
                pass
            else:
                raise AssertionError(f"debit of {bad} accepted")
        assert (self.acc.total, self.acc.held, len(self.acc.postings)) == before

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def agrees_with_the_model(self) -> None:
        assert self.acc.total == self.total
        assert self.acc.available == self.available
        statuses = {h.id: (h.status, h.committed_amount) for h in self.acc.holds.values()}
        assert statuses == {i: (h.status, h.committed) for i, h in self.holds.items()}
        assert self.overdraft_log == self.expected_overdrafts

    @invariant()
    def conservation(self) -> None:
        assert self.acc.total == self.opening + sum(p.total_delta for p in self.log)
        assert self.acc.held == sum(p.held_delta for p in self.log)
        open_amounts = [h.amount for h in self.acc.holds.values() if h.status is HoldStatus.OPEN]
        assert self.acc.held == sum(open_amounts)
        total, held = self.opening, 0
        for p in self.log:  # each posting's balances follow from the one before
            total, held = total + p.total_delta, held + p.held_delta
            assert (p.total_after, p.held_after) == (total, held)
            assert p.amount > 0

    @invariant()
    def available_negative_only_by_recorded_overdraft(self) -> None:
        if self.acc.available < 0:
            assert sum(self.overdraft_log) >= -self.acc.available

    @invariant()
    def every_hold_ends_exactly_once(self) -> None:
        by_hold: dict[str, list[Posting]] = {}
        for posting in self.log:
            if posting.hold_id is not None:
                by_hold.setdefault(posting.hold_id, []).append(posting)
        assert set(by_hold) <= set(self.acc.holds)
        for hold in self.acc.holds.values():
            mine = by_hold.get(hold.id, [])
            assert [p.kind for p in mine].count(PostingKind.HOLD) == 1
            endings = [(p.kind, p.amount) for p in mine if p.kind in ENDINGS]
            late = [p.amount for p in mine if p.kind is PostingKind.DEBIT]
            assert endings in _allowed_endings(hold.status, hold.amount, hold.committed_amount)
            assert late == ([hold.committed_amount] if hold.status is HoldStatus.EXPIRED
                            and hold.committed_amount else [])  # fmt: skip


def _allowed_endings(
    status: HoldStatus, amount: int, committed: int
) -> list[list[tuple[PostingKind, int]]]:
    """The terminal postings a hold in ``status`` may have: one ending step, no more."""
    if status is HoldStatus.OPEN:
        return [[]]
    if status is HoldStatus.RELEASED:
        return [[(PostingKind.RELEASE, amount)]]
    if status is HoldStatus.EXPIRED:
        return [[(PostingKind.EXPIRE, amount)]]
    parts = [(PostingKind.COMMIT, committed)] if committed else []
    if amount - committed:
        parts.append((PostingKind.RELEASE, amount - committed))
    return [parts]


AccountMachine.TestCase.settings = settings(max_examples=80, stateful_step_count=40, deadline=None)
TestAccountInvariants = AccountMachine.TestCase
