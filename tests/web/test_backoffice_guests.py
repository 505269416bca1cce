"""The back office's guests section (issue 18 point 2): search by name, phone, e-mail and
card, CSV, the card's tabs, an edit through the till's own operation (audited in the guest's
audit, fed to the tills) and a credit that needs the bonus settings permission."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change
from pos_server.db.models_guest_card import GuestAuditRow
from pos_server.db.models_staff import StaffRow
from pos_server.uow import unit_of_work
from tests.web.guests_seed import add_guests
from tests.web.test_backoffice_pages import client, db_url, sign_in, token_of  # noqa: F401


def test_guests_are_found_exported_edited_and_credited(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    sign_in(client, "boss")
    assert "Anna Petrova" in client.get("/admin/guests?q=anna").text  # the name from its start
    by_phone = client.get("/admin/guests?q=912123").text
    assert "Anna Petrova" in by_phone and "Boris" not in by_phone
    by_card = client.get("/admin/guests?q=7700123").text
    assert "Boris" in by_card and "Anna" not in by_card
    csv = client.get("/admin/guests.csv?q=").text
    assert csv.splitlines()[0].startswith("guest_id,name,phone") and "7700123" in csv
    card = client.get("/admin/guests/anna").text
    for tab in ('id="main"', 'id="contacts"', 'id="identifiers"', 'id="accounts"',
                'id="history"', "+79121234567"):  # fmt: skip
        assert tab in card
    token = token_of(card)
    saved = client.post("/admin/guests/anna", data={"csrf_token": token, "name": "Anna P.",
                        "note": "likes tea", "cabinet_login_allowed": "on",
                        "ordering_allowed": "on"}, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    credited = client.post("/admin/guests/anna/adjust", data={
        "csrf_token": token, "account": "points", "direction": "credit", "amount": "150",
        "reason": "birthday gift"}, follow_redirects=False)  # fmt: skip
    assert credited.status_code == 303
    card = client.get("/admin/guests/anna").text
    assert "Anna P." in card and "birthday gift" in card and 'id="points">150' in card
    assert "<td>Boss</td>" in card  # who, by name
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        audit = [(a.action, a.field) for a in session.scalars(select(GuestAuditRow))]
        fed = [c.data for c in session.scalars(select(Change).where(Change.entity == "guest"))]
    engine.dispose()
    assert ("guest.updated", "name") in audit and ("account.adjusted", "points") in audit
    assert fed[-1]["name"] == "Anna P." and fed[-1]["note"] == "likes tea"


def test_a_credit_needs_the_bonus_settings_permission(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    from pos_server.staff import permissions as perms
    from pos_server.staff import service as staff

    engine = make_engine(db_url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        ira = next(r for r in staff.list_staff(uow) if r.name == "Ira")
        perms.set_permissions(uow, ira.id, {"guests"})
    engine.dispose()
    sign_in(client, "ira")
    card = client.get("/admin/guests/anna").text
    assert 'id="adjust"' not in card
    refused = client.post("/admin/guests/anna/adjust", data={
        "csrf_token": token_of(card), "account": "points", "direction": "credit",
        "amount": "150", "reason": "x"}, follow_redirects=False)  # fmt: skip
    assert refused.status_code == 403


def test_contacts_loyalty_and_cards_are_edited_on_the_card(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    sign_in(client, "boss")
    token = token_of(client.get("/admin/guests/boris").text)
    posts = {
        "/admin/guests/boris/contacts": {"type_0": "email", "label_0": "work",
                                         "value_0": "boris@example.com", "type_1": "phone",
                                         "label_1": "mobile", "value_1": "8 912 555 44 33"},
        "/admin/guests/boris/loyalty": {"accrual": "15", "max_redemption": ""},
        "/admin/guests/boris/identifiers/add": {"value": "7700555"},
        "/admin/guests/boris/identifiers": {"value": "7700123", "new": "7700999",
                                            "reason": "lost"},
    }  # fmt: skip
    for path, data in posts.items():
        answer = client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
    card = client.get("/admin/guests/boris").text
    assert "boris@example.com" in card and "+79125554433" in card
    assert 'name="accrual" value="15"' in card and "7700999" in card and "lost" in card
    assert "7700555" in card
    taken = client.post("/admin/guests/anna/identifiers/add",
                        data={"csrf_token": token, "value": "7700555"})  # fmt: skip
    assert taken.status_code == 400 and "another guest" in taken.text
    bad = client.post(
        "/admin/guests/boris/contacts",
        data={"csrf_token": token, "type_0": "email", "label_0": "work", "value_0": "not mail"},
    )
    assert bad.status_code == 400 and 'class="error"' in bad.text


def test_the_bonus_settings_checkbox_on_the_staff_page_is_fed_to_the_tills(
    client: TestClient,  # noqa: F811
    db_url: str,  # noqa: F811
) -> None:
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        ira = next(r.id for r in session.scalars(select(StaffRow)) if r.name == "Ira")
    sign_in(client, "boss")
    token = token_of(client.get(f"/admin/staff/{ira}").text)
    for ticked in (["terminals", "bonus_settings"], ["terminals"]):
        saved = client.post(f"/admin/staff/{ira}", data={
            "csrf_token": token, "permissions_form": "1", "name": "Ira", "role": "cashier",
            "pin": "", "permission": ticked}, follow_redirects=False)  # fmt: skip
        assert saved.status_code == 303, saved.text
        with make_sessions(engine)() as session:
            mine = select(Change).where(Change.entity == "staff", Change.entity_id == ira)
            fed = session.scalars(mine.order_by(Change.id.desc())).first()
        assert fed is not None and fed.data["permissions"] == sorted(ticked)
    engine.dispose()
