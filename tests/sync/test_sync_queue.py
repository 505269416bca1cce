"""``SyncQueue.record``: what each verdict changes in the till's store (in-memory fakes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.domain.guests import Guest
from pos_app.domain.operations import parse
from pos_app.services.ports_sync import HoldRecord, OpVerdict
from pos_app.services.sync_queue import LAST_SEQ_KEY, SyncQueue
from tests.services.fakes import FakeClock, FakeStore

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


def queue(store: FakeStore, kind: str, payload: dict[str, object]) -> None:
    with store() as uow:
        uow.outbox.append(parse(kind, payload))
        uow.commit()


def hold(store: FakeStore, hold_id: str, *, offline: bool, status: str = "open") -> None:
    with store() as uow:
        uow.sync.add_hold(HoldRecord(hold_id, "anna", 100, T0, "s-1", offline, status))
        uow.commit()


def judge(store: FakeStore, *answers: tuple[str, str | None, dict[str, object] | None]) -> None:
    sent = list(store.pending)
    verdicts = [OpVerdict(e.op_id, e.seq, status, reason, f"{reason} message", current)
                for e, (status, reason, current) in zip(sent, answers, strict=True)]  # fmt: skip
    SyncQueue(store, FakeClock()).record(sent, verdicts, last_seq=sent[-1].seq)


def test_applied_is_done_and_the_servers_last_seq_is_kept(store: FakeStore) -> None:
    queue(store, "guest.created", {"guest_id": "g1", "name": "A", "phone": None})
    judge(store, ("applied", None, None))
    assert store.pending == [] and store.data.sync.items == {}
    assert store.data.settings[LAST_SEQ_KEY] == 1


def test_a_conflicting_guest_takes_the_servers_name_and_phone(store: FakeStore) -> None:
    with store() as uow:
        uow.guests.add(Guest("g1", "Anna"))
        uow.commit()
    queue(store, "guest.created", {"guest_id": "g1", "name": "Anna", "phone": None})
    judge(store, ("conflict", "guest_exists",
                  {"guest_id": "g1", "name": "Anna Smirnova", "phone": "+79121234567"}))
    assert store.data.guests["g1"].name == "Anna Smirnova"
    assert store.data.guests["g1"].phones == ("+79121234567",)
    sync = SyncQueue(store, FakeClock())
    [item] = sync.items()
    assert (item.verdict, item.reason) == ("conflict", "guest_exists")
    sync.resolve(item.op_id)  # a manager looked at it
    assert sync.items() == [] and len(sync.items(include_resolved=True)) == 1
    assert store.data.outbox[0].last_error == "conflict: guest_exists: guest_exists message"


def test_a_phone_that_already_has_a_promo_code_adopts_the_servers_code(store: FakeStore) -> None:
    queue(store, "promo.issued", {"code": "TOP1234", "guest_id": "g1", "phone": "+79121234567"})
    judge(store, ("conflict", "phone_has_code",
                  {"code": "TOP9999", "guest_id": "g1", "phone": "+79121234567"}))
    with store() as uow:
        adopted = uow.promo.of_guest("g1")
    assert adopted is not None and adopted.code == "TOP9999"


def test_a_refused_online_hold_is_no_item_but_an_offline_one_is(store: FakeStore) -> None:
    hold(store, "h-online", offline=False)
    hold(store, "h-offline", offline=True)
    queue(store, "hold.placed", {"hold_id": "h-online", "guest_id": "g", "amount": 100})
    queue(store, "hold.placed", {"hold_id": "h-offline", "guest_id": "g", "amount": 100,
                                 "offline": True})
    queue(store, "hold.released", {"hold_id": "h-online"})  # after a timeout
    judge(store, ("rejected", "insufficient_points", None), ("rejected", "unknown_guest", None),
          ("rejected", "hold_not_found", None))  # fmt: skip
    assert {h.hold_id: h.status for h in store.data.sync.holds.values()} == {
        "h-online": "refused", "h-offline": "refused"}
    assert [i.reason for i in store.data.sync.items.values()] == ["unknown_guest"]


def test_a_seq_gap_reopens_what_the_server_has_not_judged(store: FakeStore) -> None:
    for n in range(3):
        queue(store, "guest.created", {"guest_id": f"g{n}", "name": "A", "phone": None})
    judge(store, ("applied", None, None), ("applied", None, None), ("applied", None, None))
    assert SyncQueue(store, FakeClock()).reopen_after(1) == 2
    assert [e.seq for e in store.pending] == [2, 3]
