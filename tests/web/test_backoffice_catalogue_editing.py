"""The back office's catalogue forms (issue 18 point 6): groups and products created and
edited on the web, prices in roubles, discount-scope tags, bundles and time packages; refused
forms say why and write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from pos_server.app import create_app
from pos_server.catalogue import service as catalogue
from pos_server.db import make_engine, upgrade
from pos_server.guests import groups
from pos_server.settings import ServerSettings
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.web.test_backoffice_catalogue import _feed
from tests.web.test_backoffice_pages import PASSWORD, sign_in, token_of


@pytest.fixture
def db_url(tmp_path: object) -> str:
    url = f"sqlite:///{tmp_path}/server.sqlite3"
    upgrade(url)
    engine = make_engine(url)
    data = catalogue.CatalogueIn.model_validate({
        "groups": [{"id": "coffee", "name": "Кофе"}],
        "products": [
            {"id": "latte", "name": "Латте", "price": 21000, "group_id": "coffee",
             "barcode": "4600000000046"},
            {"id": "croissant", "name": "Круассан", "price": 9000}]})  # fmt: skip
    scoped = groups.GroupsIn.model_validate({"groups": [
        {"id": "g5", "name": "Гость 5 %", "discount_bp": 500, "spend_threshold": 0,
         "scope": {"tags": ["десерты"]}}]})  # fmt: skip
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        boss = staff.add_staff(uow, "Boss", "admin", "482913")
        staff.set_password(uow, boss.id, PASSWORD)
        ira = staff.add_staff(uow, "Ira", "cashier", "1234")
        staff.set_password(uow, ira.id, PASSWORD)
        perms.set_permissions(uow, ira.id, {"terminals"})
        catalogue.import_catalogue(uow, data)
        groups.import_groups(uow, scoped)
    engine.dispose()
    return url


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(database_url=db_url))) as test_client:
        yield test_client


def _product_form(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "eclair", "name": "Эклер", "price": "210.50", "barcode": "",
                               "group_id": "", "guest_orderable": "on", "allow_points": "on",
                               "active": "on", "other_tags": "", "minutes": ""}  # fmt: skip
    return {**base, **fields}


def test_a_product_is_created_and_edited_on_the_web(client: TestClient, db_url: str) -> None:
    sign_in(client, "boss")
    listed = client.get("/admin/catalogue").text
    assert 'href="/admin/catalogue/create/products"' in listed
    assert 'href="/admin/catalogue/products/latte/edit"' in listed and "210,00" in listed
    page = client.get("/admin/catalogue/create/products")
    assert page.status_code == 200 and "Новый товар" in page.text
    assert 'value="десерты"' in page.text and "Гость 5 %" in page.text  # the scope's tags
    token = token_of(page.text)
    before = len(_feed(db_url))

    saved = client.post("/admin/catalogue/create/products", data={
        "csrf_token": token, **_product_form(barcode="4600000000053", group_id="coffee",
                                             tags="десерты", other_tags="сладкое, выпечка",
                                             extra_barcodes="4600000000060 4600000000039")},
        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/admin/catalogue/products/eclair/edit?saved=1"
    shown = client.get(saved.headers["location"]).text
    assert 'value="210,50"' in shown and "Сохранено" in shown
    assert 'id="covered"' in shown and "Гость 5 %" in shown.split('id="covered"')[1][:200]
    fed = _feed(db_url)[before:]
    assert len(fed) == 1
    entity, entity_id, data = fed[0]
    assert (entity, entity_id, data["price"], data["barcode"], data["group_id"]) == (
        "product", "eclair", 21050, "4600000000053", "coffee")  # fmt: skip
    assert data["tags"] == ["выпечка", "десерты", "сладкое"]
    assert data["extra_barcodes"] == ["4600000000060", "4600000000039"]
    assert 'value="4600000000060, 4600000000039"' in shown
    assert (data["guest_orderable"], data["allow_points"], data["active"]) == (True, True, True)

    # withdrawn, not for guests, no points: the boxes cleared
    edited = client.post("/admin/catalogue/products/eclair/edit", data={
        "csrf_token": token, "name": "Эклер", "price": "1 210", "barcode": "4600000000053",
        "group_id": "coffee", "tags": "десерты", "other_tags": "сладкое, выпечка",
        "minutes": ""}, follow_redirects=False)  # fmt: skip
    assert edited.status_code == 303, edited.text
    last = _feed(db_url)[-1][2]
    assert (last["price"], last["active"], last["guest_orderable"], last["allow_points"]) == (
        121000, False, False, False)  # fmt: skip
    assert "снят с продажи" in client.get("/admin/catalogue").text


@pytest.mark.parametrize(
    ("fields", "shown"),
    [({"price": "21.5.0"}, "Введите цену в рублях"),
     ({"price": "-3"}, "Введите цену в рублях"),
     ({"barcode": "4600000000046"}, "Этот штрихкод уже у другого товара: latte"),
     ({"group_id": "tea"}, "Нет группы товаров tea"),
     ({"extra_barcodes": "4600000000008, 4600000000046"}, "уже у другого товара: latte"),
     ({"id": "latte"}, "Этот код уже занят"),
     ({"minutes": "0"}, "Минуты пакета времени"),
     ({"part_id": "ghost", "part_quantity": "1"}, "ghost"),
     ({"part_id": "eclair", "part_quantity": "1"}, "Набор не может содержать сам себя"),
     ({"part_id": "latte", "part_quantity": "x"}, "Количество в наборе")],
)  # fmt: skip
def test_bad_product_forms_say_why_and_write_nothing(
    client: TestClient, db_url: str, fields: dict[str, str], shown: str
) -> None:
    sign_in(client, "boss")
    token = token_of(client.get("/admin/catalogue/create/products").text)
    before = _feed(db_url)
    answer = client.post("/admin/catalogue/create/products",
                         data={"csrf_token": token, **_product_form(**fields)})  # fmt: skip
    assert answer.status_code == 400
    assert 'role="alert"' in answer.text and shown in answer.text, answer.text
    assert 'value="Эклер"' in answer.text  # what was typed stays
    assert _feed(db_url) == before


def test_a_bundle_and_a_time_package_in_english(client: TestClient, db_url: str) -> None:
    sign_in(client, "boss")
    client.get("/admin/language/en?next=/admin/catalogue")
    page = client.get("/admin/catalogue/create/products")
    assert "New product" in page.text and "Bundle" in page.text
    token = token_of(page.text)
    bundle = client.post("/admin/catalogue/create/products", data={
        "csrf_token": token, **_product_form(id="breakfast", name="Breakfast", price="270"),
        "part_id": ["latte", "croissant", ""], "part_quantity": ["1", "2", ""]},
        follow_redirects=False)  # fmt: skip
    assert bundle.status_code == 303, bundle.text
    data = _feed(db_url)[-1][2]
    assert data["components"] == [
        {"product_id": "latte", "quantity": 1, "name": "Латте"},
        {"product_id": "croissant", "quantity": 2, "name": "Круассан"}]  # fmt: skip
    edit = client.get("/admin/catalogue/products/breakfast/edit").text
    assert 'name="part_id" value="croissant"' in edit and 'name="part_quantity" value="2"' in edit
    hour = client.post(
        "/admin/catalogue/create/products",
        data={
            "csrf_token": token,
            **_product_form(id="hour", name="Game hour", price="300", minutes="60"),
        },
        follow_redirects=False,
    )
    assert hour.status_code == 303
    assert _feed(db_url)[-1][2]["minutes"] == 60
    listed = client.get("/admin/catalogue").text
    assert "60 min" in listed and "bundle" in listed
    cycle = client.post("/admin/catalogue/create/products", data={
        "csrf_token": token, **_product_form(id="big", name="Big", price="500"),
        "part_id": "breakfast", "part_quantity": "2"}, follow_redirects=False)  # fmt: skip
    assert cycle.status_code == 303  # nesting is fine
    before = _feed(db_url)
    looped = client.post("/admin/catalogue/products/breakfast/edit", data={
        "csrf_token": token, **_product_form(name="Breakfast", price="270"),
        "part_id": "big", "part_quantity": "1"})  # fmt: skip
    assert looped.status_code == 400 and "Bundles cannot hold each other" in looped.text
    assert "breakfast → big → breakfast" in looped.text
    assert _feed(db_url) == before


def test_a_group_is_created_and_edited(client: TestClient, db_url: str) -> None:
    sign_in(client, "boss")
    token = token_of(client.get("/admin/catalogue/create/groups").text)
    made = client.post("/admin/catalogue/create/groups", data={
        "csrf_token": token, "id": "games", "name": "Игры", "position": "3", "active": "on"},
        follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    assert _feed(db_url)[-1] == ("product_group", "games", {
        "group_id": "games", "name": "Игры", "position": 3, "active": True, "colour": None,
        "image": None})  # fmt: skip
    bad = client.post(
        "/admin/catalogue/groups/games/edit",
        data={"csrf_token": token, "name": "Игры", "position": "первая"},
    )
    assert bad.status_code == 400 and "Позиция" in bad.text
    client.post(
        "/admin/catalogue/groups/games/edit",
        data={"csrf_token": token, "name": "Игры", "position": "3"},
    )  # inactive
    assert _feed(db_url)[-1][2]["active"] is False
    taken = client.post(
        "/admin/catalogue/create/groups",
        data={"csrf_token": token, "id": "coffee", "name": "Ещё кофе"},
    )
    assert taken.status_code == 400 and "Этот код уже занят" in taken.text
    assert client.get("/admin/catalogue/groups/nope/edit").status_code == 404


def test_the_forms_need_the_permission_and_a_token(client: TestClient, db_url: str) -> None:
    sign_in(client, "ira")  # terminals only
    assert client.get("/admin/catalogue/create/products").status_code == 403
    assert client.get("/admin/catalogue/products/latte/edit").status_code == 403
    before = _feed(db_url)
    sign_in(client, "boss")
    forged = client.post("/admin/catalogue/create/products", data=_product_form())
    assert forged.status_code in (400, 403)
    assert _feed(db_url) == before
