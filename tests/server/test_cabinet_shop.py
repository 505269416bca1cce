"""The cabinet's shop over HTTP (the app in-process; SQLite and PostgreSQL): the menu and its
search, prices with the guest's group discount, the basket, "add for points" refused for a
product not payable with points, payment methods the venue does not take, placing an order
that reaches the consoles' change feed with its number, the order page following a console's
actions, another guest's order (404), a double submit (one order), the venue's and the card's
switches, and closed orders in the history."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pos_app.domain.orders import PaymentMethod
from pos_server.catalogue.service import CatalogueError, CatalogueIn, check_order, import_catalogue
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import GuestOrderRow, Terminal
from pos_server.demo import demo_menu
from pos_server.guests.group_assign import assign_group
from pos_server.guests.groups import GroupsIn, import_groups
from pos_server.http.schemas import OrderLineIn, OrderPlaced
from pos_server.programme.service import change
from pos_server.repositories.points_ledger import credit_points
from pos_server.uow import UnitOfWork, unit_of_work
from tests.server.conftest import Till, add_staff_member
from tests.server.test_cabinet_pages import credentials, new_guest, sign_in, token_of

CATALOGUE = {
    "groups": [{"id": "coffee", "name": "Coffee", "position": 0},
               {"id": "food", "name": "Food", "position": 1}],
    "products": [
        {"id": "latte", "name": "Latte", "price": 25_000, "group_id": "coffee"},
        {"id": "espresso", "name": "Espresso", "price": 15_000, "group_id": "coffee",
         "allow_points": False},
        {"id": "cookie", "name": "Cookie", "price": 9_000, "group_id": "food"},
        {"id": "hidden", "name": "Staff meal", "price": 1_000, "group_id": "food",
         "guest_orderable": False},
    ],
}  # fmt: skip


def run(db_url: str, work: Callable[[UnitOfWork], Any]) -> Any:
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            return work(uow)
    finally:
        engine.dispose()


def shop_guest(till: Till, db_url: str, login: str, phone: str) -> str:
    guest = new_guest(till, login.title(), phone)
    credentials(db_url, guest, login)
    return guest


@pytest.fixture
def anna(till: Till, db_url: str) -> str:
    """Anna signed in on ``till.client``, a catalogue, 100.00 points."""
    add_staff_member(db_url, "max", "manager")
    run(db_url, lambda uow: import_catalogue(uow, CatalogueIn.model_validate(CATALOGUE)))
    guest = shop_guest(till, db_url, "anna", "+79126661001")
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:
            credit_points(session, guest, 10_000, now=datetime.now(UTC), actor="t", reason="gift")
    finally:
        engine.dispose()
    till.client.cookies.set("pos_lang", "en")  # the texts below are asserted in English
    assert sign_in(till.client, "anna").status_code == 303
    return guest


def csrf(client: TestClient) -> str:
    return token_of(client.get("/cabinet/shop").text)


def add(client: TestClient, product_id: str, in_points: bool = False, *,
        htmx: bool = False) -> Any:  # fmt: skip
    headers = {"HX-Request": "true", "HX-Target": "basket"} if htmx else {}
    return client.post("/cabinet/shop/add", data={
        "csrf_token": csrf(client), "product_id": product_id,
        "in_points": "1" if in_points else "0"}, headers=headers,
        follow_redirects=False)  # fmt: skip


def order_form(client: TestClient, **values: str) -> dict[str, str]:
    page = client.get("/cabinet/shop").text
    found = re.search(r'name="order_token" value="([0-9a-f]{32})"', page)
    assert found is not None, page
    return {"csrf_token": token_of(page), "order_token": found.group(1), "method": "cash",
            "note": "", "ready_by": "", **values}  # fmt: skip


def place(client: TestClient, form: dict[str, str]) -> Any:
    return client.post("/cabinet/shop/order", data=form, follow_redirects=False)


def order_changes(till: Till) -> list[dict[str, Any]]:
    changes = till.client.get("/v1/changes", headers=till.headers).json()["changes"]
    return [c["data"] for c in changes if c["entity"] == "order"]


def product(page: str, product_id: str) -> str:
    """The menu's entry of one product."""
    start = page.index(f'id="product-{product_id}"')
    return page[start : page.index("</li>", start)]


def act(till: Till, kind: str, **payload: Any) -> None:
    result = till.push_ok(till.op(kind, payload))["results"][0]
    assert result["status"] == "applied", result


def test_menu_by_group_with_search_and_the_group_discount(till: Till, db_url: str,
                                                          anna: str) -> None:  # fmt: skip
    client = till.client
    page = client.get("/cabinet/shop").text
    assert (
        page.index("Coffee")
        < page.index("Espresso")
        < page.index("Latte")
        < page.index("Food")
        < page.index("Cookie")
    )
    assert "Staff meal" not in page  # not for guest ordering
    assert 'id="nav-shop"' in page and "250,00" in page
    assert "Add for points" in product(page, "latte")
    assert "Add for points" not in product(page, "espresso")
    found = client.get("/cabinet/shop", params={"q": "LAT"}).text
    assert "Latte" in found and "Cookie" not in found and "Espresso" not in found
    partial = client.get("/cabinet/shop", params={"q": "cook"},
                         headers={"HX-Request": "true", "HX-Target": "menu"}).text  # fmt: skip
    assert partial.startswith('<div id="menu"') and "Cookie" in partial and "Latte" not in partial
    assert 'id="menu-empty"' in client.get("/cabinet/shop", params={"q": "zzz"}).text
    groups = GroupsIn.model_validate({"groups": [
        {"id": "g10", "name": "Regulars", "discount_bp": 1_000,
         "scope": {"product_group_ids": ["coffee"]}}]})  # fmt: skip
    run(db_url, lambda uow: (import_groups(uow, groups), assign_group(uow, anna, "g10", by="t")))
    page = client.get("/cabinet/shop").text
    latte = product(page, "latte")
    assert "<s class" in latte and "225,00" in latte  # 10% off coffee, as the order will be priced
    assert "90,00" in product(page, "cookie") and "<s class" not in product(page, "cookie")
    assert add(client, "latte").status_code == 303
    assert add(client, "cookie").status_code == 303
    placed = place(client, order_form(client))
    order = order_changes(till)[-1]
    assert (order["total"], order["discount"]) == (22_500 + 9_000, 2_500)
    assert placed.headers["location"] == f"/cabinet/orders/{order['order_id']}"


def test_basket_add_remove_and_refusals(till: Till, db_url: str, anna: str) -> None:
    client = till.client
    assert add(client, "latte").status_code == 303
    basket = add(client, "latte", htmx=True)
    assert basket.status_code == 200 and basket.text.lstrip().startswith('<section id="basket"')
    assert '<span class="count">2</span>' in basket.text and "500,00" in basket.text
    points = add(client, "cookie", in_points=True, htmx=True).text
    assert "for points" in points and "of it in points" in points
    refused = add(client, "espresso", in_points=True, htmx=True)
    assert refused.status_code == 422 and 'id="basket-error"' in refused.text
    assert "cannot be paid with points" in refused.text
    plain = add(client, "espresso", in_points=True)  # without script: the whole page says it
    assert plain.status_code == 422 and "cannot be paid with points" in plain.text
    assert add(client, "hidden").status_code == 404
    assert add(client, "no-such-product").status_code == 404
    removed = client.post("/cabinet/shop/remove", data={
        "csrf_token": csrf(client), "product_id": "latte", "in_points": "0"},
        follow_redirects=False)  # fmt: skip
    assert removed.status_code == 303
    page = client.get("/cabinet/shop").text
    basket_part = page[page.index('id="basket"') :]
    assert '<span class="count">1</span>' in basket_part and "Espresso" not in basket_part
    forged = client.post(
        "/cabinet/shop/add", data={"csrf_token": "forged", "product_id": "latte", "in_points": "0"}
    )
    assert forged.status_code == 403


def test_only_the_venues_payment_methods_and_points_decided_by_the_hold(
    till: Till, db_url: str, anna: str
) -> None:
    run(db_url, lambda uow: change(uow, {"ordering.payment_methods": "cash,points"}))
    client = till.client
    add(client, "latte")
    page = client.get("/cabinet/shop").text
    assert 'id="method-cash"' in page and 'id="method-points"' in page
    assert 'id="method-card"' not in page and 'id="method-balance"' not in page
    refused = place(client, order_form(client, method="card"))
    assert refused.status_code == 422
    assert "does not take this payment method" in refused.text
    poor = place(client, order_form(client, method="points"))  # 250.00 > 100.00 points
    assert poor.status_code == 422 and "Not enough points" in poor.text
    assert order_changes(till) == []
    assert run(db_url, lambda uow: uow.session.scalar(select(func.count(GuestOrderRow.id)))) == 0
    client.post(
        "/cabinet/shop/remove",
        data={"csrf_token": csrf(client), "product_id": "latte", "in_points": "0"},
    )
    add(client, "cookie")
    placed = place(client, order_form(client, method="points"))
    assert placed.status_code == 303
    assert order_changes(till)[-1]["points_hold_amount"] == 9_000


def test_place_an_order_to_the_consoles_and_follow_it(till: Till, db_url: str,
                                                      anna: str) -> None:  # fmt: skip
    client = till.client
    add(client, "latte")
    add(client, "latte")
    add(client, "cookie", in_points=True)
    form = order_form(client, method="card", note="no sugar", ready_by="18:30")
    placed = place(client, form)
    assert placed.status_code == 303
    again = place(client, form)  # the same form sent twice: one order
    assert (again.status_code, again.headers["location"]) == (303, placed.headers["location"])
    orders = order_changes(till)
    assert len(orders) == 1
    order = orders[0]
    assert (order["state"], order["method"], order["note"], order["total"]) == (
        "new",
        "card",
        "no sugar",
        59_000,
    )
    assert order["number"] and re.fullmatch(r"[A-Z]-\d{3}", order["number"])
    assert order["points_hold_amount"] == 9_000  # the points line is held at once
    assert order["updated_by"] == "cabinet" and order["updated_by_name"] == "Guest cabinet"
    ready_by = datetime.fromisoformat(order["ready_by"].replace("Z", "+00:00"))
    assert (ready_by.utcoffset(), ready_by.strftime("%H:%M")) == (timedelta(0), "15:30")  # Moscow
    assert 'id="basket-empty"' in client.get("/cabinet/shop").text
    page = client.get(placed.headers["location"])
    assert page.status_code == 200
    assert f'id="order-number">{order["number"]}<' in page.text
    assert "waiting for the venue" in page.text and 'hx-trigger="every 3s"' in page.text
    live = f"{placed.headers['location']}/live"
    act(till, "order.accepted", order_id=order["order_id"])
    assert 'data-state="accepted"' in client.get(live).text
    act(till, "order.item_delivered", order_id=order["order_id"], line_id="1")
    assert "Handed over: 1 of 2" in client.get(live).text
    act(till, "order.paid", order_id=order["order_id"])
    assert 'data-state="paid"' in client.get(live).text
    act(till, "order.completed", order_id=order["order_id"])
    done = client.get(live).text
    assert 'data-state="completed"' in done and "hx-trigger" not in done  # polling stops
    history = client.get("/cabinet/history", params={"section": "sales"}).text
    assert 'id="closed-orders"' in history and order["number"] in history
    audit = run(db_url, lambda uow: [(r.action, r.terminal_id, r.staff_id)
                                     for r in uow.guest_cards.audit_rows(anna)])  # fmt: skip
    assert ("cabinet.order", "cabinet", None) in audit
    placeholder = run(db_url, lambda uow: uow.session.get(Terminal, "cabinet"))
    assert placeholder.token_hash is None and placeholder.revoked_at is not None
    listed = run(db_url, lambda uow: [view.terminal_id for view in uow.terminals.listing()])
    assert "cabinet" not in listed and listed  # not a till: the terminals page leaves it out


def test_a_cancelled_order_is_seen_and_closed(till: Till, db_url: str, anna: str) -> None:
    client = till.client
    add(client, "cookie")
    location = place(client, order_form(client)).headers["location"]
    order_id = location.rsplit("/", 1)[1]
    shop = client.get("/cabinet/shop").text
    assert 'id="open-orders"' in shop and location in shop
    act(till, "order.cancelled", order_id=order_id)
    page = client.get(location).text
    assert 'data-state="cancelled"' in page and "hx-trigger" not in page
    assert 'id="open-orders"' not in client.get("/cabinet/shop").text


def test_another_guests_order_is_not_found(till: Till, db_url: str, anna: str) -> None:
    client = till.client
    add(client, "latte")
    location = place(client, order_form(client, note="anna-secret-note")).headers["location"]
    shop_guest(till, db_url, "boris", "+79126661002")
    boris = TestClient(client.app, cookies={"pos_lang": "en"})
    assert sign_in(boris, "boris").status_code == 303
    for path in (location, f"{location}/live", "/cabinet/orders/nothing-here"):
        page = boris.get(path)
        assert page.status_code == 404 and "anna-secret-note" not in page.text
    assert "anna-secret-note" in client.get(location).text
    signed_out = TestClient(client.app)
    assert signed_out.get(location, follow_redirects=False).headers["location"] == (
        "/cabinet/sign-in"
    )
    # Boris replaying Anna's form token places nothing and shows nothing of hers
    token = location.rsplit("/", 1)[1]
    add(boris, "cookie")
    boris_form = order_form(boris, order_token=token)
    replay = place(boris, boris_form)
    assert replay.status_code == 409 and "anna-secret-note" not in replay.text


def test_ordering_off_for_the_venue_or_the_guest(till: Till, db_url: str, anna: str) -> None:
    client = till.client
    add(client, "latte")
    form = order_form(client)
    run(db_url, lambda uow: change(uow, {"ordering.enabled": False}))
    page = client.get("/cabinet/shop").text
    assert 'id="shop-closed"' in page and "turned off at the venue" in page
    assert 'id="place-order"' not in page and "Add for points" not in page
    assert add(client, "cookie").status_code == 403
    assert place(client, form).status_code == 403
    run(db_url, lambda uow: change(uow, {"ordering.enabled": True}))
    run(db_url, lambda uow: uow.guest_cards.write(anna, {"ordering_allowed": False}, uow.now))
    page = client.get("/cabinet/shop").text
    assert "not allowed for your card" in page and 'id="place-order"' not in page
    assert place(client, form).status_code == 403
    assert order_changes(till) == []


def test_russian_shop(till: Till, db_url: str, anna: str) -> None:
    client = till.client
    client.cookies.set("pos_lang", "ru")
    page = client.get("/cabinet/shop").text
    assert "Магазин" in page and "Добавить за баллы" in page
    refused = add(client, "espresso", in_points=True, htmx=True)
    assert "Эту позицию нельзя оплатить баллами." in refused.text
    add(client, "latte")
    location = place(client, order_form(client)).headers["location"]
    assert "Отправлен: ждёт, когда заведение его примет" in client.get(location).text


def test_racing_submits_of_one_form_place_one_order(till: Till, db_url: str, anna: str) -> None:
    """Four submits of the same form at once (a guest tapping "Place order" repeatedly on a
    slow line): one order, every answer leads to it."""
    client = till.client
    add(client, "cookie")
    form = order_form(client)
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: place(client, form), range(4)))
    got = {(a.status_code, a.headers.get("location") or a.text[-3000:]) for a in answers}
    assert got == {(303, f"/cabinet/orders/{form['order_token']}")}
    assert len(order_changes(till)) == 1


def _coffee_active(db_url: str, active: bool) -> None:
    group = {"id": "coffee", "name": "Coffee", "position": 0, "active": active}
    run(db_url, lambda uow: import_catalogue(uow, CatalogueIn.model_validate(
        {"groups": [group], "products": []})))  # fmt: skip


def _latte_order(uow: UnitOfWork, guest_id: str) -> OrderPlaced:
    return check_order(uow, OrderPlaced(guest_id=guest_id, method=PaymentMethod.CASH, lines=[
        OrderLineIn(product_id="latte", name="Latte", quantity=1, unit_price=25_000)]))  # fmt: skip


def test_an_inactive_groups_products_are_off_the_menu_and_refused(
    till: Till, db_url: str, anna: str
) -> None:
    """Issue 18 point 6: a product group switched off in the back office takes its products
    off the guests' menu, out of baskets, and out of orders (the terminals' and the shop's
    ``check_order``); on again, they are back."""
    client = till.client
    assert add(client, "latte").status_code == 303
    assert add(client, "cookie").status_code == 303
    _coffee_active(db_url, False)
    page = client.get("/cabinet/shop").text
    menu = page[page.index('id="menu"') : page.index('id="basket"')]
    assert "Cookie" in menu and "Food" in menu
    assert "Latte" not in menu and "Espresso" not in menu and "Coffee" not in menu
    basket_part = page[page.index('id="basket"') :]
    assert "Latte" not in basket_part and "Cookie" in basket_part  # dropped from the basket
    assert add(client, "latte").status_code == 404
    with pytest.raises(CatalogueError, match="off sale") as refused:
        run(db_url, lambda uow: _latte_order(uow, anna))
    assert refused.value.code == "unknown_product"
    placed = place(client, order_form(client))
    assert placed.status_code == 303
    assert [line["product_id"] for line in order_changes(till)[-1]["lines"]] == ["cookie"]
    engine = make_engine(db_url)
    try:
        with make_sessions(engine).begin() as session:  # the demo's orders keep to the menu
            assert [pid for pid, _, _ in demo_menu(session)] == ["cookie"]
    finally:
        engine.dispose()

    _coffee_active(db_url, True)
    page = client.get("/cabinet/shop").text
    assert "Latte" in page[page.index('id="menu"') : page.index('id="basket"')]
    assert add(client, "latte").status_code == 303
    assert run(db_url, lambda uow: _latte_order(uow, anna)).lines[0].name == "Latte"
