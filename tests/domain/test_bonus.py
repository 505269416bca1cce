"""Points accounts: holds, partial commits, release, expiry, overdrafts."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import TypedDict

import pytest

from pos_app.domain.bonus import (
    DEFAULT_HOLD_TTL,
    BonusAccount,
    CommitExceedsHold,
    DuplicateHold,
    Hold,
    HoldAlreadyEnded,
    HoldNotFound,
    HoldStatus,
    InsufficientPoints,
    InvalidHoldId,
)
from pos_app.domain.errors import InvalidAmount
from pos_app.domain.ledger import NaiveTimestamp, PostingKind
from pos_app.domain.money import rub

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Who(TypedDict):
    actor: str
    terminal_id: str | None


WHO: Who = {"actor": "cashier-1", "terminal_id": "T1"}


def account(total: int = rub(1_000)) -> BonusAccount:
    return BonusAccount("acc-1", total=total)


def test_hold_reduces_available_not_total() -> None:
    acc = account()
    posting = acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    assert (acc.total, acc.held, acc.available) == (rub(1_000), rub(300), rub(700))
    assert posting.kind is PostingKind.HOLD
    assert (posting.total_after, posting.held_after) == (rub(1_000), rub(300))
    assert acc.holds["h1"].expires_at == T0 + DEFAULT_HOLD_TTL


def test_full_commit_spends_the_hold() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    postings = acc.commit_hold("h1", now=T0, **WHO)
    assert [p.kind for p in postings] == [PostingKind.COMMIT]
    assert (acc.total, acc.held, acc.available) == (rub(700), 0, rub(700))
    assert acc.holds["h1"].status is HoldStatus.COMMITTED


def test_partial_commit_releases_the_rest_in_the_same_step() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    commit, release = acc.commit_hold("h1", rub(120), now=T0, **WHO)
    assert (commit.kind, commit.amount, commit.total_after, commit.held_after) == (
        PostingKind.COMMIT, rub(120), rub(880), rub(180),
    )  # fmt: skip
    assert (release.kind, release.amount, release.held_after) == (PostingKind.RELEASE, rub(180), 0)
    assert acc.available == rub(880)


def test_commit_of_zero_releases_everything() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    [release] = acc.commit_hold("h1", 0, now=T0, **WHO)
    assert release.kind is PostingKind.RELEASE
    assert acc.available == rub(1_000)


def test_release_gives_the_points_back() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    acc.release_hold("h1", now=T0, reason="cancelled", **WHO)
    assert (acc.total, acc.held) == (rub(1_000), 0)


def test_a_hold_ends_exactly_once() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    acc.commit_hold("h1", now=T0, **WHO)
    with pytest.raises(HoldAlreadyEnded):
        acc.commit_hold("h1", now=T0, **WHO)
    with pytest.raises(HoldAlreadyEnded):
        acc.release_hold("h1", now=T0, **WHO)
    with pytest.raises(HoldAlreadyEnded):  # not "exceeds hold": the hold is over
        acc.commit_hold("h1", rub(301), now=T0, **WHO)
    assert acc.total == rub(700)


def test_hold_beyond_available_is_refused_with_the_figures() -> None:
    acc = account(rub(100))
    with pytest.raises(InsufficientPoints) as err:
        acc.place_hold("h1", rub(150), now=T0, reason="order 7", **WHO)
    assert err.value.details == {"available": rub(100), "requested": rub(150)}
    assert "100,00 points available" in err.value.message
    assert acc.postings == [] and acc.holds == {}


def test_offline_hold_replayed_beyond_balance_records_an_overdraft() -> None:
    acc = account(rub(100))
    acc.place_hold("h1", rub(150), now=T0, reason="offline", allow_overdraft=True, **WHO)
    assert acc.available == -rub(50)
    [overdraft] = acc.overdrafts
    assert overdraft.amount == rub(50)
    assert overdraft.ref == "h1"


def test_expiry_by_the_servers_clock_releases_the_hold() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    assert acc.expire_holds(T0 + timedelta(hours=23)) == []
    [expired] = acc.expire_holds(T0 + timedelta(hours=24))
    assert expired.kind is PostingKind.EXPIRE
    assert acc.holds["h1"].status is HoldStatus.EXPIRED
    assert acc.available == rub(1_000)


def test_late_commit_is_applied_as_a_debit_when_covered() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    later = T0 + timedelta(hours=25)
    [debit] = acc.commit_hold("h1", rub(200), now=later, **WHO)
    assert debit.kind is PostingKind.DEBIT and debit.ref == "h1"
    assert acc.holds["h1"].status is HoldStatus.EXPIRED  # it ended once, by expiry
    assert acc.total == rub(800)
    assert acc.overdrafts == []
    with pytest.raises(HoldAlreadyEnded):  # a replay of the same late commit
        acc.commit_hold("h1", rub(200), now=later, **WHO)


def test_late_commit_beyond_balance_records_an_overdraft() -> None:
    acc = account(rub(300))
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    acc.expire_holds(T0 + timedelta(days=2))
    acc.debit(rub(250), now=T0 + timedelta(days=2), reason="another till", **WHO)
    acc.commit_hold("h1", now=T0 + timedelta(days=2), **WHO)
    assert acc.total == -rub(250)
    assert [o.amount for o in acc.overdrafts] == [rub(250)]


def test_commit_more_than_held_is_refused() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    with pytest.raises(CommitExceedsHold) as err:
        acc.commit_hold("h1", rub(301), now=T0, **WHO)
    assert err.value.details == {"hold_id": "h1", "hold_amount": rub(300), "requested": rub(301)}
    assert acc.holds["h1"].status is HoldStatus.OPEN


def test_late_commit_larger_than_the_hold_is_refused() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    acc.expire_holds(T0 + timedelta(days=2))
    with pytest.raises(CommitExceedsHold):
        acc.commit_hold("h1", rub(301), now=T0 + timedelta(days=2), **WHO)
    assert acc.total == rub(1_000) and acc.holds["h1"].committed_amount == 0


def test_unknown_and_duplicate_holds() -> None:
    acc = account()
    with pytest.raises(HoldNotFound):
        acc.release_hold("nope", now=T0, **WHO)
    acc.place_hold("h1", rub(1), now=T0, reason="", **WHO)
    with pytest.raises(DuplicateHold):
        acc.place_hold("h1", rub(1), now=T0, reason="", **WHO)


def test_account_rebuilt_from_stored_holds_knows_what_is_held() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="", **WHO)
    again = BonusAccount("acc-1", total=acc.total, holds=acc.holds.values())
    assert again.held == rub(300)
    again.commit_hold("h1", rub(100), now=T0, **WHO)
    assert again.available == rub(900)


def test_naive_times_and_bad_amounts_are_refused() -> None:
    acc = account()
    with pytest.raises(NaiveTimestamp):
        acc.credit(rub(1), now=datetime(2026, 1, 1), reason="", **WHO)  # noqa: DTZ001
    with pytest.raises(Exception, match="positive"):
        acc.credit(0, now=T0, reason="", **WHO)
    with pytest.raises(Exception, match="whole number"):
        acc.debit(1.5, now=T0, reason="", **WHO)  # type: ignore[arg-type]


def test_postings_record_who_where_why() -> None:
    acc = account()
    p = acc.credit(rub(50), now=T0, reason="promo", ref="promo-1", kind=PostingKind.ACCRUAL, **WHO)
    who = (p.actor, p.terminal_id, p.reason, p.ref, p.at)
    assert who == ("cashier-1", "T1", "promo", "promo-1", T0)
    assert p.total_after == rub(1_050)


def test_manual_example_12000_order_paid_half_in_points() -> None:
    # Seed 004: order 12 000 ₽, max redemption 50 % -> 6 000 points held, then committed.
    acc = account(rub(10_000))
    acc.place_hold("h1", rub(6_000), now=T0, reason="order 12", ref="o12", **WHO)
    assert (acc.total, acc.held, acc.available) == (rub(10_000), rub(6_000), rub(4_000))
    [commit] = acc.commit_hold("h1", now=T0 + timedelta(minutes=5), reason="order 12 paid", **WHO)
    assert (commit.total_after, commit.held_after) == (rub(4_000), 0)
    assert (commit.total_delta, commit.held_delta) == (-rub(6_000), -rub(6_000))
    assert (acc.total, acc.held, acc.available) == (rub(4_000), 0, rub(4_000))


def test_commit_after_expiry_without_a_sweeper_run_expires_first() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    postings = acc.commit_hold("h1", now=T0 + DEFAULT_HOLD_TTL, **WHO)
    assert postings[-1].kind is PostingKind.DEBIT
    kinds = [p.kind for p in acc.postings]
    assert kinds == [PostingKind.HOLD, PostingKind.EXPIRE, PostingKind.DEBIT]
    assert acc.holds["h1"].status is HoldStatus.EXPIRED
    assert (acc.total, acc.held) == (rub(700), 0)


def test_commit_just_before_expiry_is_an_ordinary_commit() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", **WHO)
    just_before = T0 + DEFAULT_HOLD_TTL - timedelta(microseconds=1)
    [commit] = acc.commit_hold("h1", now=just_before, **WHO)
    assert commit.kind is PostingKind.COMMIT
    assert acc.holds["h1"].status is HoldStatus.COMMITTED


def test_release_or_expiry_after_expiry_changes_nothing() -> None:
    acc = account()
    acc.place_hold("h1", rub(300), now=T0, reason="order 7", ttl=timedelta(minutes=10), **WHO)
    later = T0 + timedelta(hours=1)
    assert len(acc.expire_holds(later)) == 1
    assert acc.expire_holds(later + timedelta(hours=1)) == []
    with pytest.raises(HoldAlreadyEnded) as err:
        acc.release_hold("h1", now=later, **WHO)
    assert err.value.details == {"hold_id": "h1", "status": "expired"}
    with pytest.raises(HoldAlreadyEnded):  # nothing to commit late: 0 of an expired hold
        acc.commit_hold("h1", 0, now=later, **WHO)
    assert len(acc.postings) == 2 and acc.available == rub(1_000)


def test_sweeper_ends_only_the_holds_whose_time_is_up() -> None:
    acc = account()
    acc.place_hold("short", rub(100), now=T0, reason="", ttl=timedelta(hours=1), **WHO)
    acc.place_hold("long", rub(200), now=T0, reason="", ttl=timedelta(hours=5), **WHO)
    [expired] = acc.expire_holds(T0 + timedelta(hours=2))
    assert (expired.ref, expired.amount, expired.held_after) == ("short", rub(100), rub(200))
    assert acc.holds["long"].status is HoldStatus.OPEN


def test_failed_operations_post_nothing() -> None:
    acc = account(rub(100))
    acc.place_hold("h1", rub(60), now=T0, reason="", **WHO)
    before = list(acc.postings)
    with pytest.raises(InsufficientPoints):
        acc.debit(rub(41), now=T0, reason="", **WHO)
    with pytest.raises(CommitExceedsHold):
        acc.commit_hold("h1", rub(61), now=T0, **WHO)
    with pytest.raises(HoldNotFound):
        acc.commit_hold("h2", now=T0, **WHO)
    assert acc.postings == before and acc.overdrafts == []
    assert (acc.total, acc.held, acc.available) == (rub(100), rub(60), rub(40))


def test_overdraft_is_only_the_part_not_covered() -> None:
    acc = account(rub(100))
    acc.debit(rub(130), now=T0, reason="offline sale", ref="op-9", allow_overdraft=True, **WHO)
    [overdraft] = acc.overdrafts
    assert (overdraft.amount, overdraft.ref, overdraft.reason) == (rub(30), "op-9", "offline sale")
    acc.debit(rub(20), now=T0, reason="second", allow_overdraft=True, **WHO)
    assert [o.amount for o in acc.overdrafts] == [rub(30), rub(20)]
    assert acc.available == -rub(50)


def _stored_hold(**changes: object) -> Hold:
    fields: dict[str, object] = {
        "id": "h1", "account_id": "acc-1", "amount": rub(10), "created_at": T0,
        "expires_at": T0 + DEFAULT_HOLD_TTL, "terminal_id": "T1",
    }  # fmt: skip
    fields.update(changes)
    return Hold(**fields)  # type: ignore[arg-type]


def test_rebuilding_refuses_foreign_duplicate_or_naive_holds() -> None:
    with pytest.raises(ValueError, match="belongs to"):
        BonusAccount("acc-1", holds=[_stored_hold(account_id="acc-2")])
    with pytest.raises(DuplicateHold):
        BonusAccount("acc-1", holds=[_stored_hold(), _stored_hold()])
    with pytest.raises(NaiveTimestamp):
        BonusAccount("acc-1", holds=[_stored_hold(expires_at=datetime(2026, 1, 1))])  # noqa: DTZ001
    ended = _stored_hold(status=HoldStatus.RELEASED)
    assert BonusAccount("acc-1", total=rub(50), holds=[ended]).held == 0


def test_naive_time_is_refused_by_every_hold_operation() -> None:
    acc = account()
    naive = datetime(2026, 11, 23, 12, 0)  # noqa: DTZ001
    with pytest.raises(NaiveTimestamp, match="time zone"):
        acc.place_hold("h1", rub(1), now=naive, reason="", **WHO)
    acc.place_hold("h1", rub(1), now=T0, reason="", **WHO)
    with pytest.raises(NaiveTimestamp):
        acc.commit_hold("h1", now=naive, **WHO)
    with pytest.raises(NaiveTimestamp):
        acc.release_hold("h1", now=naive, **WHO)
    with pytest.raises(NaiveTimestamp):
        acc.expire_holds(naive)
    assert acc.holds["h1"].status is HoldStatus.OPEN and len(acc.postings) == 1


def test_hold_and_commit_amounts_are_validated() -> None:
    acc = account()
    with pytest.raises(InvalidAmount, match="positive"):
        acc.place_hold("h1", 0, now=T0, reason="", **WHO)
    with pytest.raises(InvalidAmount, match="positive"):
        acc.place_hold("h1", -rub(1), now=T0, reason="", **WHO)
    acc.place_hold("h1", rub(5), now=T0, reason="", **WHO)
    with pytest.raises(InvalidAmount):
        acc.commit_hold("h1", -1, now=T0, **WHO)
    assert acc.holds["h1"].status is HoldStatus.OPEN


def test_every_posting_a_hold_makes_names_the_hold_even_with_an_order_ref() -> None:
    acc = account(rub(100))
    acc.place_hold(
        "h1", rub(150), now=T0, reason="offline", ref="order-7", allow_overdraft=True, **WHO
    )
    acc.place_hold("h2", rub(10), now=T0, reason="", ref="order-8", allow_overdraft=True, **WHO)
    acc.commit_hold("h1", rub(50), now=T0, **WHO)
    acc.expire_holds(T0 + timedelta(days=2))
    acc.commit_hold("h2", now=T0 + timedelta(days=2), **WHO)  # late commit
    assert [(p.kind, p.ref, p.hold_id) for p in acc.postings] == [
        (PostingKind.HOLD, "order-7", "h1"),
        (PostingKind.HOLD, "order-8", "h2"),
        (PostingKind.COMMIT, "h1", "h1"),
        (PostingKind.RELEASE, "h1", "h1"),
        (PostingKind.EXPIRE, "h2", "h2"),
        (PostingKind.DEBIT, "h2", "h2"),
    ]
    assert [(o.ref, o.hold_id) for o in acc.overdrafts] == [("order-7", "h1"), ("order-8", "h2")]


def test_a_refused_naive_overdraft_debit_records_no_overdraft() -> None:
    acc = account(rub(100))
    naive = datetime(2026, 11, 23, 12, 0)  # noqa: DTZ001
    with pytest.raises(NaiveTimestamp):
        acc.debit(rub(150), now=naive, reason="offline", allow_overdraft=True, **WHO)
    assert acc.overdrafts == [] and acc.postings == [] and acc.total == rub(100)


@pytest.mark.parametrize("bad_id", ["", " h1", "h1\n"])
def test_empty_or_padded_hold_ids_are_refused(bad_id: str) -> None:
    acc = account()
    with pytest.raises(InvalidHoldId) as err:
        acc.place_hold(bad_id, rub(1), now=T0, reason="", **WHO)
    assert err.value.details == {"hold_id": bad_id}
    assert acc.holds == {} and acc.postings == []


def test_uuid_hold_ids_made_by_the_till_are_accepted() -> None:
    hold_id = str(uuid.uuid4())
    acc = account()
    acc.place_hold(hold_id, rub(1), now=T0, reason="", **WHO)
    assert acc.holds[hold_id].status is HoldStatus.OPEN


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1)])
def test_a_hold_must_live_for_some_time(ttl: timedelta) -> None:
    acc = account()
    with pytest.raises(ValueError, match="time to live"):
        acc.place_hold("h1", rub(1), now=T0, reason="", ttl=ttl, **WHO)
    assert acc.holds == {} and acc.postings == []


def test_the_servers_balance_is_read_back_from_an_insufficient_points_message() -> None:
    """The server's refusal carries only the message; the till reads the figure from it."""
    from pos_app.domain.bonus import BonusAccount, available_in_refusal

    for available in (0, 5_00, 12_345_67):
        message = BonusAccount("g1", total=available)._insufficient(100_000_00).message
        assert available_in_refusal(message) == available
    assert available_in_refusal("Guest g1 is not known to the server.") is None
    assert available_in_refusal(None) is None
