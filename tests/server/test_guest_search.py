"""The guest list's search (``pos_server/guests/search.py``, the one the back office's list and
CSV use): name, phone in any spelling (a contact or a till's primary phone), e-mail and card,
each from its start; LIKE's wildcards typed are plain characters; keyset pages in the order the
name index is read (ties by id), each row with its e-mails and cards."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from pos_server.db import make_engine
from pos_server.db.models import Guest, GuestIdentifier
from pos_server.db.models_guest_card import GuestContactRow
from pos_server.guests.search import GuestListed, contact_prefixes, search_guests
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
                                         ("b", "Boris 100%", None), ("c", "anna Smith", None),
                                         ("d", "Дмитрий", "+79990001122"),  # no contact row
                                         ("e", "ANNA smith", None))
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


def found(db_url: str, query: str, after: str | None = None,
          limit: int = 50) -> list[GuestListed]:  # fmt: skip
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=NOW) as uow:
            return search_guests(uow, query, after, limit)
    finally:
        engine.dispose()


def ids(db_url: str, query: str, after: str | None = None, limit: int = 50) -> list[str]:
    return [hit.guest_id for hit in found(db_url, query, after, limit)]


def test_search_by_name_phone_email_and_card(db_url: str) -> None:
    seed(db_url)
    assert ids(db_url, "") == ["c", "e", "b", "a", "d"]  # by name, case-insensitively
    if db_url.startswith("postgresql"):  # SQLite's lower() folds ASCII letters only
        assert ids(db_url, "анна") == ["a"]
    assert ids(db_url, "Анна И") == ["a"]
    assert ids(db_url, "ANNA") == ["c", "e"]
    assert ids(db_url, "Smith") == ids(db_url, "Иванова") == []  # not the name's start
    for phone in ("8 912 123", "+7912", "912-12", "79121234567"):
        assert ids(db_url, phone) == ["a"], phone
    assert ids(db_url, "Boris@Ex") == ["b"]
    assert ids(db_url, "card70") == ["c"]
    assert ids(db_url, "boris 100%") == ["b"] and ids(db_url, "boris 1_0") == []
    assert ids(db_url, "%") == []
    assert ids(db_url, "8 999 000") == ids(db_url, "+79990001122") == ["d"]  # guests.phone


def test_keyset_pages_read_every_match_once_in_order(db_url: str) -> None:
    seed(db_url)
    for query, every in (("", ["c", "e", "b", "a", "d"]), ("anna", ["c", "e"]),
                         ("+7", ["a", "d"])):  # fmt: skip
        walked: list[str] = []
        while page := ids(db_url, query, walked[-1] if walked else None, limit=1):
            walked += page
        assert walked == every, query
        assert ids(db_url, query, every[0], limit=50) == every[1:], query
    assert ids(db_url, "", after="gone") == ids(db_url, "")  # an unknown cursor starts over


def test_rows_carry_emails_cards_and_created_at(db_url: str) -> None:
    seed(db_url)
    rows = {g.guest_id: g for g in found(db_url, "")}
    assert rows["b"].emails == ("boris@example.com",) and rows["b"].cards == ()
    assert rows["c"].cards == ("CARD7001",) and rows["c"].emails == ()
    assert rows["d"].phone == "+79990001122" and rows["a"].created_at == NOW


def test_phone_spellings() -> None:
    assert contact_prefixes("8 (912)") == ["+78912", "+7912", "+8912", "8 (912)"]
