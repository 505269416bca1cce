"""The guest card end to end through a real ``pos-server run`` (issue 17): two tills edit one
guest while offline, both queues drain, and after a pull both tills show the same card - each
field the latest edit by the tills' times (docs/domain.md "Guest card edits"); a card replaced,
contacts and the guest's own bonus settings made on one till reach the other through the feed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from pos_app.commands.sync_runtime import SyncRuntime
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.services.guest_card import ContactInput, GuestCardService
from pos_app.services.guests import GuestService
from pos_app.services.staff import StaffSession
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_guest_card import GuestAuditRow
from pos_server.db.models_web import StaffPermissionRow
from tests.server.conftest import add_staff_member
from tests.sync.conftest import MakeTill, server_ops
from tests.sync.faultproxy import ServerProcess


def cards(till: SyncRuntime) -> GuestCardService:
    return GuestCardService(till.store.unit_of_work, SystemClock(), UuidGenerator())


def verdicts(db_url: str, till: SyncRuntime) -> list[tuple[str, str]]:
    return [(kind, verdict) for _, kind, verdict, _ in server_ops(db_url, till.queue.terminal_id())]


def test_two_tills_edit_one_guest_offline_and_converge(
    make_till: MakeTill, server: ServerProcess
) -> None:
    db_url, suffix = server.db_url, uuid.uuid4().hex[:6]
    staff_id = f"kate-{suffix}"
    add_staff_member(db_url, staff_id, "manager")
    engine = make_engine(db_url)
    with make_sessions(engine).begin() as session:
        session.add(StaffPermissionRow(staff_id=staff_id, permission="bonus_settings"))
    now = datetime.now(UTC)
    kate = StaffSession(
        staff_id, "Kate", "manager", frozenset(), now, frozenset({"bonus_settings"})
    )
    till_a, till_b = make_till(), make_till()
    card_no = f"77{int(suffix, 16) % 10**12:012d}"
    guest_id = GuestService(till_a.store.unit_of_work, SystemClock(), UuidGenerator()).create_guest(
        f"Anna {suffix}", identifier=card_no, method=InputMethod.MANUAL).guest_id  # fmt: skip
    till_a.worker.drain_once()
    till_b.puller.pull()
    assert cards(till_b).card(guest_id).name == f"Anna {suffix}"

    # both offline (nothing sent): B renames first, then A; A writes the note, then B
    cards(till_b).update(kate, guest_id, name="Anna from B")
    cards(till_a).update(kate, guest_id, name="Anna from A")
    cards(till_a).update(kate, guest_id, note="note from A")
    cards(till_b).update(kate, guest_id, note="note from B")
    phone = f"+7912{int(suffix, 16) % 10**7:07d}"
    cards(till_a).set_contacts(
        kate,
        guest_id,
        [ContactInput("phone", "mobile", phone), ContactInput("email", "work", "a@example.com")],
    )
    cards(till_a).set_loyalty(kate, guest_id, accrual_bp=1_200, max_redemption_bp=None)
    new_card = f"{card_no}9"
    cards(till_a).replace_identifier(
        kate,
        guest_id,
        old_value=card_no,
        medium=Medium.CARD,
        method=InputMethod.BARCODE,
        raw=new_card,
        reason="lost",
    )
    cards(till_a).adjust(kate, guest_id, account="points", direction="credit", amount=15_000,
                         reason="birthday")  # fmt: skip
    till_a.worker.drain_once()  # A reaches the server first, B later: arrival order differs
    till_b.worker.drain_once()
    assert {v for _, v in verdicts(db_url, till_a) + verdicts(db_url, till_b)} == {"applied"}
    till_a.puller.pull()
    till_b.puller.pull()

    seen = [cards(till).card(guest_id) for till in (till_a, till_b)]  # accounts: snapshots
    for card in seen:
        assert (card.name, card.note) == ("Anna from A", "note from B")
        assert [(c.type, c.label, c.value) for c in card.contacts] == [
            ("phone", "mobile", phone),
            ("email", "work", "a@example.com"),
        ]
        assert card.accrual_bp == 1_200
        assert [(i.value, i.blocked) for i in card.identifiers] == [
            (card_no, True),
            (new_card, False),
        ]
    assert seen[0] == seen[1]
    with till_b.store.unit_of_work(durable=False) as uow:
        assert uow.guests.by_identifier(card_no) is None
        assert uow.guests.by_identifier(new_card).id == guest_id

    page = till_b.till.guest_history.page(guest_id, "points")  # the server's history at B
    [credit] = page.items
    assert (credit["kind"], credit["amount"], credit["total_after"], credit["staff"],
            credit["terminal_id"], credit["reason"]) == (
        "credit", 15_000, 15_000, staff_id, till_a.queue.terminal_id(), "birthday")  # fmt: skip
    assert seen[1].points_total == 15_000 and not page.offline

    with make_sessions(engine)() as session:  # both versions of each field are kept
        audit = session.scalars(select(GuestAuditRow).where(
            GuestAuditRow.guest_id == guest_id, GuestAuditRow.field.in_(("name", "note")))
            .order_by(GuestAuditRow.id)).all()  # fmt: skip
    engine.dispose()
    assert [(a.field, a.after, a.outcome) for a in audit] == [
        ("name", "Anna from A", "applied"),
        ("note", "note from A", "applied"),
        ("name", "Anna from B", "superseded"),
        ("note", "note from B", "applied"),
    ]


def test_an_edit_the_server_refuses_is_undone_at_the_till(
    make_till: MakeTill, server: ServerProcess
) -> None:
    """A till whose copy of the staff list is stale lets someone edit a card offline; the
    server refuses (the person is unknown there) and answers with the card it has, which the
    till takes: its copy does not keep the refused edit."""
    suffix = uuid.uuid4().hex[:6]
    till = make_till()
    guest_id = (
        GuestService(till.store.unit_of_work, SystemClock(), UuidGenerator())
        .create_guest(f"Boris {suffix}")
        .guest_id
    )
    stranger = StaffSession(f"gone-{suffix}", "Gone", "cashier", frozenset(), datetime.now(UTC))
    cards(till).update(stranger, guest_id, name="Boris edited", note="never applied")
    assert cards(till).card(guest_id).name == "Boris edited"
    till.worker.drain_once()
    assert verdicts(server.db_url, till) == [("guest.created", "applied"),
                                             ("guest.updated", "conflict")]  # fmt: skip
    card = cards(till).card(guest_id)
    assert (card.name, card.note) == (f"Boris {suffix}", "")
