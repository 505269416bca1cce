"""One permission mechanism for staff (issues 17 and 18): the back office's "Bonus settings"
checkbox (``staff_permissions``) is what a till honours when someone changes a guest's own
loyalty percentages. Ticked on the server, it reaches the till in the staff feed and lets the
person do it there (and the server accepts their operation); unticked, both refuse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import select

from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.staff_permissions import StaffPermission
from pos_app.services.feed import Change, FeedService
from pos_app.services.guest_card import GuestCardService
from pos_app.services.staff import StaffService
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change as ChangeRow
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import UnitOfWork, unit_of_work
from tests.services.conftest import seed
from tests.services.fakes import FakeClock, FakeIds, FakeStore

T = TypeVar("T")
KATE_PIN = "4829"


def run(db_url: str, work: Callable[[UnitOfWork], T]) -> T:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="web:boss", now=datetime.now(UTC)) as uow:
            return work(uow)
    finally:
        engine.dispose()


def pull_staff(db_url: str, till: FakeStore) -> None:
    """Apply the server's staff changes to the till as its puller would."""
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        rows = list(session.scalars(select(ChangeRow).where(ChangeRow.entity == "staff")
                                    .order_by(ChangeRow.id)))  # fmt: skip
        changes = [Change(r.id, r.entity, r.entity_id, dict(r.data)) for r in rows]
    engine.dispose()
    feed = FeedService(till, FakeClock())
    cursor = feed.cursor()
    feed.apply_page(cursor, [c for c in changes if c.id > cursor], max(c.id for c in changes))


def test_the_back_office_checkbox_is_what_the_till_honours(db_url: str) -> None:
    kate = run(db_url, lambda uow: staff.add_staff(uow, "Kate", "cashier", KATE_PIN).id)
    till = FakeStore()
    seed(till)
    cards = GuestCardService(till, FakeClock(), FakeIds("adj"))
    signed_in = StaffService(till, FakeClock())

    run(db_url, lambda uow: perms.set_permissions(uow, kate, {"bonus_settings", "guests"}))
    pull_staff(db_url, till)
    ticked = signed_in.sign_in(KATE_PIN)
    card = cards.set_loyalty(ticked, "anna", accrual_bp=1_500, max_redemption_bp=None)
    assert card.accrual_bp == 1_500
    member = run(db_url, lambda uow: uow.staff.member(kate))
    assert member is not None and StaffPermission.BONUS_SETTINGS in member.permissions

    run(db_url, lambda uow: perms.set_permissions(uow, kate, {"guests"}))
    pull_staff(db_url, till)
    unticked = signed_in.sign_in(KATE_PIN)
    with pytest.raises(PermissionDenied):
        cards.set_loyalty(unticked, "anna", accrual_bp=500, max_redemption_bp=None)
    member = run(db_url, lambda uow: uow.staff.member(kate))
    assert member is not None and member.permissions == {"guests"}

    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        changes = [a.details for a in session.scalars(select(AdminAuditRow).where(
            AdminAuditRow.action == "staff.permissions").order_by(AdminAuditRow.id))]  # fmt: skip
    engine.dispose()
    assert [c["after"] for c in changes] == [["bonus_settings", "guests"], ["guests"]]
