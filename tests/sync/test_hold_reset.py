"""A manager releases a guest's open holds from the till through the server's audited
``POST /v1/admin/holds/reset`` (a real ``pos-server run``): the PIN checked on the till and on
the server, the count released, the guest's points pulled back; offline and refusals are clear
errors with nothing released."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bench.net import free_port
from pos_app.commands.sync_runtime import SyncRuntime, load_token
from pos_app.db.uow import SystemClock
from pos_app.domain.loyalty import PermissionDenied
from pos_app.domain.money import rub
from pos_app.services.hold_reset import (
    NOT_ENROLLED,
    HoldResetService,
    NotConnected,
    PinTooShortForServer,
    ReasonNeeded,
    ServerRefusedStaff,
    ServerUnavailable,
)
from pos_app.services.staff import Action, StaffService, WrongPin
from pos_app.sync.admin_client import AdminClient
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.staff.service import add_staff
from pos_server.uow import unit_of_work
from tests.sync.conftest import MakeTill, server_account
from tests.sync.faultproxy import ServerProcess
from tests.sync.test_holds import guest_sale, ready_till

REASON = "the till restarted during a payment"


def _server_staff(db_url: str, name: str, role: str, pin: str) -> str:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            return add_staff(uow, name, role, pin).id
    finally:
        engine.dispose()


def _audits(db_url: str) -> list[tuple[str, str, str]]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            rows = session.scalars(select(AdminAuditRow).order_by(AdminAuditRow.id))
            return [(r.actor, r.target, r.reason) for r in rows]
    finally:
        engine.dispose()


def _cached_held(till: SyncRuntime, guest_id: str) -> int:
    with till.store.unit_of_work(durable=False) as uow:
        return sum(a.held for a in uow.accounts.for_guest(guest_id) if a.kind == "bonus")


def test_a_manager_releases_a_guests_hold_and_the_till_sees_it(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till, guest_id = ready_till(make_till, server)
    pin = "4" + str(free_port()).zfill(5)  # 6 digits no other test's staff has here
    manager_id = _server_staff(server.db_url, "Oleg Manager", "manager", pin)
    _server_staff(server.db_url, "Irina Cashier", "cashier", "1" + pin[1:])
    till.puller.pull()  # the staff (PIN hashes) reach the till through the feed
    sale_id = guest_sale(till, guest_id)
    till.points.pay_points(sale_id, rub(100))  # an online hold, left open on the server
    assert server_account(server.db_url, guest_id)[1] == rub(100)
    till.puller.pull()
    assert _cached_held(till, guest_id) == rub(100)

    _, token = load_token(till.store)
    staff = StaffService(till.store.unit_of_work, SystemClock())
    resets = HoldResetService(staff, AdminClient(server.url, token), refresh=till.puller.pull)
    with pytest.raises(PermissionDenied):  # a cashier's PIN does not allow it
        resets.reset_guest(guest_id, REASON, "1" + pin[1:])
    with pytest.raises(WrongPin):
        resets.reset_guest(guest_id, REASON, "0000")
    with pytest.raises(ReasonNeeded):
        resets.reset_guest(guest_id, " ", pin)
    assert server_account(server.db_url, guest_id)[1] == rub(100)  # nothing happened yet

    done = resets.reset_guest(guest_id, REASON, pin)
    assert (done.released, done.approved_by, done.refreshed) == (1, "Oleg Manager", True)
    assert server_account(server.db_url, guest_id)[1] == 0
    assert _cached_held(till, guest_id) == 0  # pulled from the feed at once
    assert (f"staff:{manager_id}", f"guest:{guest_id}", REASON) in _audits(server.db_url)
    again = resets.reset_guest(guest_id, REASON, pin)
    assert again.released == 0


def test_offline_and_a_manager_the_server_does_not_know_are_clear_refusals(
    make_till: MakeTill, server: ServerProcess
) -> None:
    till, guest_id = ready_till(make_till, server)
    staff = StaffService(till.store.unit_of_work, SystemClock())
    pin = "7" + str(free_port()).zfill(5)
    staff.add_staff("local-only", "Local Manager", "manager", pin, b"salt-local")
    _, token = load_token(till.store)

    offline = HoldResetService(staff, AdminClient(f"http://127.0.0.1:{free_port()}", token,
                                                  timeout=(1.0, 1.0)))  # fmt: skip
    with pytest.raises(ServerUnavailable, match="no holds were released"):
        offline.reset_guest(guest_id, REASON, pin)
    unknown = HoldResetService(staff, AdminClient(server.url, token))
    with pytest.raises(ServerRefusedStaff) as refused:
        unknown.reset_guest(guest_id, REASON, pin)
    assert refused.value.details["status"] == 401
    with pytest.raises(NotConnected):
        HoldResetService(staff, NOT_ENROLLED).reset_guest(guest_id, REASON, pin)


def test_a_manager_pin_shorter_than_six_digits_is_stopped_at_the_till(
    make_till: MakeTill, server: ServerProcess
) -> None:
    """A manager PIN set before the 6-digit rule approves at the till, but the server takes
    only 6+ digits: the till says so and sends nothing (the server's own 401 is tested in
    tests/server/test_staff_auth.py)."""
    till, guest_id = ready_till(make_till, server)
    staff = StaffService(till.store.unit_of_work, SystemClock())
    pin = str(free_port()).zfill(5)[-4:]
    staff.add_staff("old-manager", "Old Manager", "manager", pin, b"salt-old")
    _, token = load_token(till.store)
    sent: list[str] = []

    class Recording(AdminClient):
        def reset_guest_holds(self, guest_id: str, reason: str, staff_id: str,
                              pin: str) -> list[str]:  # fmt: skip
            sent.append(staff_id)
            return super().reset_guest_holds(guest_id, reason, staff_id, pin)

    resets = HoldResetService(staff, Recording(server.url, token))
    assert staff.authorize_manager(pin, Action.RESET_HOLDS).staff_id == "old-manager"
    with pytest.raises(PinTooShortForServer, match="shorter than 6 digits"):
        resets.reset_guest(guest_id, REASON, pin)
    assert sent == []
