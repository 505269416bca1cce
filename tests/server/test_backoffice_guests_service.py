"""``pos_server.guests.backoffice`` on SQLite and PostgreSQL: the search by name, phone,
e-mail and card with paging, the CSV, and edits judged by the tills' own handlers (the codec's
checks, permissions, the guest's audit, the feed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change
from pos_server.db.models_guest_card import GuestAuditRow
from pos_server.guests import backoffice
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
    add_guests(db_url, anna="Анна Петрова")
    mia = run(db_url, lambda uow: staff.add_staff(uow, "Mia", "manager", "555555").id)
    run(db_url, lambda uow: backoffice.set_contacts(uow, mia, "boris", [
        {"type": "email", "label": "work", "value": "Boris@Example.com"}]))  # fmt: skip
    assert names(db_url, "") == ["Boris", "Анна Петрова"]
    assert names(db_url, "петрова") == names(db_url, "+7 912 123") == ["Анна Петрова"]
    assert names(db_url, "boris@example") == names(db_url, "7700123") == ["Boris"]
    assert names(db_url, "nobody") == []
    assert names(db_url, "", after="boris") == ["Анна Петрова"]  # keyset: after Boris by name
    assert run(db_url, lambda uow: backoffice.listing(uow, "")[1]) is None  # one page
    csv = run(db_url, lambda uow: backoffice.csv_text(uow, "boris")).splitlines()
    assert csv[0] == "guest_id,name,phone,emails,cards,created_at"
    assert csv[1].startswith("boris,Boris,,boris@example.com,7700123,")


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
