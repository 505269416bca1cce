"""Invariants of a points account over random sequences of operations (DESIGN.md 2 and 3)."""

from datetime import UTC, datetime, timedelta
from typing import TypedDict

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pos_app.domain.bonus import BonusAccount, HoldStatus
from pos_app.domain.errors import DomainError
from pos_app.domain.ledger import PostingKind

AMOUNTS = st.integers(min_value=1, max_value=50_000)


class Who(TypedDict):
    actor: str
    terminal_id: str | None


WHO: Who = {"actor": "t", "terminal_id": "T1"}
ENDINGS = (PostingKind.COMMIT, PostingKind.RELEASE, PostingKind.EXPIRE)


class AccountMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.opening = 10_000
        self.acc = BonusAccount("a", total=self.opening)
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.next_id = 0
        self.ended_by: dict[str, int] = {}

    def _ids(self, status: HoldStatus | None = None) -> list[str]:
        return [h.id for h in self.acc.holds.values() if status is None or h.status is status]

    @rule(amount=AMOUNTS)
    def credit(self, amount: int) -> None:
        self.acc.credit(amount, now=self.now, reason="", **WHO)

    @rule(amount=AMOUNTS, overdraft=st.booleans())
    def debit(self, amount: int, overdraft: bool) -> None:
        try:
            self.acc.debit(amount, now=self.now, reason="", allow_overdraft=overdraft, **WHO)
        except DomainError:
            assert amount > self.acc.available and not overdraft

    @rule(amount=AMOUNTS, overdraft=st.booleans(), ttl_h=st.integers(1, 48))
    def hold(self, amount: int, overdraft: bool, ttl_h: int) -> None:
        self.next_id += 1
        try:
            self.acc.place_hold(
                f"h{self.next_id}", amount, now=self.now, reason="", allow_overdraft=overdraft,
                ttl=timedelta(hours=ttl_h), **WHO,
            )  # fmt: skip
        except DomainError:
            assert amount > self.acc.available and not overdraft

    @precondition(lambda self: self._ids())
    @rule(data=st.data(), fraction=st.integers(0, 100))
    def commit(self, data: st.DataObject, fraction: int) -> None:
        hold = self.acc.holds[data.draw(st.sampled_from(self._ids()))]
        amount = hold.amount * fraction // 100
        try:
            self.acc.commit_hold(hold.id, amount, now=self.now, **WHO)
        except DomainError:
            assert hold.status is not HoldStatus.OPEN

    @precondition(lambda self: self._ids())
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        hold = self.acc.holds[data.draw(st.sampled_from(self._ids()))]
        try:
            self.acc.release_hold(hold.id, now=self.now, **WHO)
        except DomainError:
            assert hold.status is not HoldStatus.OPEN

    @rule(hours=st.integers(1, 30))
    def time_passes_and_sweeper_runs(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        self.acc.expire_holds(self.now)

    @invariant()
    def conservation(self) -> None:
        postings = self.acc.postings
        assert self.acc.total == self.opening + sum(p.total_delta for p in postings)
        assert self.acc.held == sum(p.held_delta for p in postings)
        open_amounts = [h.amount for h in self.acc.holds.values() if h.status is HoldStatus.OPEN]
        assert self.acc.held == sum(open_amounts)
        if postings:
            assert postings[-1].total_after == self.acc.total
            assert postings[-1].held_after == self.acc.held

    @invariant()
    def available_negative_only_by_recorded_overdraft(self) -> None:
        if self.acc.available < 0:
            assert sum(o.amount for o in self.acc.overdrafts) >= -self.acc.available

    @invariant()
    def every_hold_ends_exactly_once(self) -> None:
        for hold in self.acc.holds.values():
            endings = [p for p in self.acc.postings if p.ref == hold.id and p.kind in ENDINGS]
            ended = sum(p.amount for p in endings)
            if hold.status is HoldStatus.OPEN:
                assert endings == []
            else:
                assert ended == hold.amount
                if hold.status is HoldStatus.EXPIRED:
                    assert [p.kind for p in endings] == [PostingKind.EXPIRE]


AccountMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
TestAccountInvariants = AccountMachine.TestCase
