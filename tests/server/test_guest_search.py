"""The guest list's search (``pos_server/guests/search.py``): name, phone in any spelling,
e-mail and card, each from its start; LIKE's wildcards typed are plain characters."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from pos_server.db import make_engine
from pos_server.db.models import Guest, GuestIdentifier
from pos_server.db.models_guest_card import GuestContactRow
from pos_server.guests.search import contact_prefixes, search_guests
from pos_server.uow import unit_of_work
from tests.server.conftest import add_terminal

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def seed(db_url: str) -> None:
    terminal = add_terminal(db_url).terminal_id
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(Guest), [
                {"id": gid, "name": name, "phone": phone, "created_at": NOW,
                 "created_by": terminal}
                for gid, name, phone in (("a", "Анна Иванова", "+79121234567"),
                                         ("b", "Boris 100%", None), ("c", "anna Smith", None))
            ])  # fmt: skip
            connection.execute(insert(GuestContactRow), [
                {"guest_id": "a", "position": 0, "type": "phone", "label": "mobile",
                 "value": "+79121234567"},
                {"guest_id": "b", "position": 0, "type": "email", "label": "other",
                 "value": "boris@example.com"},
            ])  # fmt: skip
            connection.execute(insert(GuestIdentifier), [
                {"guest_id": "c", "medium": "card", "method": "barcode", "value": "CARD7001",
                 "bound_at": NOW}])  # fmt: skip
    finally:
        engine.dispose()


def ids(db_url: str, query: str) -> list[str]:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=NOW) as uow:
            return [hit.guest_id for hit in search_guests(uow, query)]
    finally:
        engine.dispose()


def test_search_by_name_phone_email_and_card(db_url: str) -> None:
    seed(db_url)
    assert ids(db_url, "") == ["c", "b", "a"]  # by name, case-insensitively
    if db_url.startswith("postgresql"):  # SQLite's lower() folds ASCII letters only
        assert ids(db_url, "анна") == ["a"]
    assert ids(db_url, "Анна И") == ["a"]
    assert ids(db_url, "ANNA") == ["c"]
    for phone in ("8 912 123", "+7912", "912-12", "79121234567"):
        assert ids(db_url, phone) == ["a"], phone
    assert ids(db_url, "Boris@Ex") == ["b"]
    assert ids(db_url, "card70") == ["c"]
    assert ids(db_url, "boris 100%") == ["b"] and ids(db_url, "boris 1_0") == []
    assert ids(db_url, "%") == []


def test_phone_spellings() -> None:
    assert contact_prefixes("8 (912)") == ["+78912", "+7912", "+8912", "8 (912)"]
