"""/admin/guests/new (issue 18 point 2): the form makes the guest as the signed-in member and
opens the new card; a taken phone is refused naming (and linking) its owner; CSRF and the
guests permission are required."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.db import make_engine, make_sessions
from pos_server.db.models_guest_card import GuestAuditRow
from pos_server.db.models_staff import StaffRow
from tests.web.guests_seed import add_guests
from tests.web.test_backoffice_pages import client, db_url, sign_in, token_of  # noqa: F401


def test_a_guest_made_on_the_web_opens_their_card(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    sign_in(client, "boss")
    client.get("/admin/language/en?next=/admin/guests")
    listing = client.get("/admin/guests").text
    assert 'href="/admin/guests/new"' in listing
    form = client.get("/admin/guests/new").text
    assert 'id="create-guest"' in form and 'name="card"' in form
    made = client.post("/admin/guests/new", data={
        "csrf_token": token_of(form), "name": "Vera Ivanova", "phone": "+7 912 555 44 33",
        "email": "vera@example.com", "birthday": "1990-05-17", "group_id": "", "card": "7700555",
    }, follow_redirects=False)  # fmt: skip
    assert made.status_code == 303, made.text
    where = made.headers["location"]
    assert where.startswith("/admin/guests/") and where.endswith("?saved=1")
    card = client.get(where).text
    for shown in ("Vera Ivanova", "+79125554433", "vera@example.com", "7700555", "1990-05-17"):
        assert shown in card
    guest_id = where.removeprefix("/admin/guests/").removesuffix("?saved=1")
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        boss = session.scalars(select(StaffRow.id).where(StaffRow.name == "Boss")).one()
        created = select(GuestAuditRow.staff_id).where(
            GuestAuditRow.guest_id == guest_id, GuestAuditRow.action == "guest.created"
        )
        audit = list(session.scalars(created))
    engine.dispose()
    assert audit == [boss]
    assert "Vera Ivanova" in client.get("/admin/guests?q=vera").text


def test_a_taken_phone_is_refused_naming_its_owner(client: TestClient, db_url: str) -> None:  # noqa: F811
    add_guests(db_url)
    sign_in(client, "boss")
    token = token_of(client.get("/admin/guests/new").text)
    refused = client.post("/admin/guests/new", data={
        "csrf_token": token, "name": "Vera", "phone": "8 912 123-45-67"})  # fmt: skip
    assert refused.status_code == 400
    # Russian by default; the form keeps what was typed
    assert "У гостя Anna Petrova уже есть номер +79121234567" in refused.text
    assert 'href="/admin/guests/anna"' in refused.text and 'value="Vera"' in refused.text
    assert client.post("/admin/guests/new", data={"name": "Vera"}).status_code == 403  # CSRF


def test_the_form_needs_the_guests_permission(client: TestClient, db_url: str) -> None:  # noqa: F811
    sign_in(client, "ira")  # terminals only
    assert client.get("/admin/guests/new").status_code == 403
