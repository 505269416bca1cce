"""Two guests on a server database for the back office's guests pages (tests, screenshots):
Anna with a phone, Boris with a card, both made at a till registered here."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.domain.identifiers import InputMethod, Medium
from pos_server.db import make_engine
from pos_server.repositories.guests import GuestRecord
from pos_server.terminals import service as terminals
from pos_server.uow import unit_of_work


def add_guests(url: str, anna: str = "Anna Petrova", boris: str = "Boris") -> None:
    engine = make_engine(url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            till = terminals.register(uow, "Till 1").terminal_id
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            uow.terminal_id = till  # the guests made at that till
            uow.guests.add(GuestRecord("anna", anna, "+79121234567"))
            uow.guests.add(GuestRecord("boris", boris, None))
            uow.identifiers.bind("boris", Medium.CARD, InputMethod.MANUAL, "7700123")
    finally:
        engine.dispose()
