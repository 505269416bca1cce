"""``pos_server.guests.new_guest``: a guest made in the back office by the tills' own
operations as the member (checked, audited, fed), all or nothing, a taken phone refused
naming its owner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change, Guest
from pos_server.db.models_guest_card import GuestAuditRow
from pos_server.guests import backoffice, groups
from pos_server.guests.new_guest import NewGuest, PhoneTaken, create_guest
from pos_server.repositories.terminals import BACK_OFFICE_ID
from pos_server.staff import service as staff
from pos_server.terminals import service as terminals
from pos_server.uow import UnitOfWork, unit_of_work
from tests.web.guests_seed import add_guests

T = TypeVar("T")


def run(db_url: str, work: Callable[[UnitOfWork], T], actor: str = "web:boss") -> T:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor=actor, now=datetime.now(UTC)) as uow:
            return work(uow)
    finally:
        engine.dispose()


def rows(db_url: str, query: object) -> list[object]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            return list(session.scalars(query))  # type: ignore[call-overload]
    finally:
        engine.dispose()


def test_a_guest_is_made_with_contacts_birthday_group_and_card(db_url: str) -> None:
    add_guests(db_url)
    mia = run(db_url, lambda uow: staff.add_staff(uow, "Mia", "manager", "555555").id)
    run(db_url, lambda uow: groups.save_group(uow, groups.GuestGroupIn(
        id="gold", name="Gold", discount_bp=1_000, spend_threshold=0)))  # fmt: skip
    new = NewGuest("  Vera   Ivanova ", phone="8 (912) 555-44-33", email="Vera@Example.com",
                   birthday="1990-05-17", group_id="gold", card="7700555")  # fmt: skip
    guest_id = run(db_url, lambda uow: create_guest(uow, mia, new), actor=f"web:{mia}")
    view = run(db_url, lambda uow: backoffice.card_view(uow, guest_id))
    assert view is not None
    card = view.card
    assert (card.name, card.group_id, card.group_by_hand) == ("Vera Ivanova", "gold", True)
    assert str(card.birthday) == "1990-05-17"
    assert [(c.type.value, c.value) for c in card.contacts] == [
        ("phone", "+79125554433"), ("email", "vera@example.com")]  # fmt: skip
    assert [i.value for i in view.identifiers] == ["7700555"]
    guest = rows(db_url, select(Guest).where(Guest.id == guest_id))[0]
    assert guest.created_by == BACK_OFFICE_ID and guest.phone == "+79125554433"  # type: ignore[attr-defined]
    audit = rows(db_url, select(GuestAuditRow).where(GuestAuditRow.guest_id == guest_id))
    created = [a for a in audit if a.action == "guest.created"]  # type: ignore[attr-defined]
    assert len(created) == 1 and created[0].staff_id == mia  # type: ignore[attr-defined]
    assert created[0].after["card"] == "7700555"  # type: ignore[attr-defined]
    assert {(a.staff_id, a.terminal_id) for a in audit} == {(mia, BACK_OFFICE_ID)}  # type: ignore[attr-defined]
    fed = rows(db_url, select(Change).where(Change.entity_id.in_([guest_id, "7700555"])))
    last = [c.data for c in fed if c.entity == "guest"][-1]  # type: ignore[attr-defined]
    assert (last["name"], last["group_id"], last["birthday"]) == (
        "Vera Ivanova", "gold", "1990-05-17")  # fmt: skip
    assert any(c.entity == "identifier" for c in fed)  # type: ignore[attr-defined]
    # the back office's row is not a terminal of the list
    listed = run(db_url, terminals.listing)
    assert BACK_OFFICE_ID not in [t.terminal_id for t in listed] and len(listed) == 1


def test_a_taken_phone_names_its_owner_and_nothing_is_kept(db_url: str) -> None:
    add_guests(db_url)  # Anna Petrova has +79121234567
    mia = run(db_url, lambda uow: staff.add_staff(uow, "Mia", "manager", "555555").id)
    with pytest.raises(PhoneTaken) as taken:
        run(db_url, lambda uow: create_guest(uow, mia, NewGuest("Vera", phone="89121234567")))
    assert (taken.value.guest_id, taken.value.name) == ("anna", "Anna Petrova")
    assert "Anna Petrova already has the phone number +79121234567" in str(taken.value)
    # a card another guest has: refused by identifier.bound, and the guest is not kept either
    with pytest.raises(backoffice.EditRefused, match="another guest"):
        run(db_url, lambda uow: create_guest(uow, mia, NewGuest("Vera", card="7700123")))
    with pytest.raises(backoffice.EditRefused, match="birthday"):
        run(db_url, lambda uow: create_guest(uow, mia, NewGuest("Vera", birthday="2999-01-01")))
    with pytest.raises(backoffice.EditRefused, match="name"):
        run(db_url, lambda uow: create_guest(uow, mia, NewGuest("   ")))
    assert [g.name for g in rows(db_url, select(Guest))] == ["Anna Petrova", "Boris"]  # type: ignore[attr-defined]
    # a cashier may not put a guest into a group by hand (the handler's own check)
    cal = run(db_url, lambda uow: staff.add_staff(uow, "Cal", "cashier", "6666").id)
    run(db_url, lambda uow: groups.save_group(uow, groups.GuestGroupIn(
        id="gold", name="Gold", discount_bp=1_000, spend_threshold=0)))  # fmt: skip
    with pytest.raises(backoffice.EditRefused, match="guest_group"):
        run(db_url, lambda uow: create_guest(uow, cal, NewGuest("Vera", group_id="gold")))
    assert run(db_url, lambda uow: create_guest(uow, cal, NewGuest("Vera")))


def test_a_members_edit_is_stored_on_postgresql_too(db_url: str) -> None:
    """A back-office member's unit of work acts as ``web:<staff id>`` (40 characters), longer
    than the terminal columns of the guest's audit and field stamps: those rows name the back
    office's row instead (the member is the audit's ``staff_id``)."""
    add_guests(db_url)
    mia = run(db_url, lambda uow: staff.add_staff(uow, "Mia", "manager", "555555").id)
    run(db_url, lambda uow: backoffice.update(uow, mia, "anna", {"name": "Anna P."}),
        actor=f"web:{mia}")  # fmt: skip
    audit = rows(db_url, select(GuestAuditRow).where(GuestAuditRow.guest_id == "anna"))
    assert [(a.staff_id, a.terminal_id) for a in audit] == [(mia, BACK_OFFICE_ID)]  # type: ignore[attr-defined]
