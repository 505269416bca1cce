"""A guest made in the back office (``pos_server.guests.new_guest``) reaches a till through the
change feed of a real ``pos-server run``: name, contacts, birthday, group and card, and the
till then finds the guest by that card."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.services.guest_card import GuestCardService
from pos_server.db import make_engine
from pos_server.guests import groups
from pos_server.guests.new_guest import NewGuest, create_guest
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.sync.conftest import MakeTill
from tests.sync.faultproxy import ServerProcess


def test_a_guest_made_on_the_web_reaches_a_till(make_till: MakeTill, server: ServerProcess
                                                ) -> None:  # fmt: skip
    suffix = uuid.uuid4().hex[:6]
    till = make_till()
    till.puller.pull()
    engine = make_engine(server.db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            mia = staff.add_staff(uow, f"Mia {suffix}", "manager", "5" * 6).id
            gold = groups.GuestGroupIn(id=f"gold-{suffix}", name="Gold", discount_bp=1_000,
                                       spend_threshold=0)  # fmt: skip
            groups.save_group(uow, gold)
        phone = f"+7913{int(suffix, 16) % 10**7:07d}"
        card_no = f"88{int(suffix, 16) % 10**10:010d}"
        with unit_of_work(engine, actor=f"web:{mia}", now=datetime.now(UTC)) as uow:
            guest_id = create_guest(uow, mia, NewGuest(
                f"Vera {suffix}", phone=phone, email=f"vera-{suffix}@example.com",
                birthday="1990-05-17", group_id=f"gold-{suffix}", card=card_no))  # fmt: skip
    finally:
        engine.dispose()
    till.puller.pull()
    card = GuestCardService(till.store.unit_of_work, SystemClock(), UuidGenerator()).card(guest_id)
    assert card.name == f"Vera {suffix}" and str(card.birthday) == "1990-05-17"
    assert (card.group_id, card.group_by_hand) == (f"gold-{suffix}", True)
    assert [c.value for c in card.contacts] == [phone, f"vera-{suffix}@example.com"]
    assert [i.value for i in card.identifiers] == [card_no]
    with till.store.unit_of_work(durable=False) as uow:
        found = uow.guests.by_identifier(card_no)
    assert found is not None and found.id == guest_id
