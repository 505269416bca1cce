"""The top-up limits by role on the programme settings page (issue 18 point 4, formerly the
``POS_SERVER_TOP_UP_*`` variables): saved, audited, fed to the tills, honoured by the server's
next top-up; the form needs the staff permission."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from pos_server.db import make_engine
from pos_server.programme.service import current
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.server.conftest import enrol, guest_payload
from tests.web.test_backoffice_pages import PASSWORD, client, db_url, sign_in, token_of

__all__ = ["client", "db_url"]

LIMITS = {"cashier": "2000", "cashier_day": "5 000,50", "operator": "0", "operator_day": "0",
          "manager": "100000", "manager_day": "500000", "admin": "100000",
          "admin_day": "500000"}  # fmt: skip


def test_top_up_limits_are_set_on_the_web_and_honoured(client: TestClient, db_url: str) -> None:
    assert sign_in(client, "boss")[0] == 303
    page = client.get("/admin/settings").text
    assert 'id="top_up"' in page and "Лимиты пополнения по ролям" in page
    assert 'id="cashier" name="cashier" value="10\xa0000,00"' in page  # the built-in default
    posted = {"csrf_token": token_of(page), **LIMITS, "reason": "new policy"}
    saved = client.post("/admin/settings/top_up", data=posted, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            top_up = current(uow).top_up
            fed = uow.feed.record_at_version("programme", "top_up", 2**62)
            audit = uow.audit.newest(target="setting:top_up.cashier_day")
            kasia = staff.add_staff(uow, "Kasia", "cashier", "4321").id
    finally:
        engine.dispose()
    assert (top_up.cashier, top_up.cashier_day, top_up.operator) == (200_000, 500_050, 0)
    assert fed is not None and fed["cashier"] == 200_000 and fed["operator_day"] == 0
    assert audit[0].actor.startswith("web:") and audit[0].reason == "new policy"
    assert 'value="5\xa0000,50"' in client.get("/admin/settings").text

    till = enrol(client, db_url)
    guest = guest_payload(str(uuid.uuid4()))
    till.push_ok(till.op("guest.created", guest))

    def top_up_of(amount: int) -> dict[str, object]:
        body = till.push_ok(till.op("balance.topped_up", {
            "guest_id": guest["guest_id"], "amount": amount, "staff_id": kasia}))  # fmt: skip
        result: dict[str, object] = body["results"][0]
        return result

    assert top_up_of(200_001)["reason"] == "top_up_limit"  # was 1 000 000 by default
    assert top_up_of(200_000)["status"] == "applied"

    bad = client.post("/admin/settings/top_up", data={
        "csrf_token": token_of(page), **LIMITS, "manager": "-5"})  # fmt: skip
    assert bad.status_code == 400 and "Лимиты пополнения" in bad.text


def test_the_top_up_form_needs_the_staff_permission(client: TestClient, db_url: str) -> None:
    engine = make_engine(db_url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        vera = staff.add_staff(uow, "Vera", "manager", "876543")
        staff.set_password(uow, vera.id, PASSWORD)
        perms.set_permissions(uow, vera.id, {"staff"})
    engine.dispose()
    sign_in(client, "ira")  # terminals only: the venue, not the limits
    page = client.get("/admin/settings").text
    assert 'id="venue"' in page and 'id="top_up"' not in page
    refused = client.post("/admin/settings/top_up", data={"csrf_token": token_of(page), **LIMITS})
    assert refused.status_code == 403
    client.post("/admin/sign-out", data={"csrf_token": token_of(page)})
    sign_in(client, "vera")  # staff only: the limits and nothing else
    page = client.get("/admin/settings").text
    assert 'id="top_up"' in page and 'id="venue"' not in page and 'id="loyalty"' not in page
    assert 'href="/admin/settings#top_up"' in page  # in the menu
