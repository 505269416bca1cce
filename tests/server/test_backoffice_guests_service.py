"""``pos_server.guests.backoffice`` on SQLite and PostgreSQL: the search by name, phone,
e-mail and card with paging, the CSV, and edits judged by the tills' own handlers (the codec's
checks, permissions, the guest's audit, the feed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import select, text

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change
from pos_server.db.models_guest_card import GuestAuditRow
from pos_server.guests import backoffice
from pos_server.repositories import guest_search
from pos_server.repositories.guests import GuestRecord
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
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


def names(db_url: str, query: str, after: str | None = None) -> list[str]:
    return [g.name for g in run(db_url, lambda uow: backoffice.listing(uow, query, after)[0])]


def test_search_by_name_phone_email_and_card(db_url: str) -> None:
    add_guests(db_url, anna="Анна Петрова")  # her phone in ``guests.phone`` only (a till's)
    mia = run(db_url, lambda uow: staff.add_staff(uow, "Mia", "manager", "555555").id)
    run(db_url, lambda uow: backoffice.set_contacts(uow, mia, "boris", [
        {"type": "email", "label": "work", "value": "Boris@Example.com"}]))  # fmt: skip
    assert names(db_url, "") == ["Boris", "Анна Петрова"]
    # prefixes: the name from its start (case-insensitive for Cyrillic on PostgreSQL only)
    cyrillic = "анна п" if db_url.startswith("postgresql") else "Анна П"
    assert names(db_url, cyrillic) == names(db_url, "+7 912 123") == ["Анна Петрова"]
    assert names(db_url, "8 (912) 12") == names(db_url, "912123") == ["Анна Петрова"]
    assert names(db_url, "петрова") == []  # a word inside the name: not a prefix
    assert names(db_url, "boris@example") == names(db_url, "7700123") == ["Boris"]
    assert names(db_url, "example") == names(db_url, "00123") == []
    assert names(db_url, "nobody") == []
    assert names(db_url, "", after="boris") == ["Анна Петрова"]  # keyset: after Boris by name
    assert names(db_url, "", after="gone") == ["Boris", "Анна Петрова"]  # starts over
    assert run(db_url, lambda uow: backoffice.listing(uow, "")[1]) is None  # one page
    rows = run(db_url, lambda uow: backoffice.listing(uow, "b")[0])
    assert [(g.guest_id, g.emails, g.cards) for g in rows] == [
        ("boris", ("boris@example.com",), ("7700123",))]  # fmt: skip
    csv = run(db_url, lambda uow: backoffice.csv_text(uow, "boris")).splitlines()
    assert csv[0] == "guest_id,name,phone,emails,cards,created_at"
    assert csv[1].startswith("boris,Boris,,boris@example.com,7700123,") and len(csv) == 2


def test_the_list_pages_by_keyset_and_the_csv_has_every_match(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of 50 (and CSV chunks) by the guest last shown: every match once, in order."""
    add_guests(db_url)
    many = [GuestRecord(f"g{n:03d}", f"Guest {n:03d}", f"+7900{n:07d}") for n in range(120)]

    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            uow.terminal_id = str(uow.connection.execute(text(
                "SELECT created_by FROM guests WHERE id = 'anna'")).scalar_one())  # fmt: skip
            for guest in many:
                uow.guests.add(guest)
    finally:
        engine.dispose()
    for few in (guest_search.FEW, 5):  # the phone's 120 matches read first, or semi-joined
        monkeypatch.setattr(guest_search, "FEW", few)
        for query in ("guest", "+7900"):  # a name and a phone prefix, each matching all 120
            seen: list[str] = []
            after = None
            for _ in range(3):
                page, after = run(db_url, lambda uow, q=query, a=after: backoffice.listing(
                    uow, q, a))  # fmt: skip
                seen += [g.guest_id for g in page]
            assert seen == [g.guest_id for g in many] and after is None, (query, few)
    monkeypatch.setattr(backoffice, "CSV_CHUNK", 7)
    csv = run(db_url, lambda uow: backoffice.csv_text(uow, "GUEST")).splitlines()
    assert [line.split(",")[0] for line in csv[1:]] == [g.guest_id for g in many]


def test_edits_go_through_the_tills_handlers(db_url: str) -> None:
    add_guests(db_url)
    mia = run(db_url, lambda uow: staff.add_staff(uow, "Mia", "manager", "555555").id)
    cal = run(db_url, lambda uow: staff.add_staff(uow, "Cal", "cashier", "6666").id)
    run(db_url, lambda uow: backoffice.update(uow, mia, "anna", {"name": "Anna P.",
                                                                 "note": "tea"}))  # fmt: skip
    with pytest.raises(backoffice.EditRefused, match="bonus_settings"):
        run(db_url, lambda uow: backoffice.set_loyalty(uow, mia, "anna", accrual_bp=1_500,
                                                       max_redemption_bp=None))  # fmt: skip
    run(db_url, lambda uow: perms.set_permissions(uow, cal, {"guests", "bonus_settings"}))
    run(db_url, lambda uow: backoffice.set_loyalty(uow, cal, "anna", accrual_bp=1_500,
                                                   max_redemption_bp=None))  # fmt: skip
    with pytest.raises(backoffice.EditRefused, match="reason"):
        run(
            db_url,
            lambda uow: backoffice.adjust(
                uow, cal, "anna", account="points", direction="credit", amount=100, reason=""
            ),
        )
    run(
        db_url,
        lambda uow: backoffice.adjust(
            uow, cal, "anna", account="points", direction="credit", amount=100, reason="gift"
        ),
    )
    run(
        db_url,
        lambda uow: backoffice.replace_identifier(
            uow, mia, "boris", old_value="7700123", value="7700999", reason="lost"
        ),
    )
    view = run(db_url, lambda uow: backoffice.card_view(uow, "anna"))
    assert view is not None and (view.card.name, view.card.accrual_bp) == ("Anna P.", 1_500)
    assert view.points == (100, 0) and view.postings.items[0].reason == "gift"
    boris = run(db_url, lambda uow: backoffice.card_view(uow, "boris"))
    assert boris is not None
    assert {(i.value, i.blocked_at is not None) for i in boris.identifiers} == {
        ("7700123", True), ("7700999", False)}  # fmt: skip
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        audit = [(a.action, a.staff_id) for a in session.scalars(select(GuestAuditRow))]
        fed = {c.entity for c in session.scalars(select(Change))}
    engine.dispose()
    assert ("guest.updated", mia) in audit and ("account.adjusted", cal) in audit
    assert ("guest.loyalty_set", cal) in audit and ("identifier.replaced", mia) in audit
    assert {"guest", "identifier"} <= fed


def test_a_manager_resets_a_guests_holds_with_a_reason(db_url: str) -> None:
    add_guests(db_url)
    mia = run(db_url, lambda uow: staff.add_staff(uow, "Mia", "manager", "555555").id)
    cal = run(db_url, lambda uow: staff.add_staff(uow, "Cal", "cashier", "6666").id)
    run(
        db_url,
        lambda uow: backoffice.adjust(
            uow, mia, "anna", account="points", direction="credit", amount=500, reason="gift"
        ),
    )

    def hold(uow: UnitOfWork) -> None:
        account = uow.accounts.load("points", "anna")
        account.place_hold("h1", 200, now=uow.now, actor="test", terminal_id=None, reason="t")
        uow.accounts.save(account)

    run(db_url, hold)
    with pytest.raises(backoffice.EditRefused, match="manager"):
        run(db_url, lambda uow: backoffice.reset_holds(uow, cal, "anna", "stuck at a till"))
    with pytest.raises(backoffice.EditRefused, match="Say why"):
        run(db_url, lambda uow: backoffice.reset_holds(uow, mia, "anna", " "))
    released = run(db_url, lambda uow: backoffice.reset_holds(uow, mia, "anna", "stuck"))
    assert released == ["h1"]
    view = run(db_url, lambda uow: backoffice.card_view(uow, "anna"))
    assert view is not None and view.points == (500, 0)
