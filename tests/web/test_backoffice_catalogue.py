"""The back office's catalogue page (issue 22 point 8): tile colours and pictures set by a
member with the catalogue permission, checked like an import and sent to the tills."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_server.app import create_app
from pos_server.catalogue import service as catalogue
from pos_server.catalogue.tiles import encode_image
from pos_server.db import make_engine, make_sessions, upgrade
from pos_server.db.models import Change
from pos_server.db.models_staff import ProductRow
from pos_server.settings import ServerSettings
from pos_server.staff import permissions as perms
from pos_server.staff import service as staff
from pos_server.uow import unit_of_work
from tests.tile_pictures import jpeg_header, png
from tests.web.test_backoffice_pages import PASSWORD, sign_in, token_of

PICTURE = png(12, 12)


@pytest.fixture
def db_url(tmp_path: object) -> str:
    url = f"sqlite:///{tmp_path}/server.sqlite3"
    upgrade(url)
    engine = make_engine(url)
    data = catalogue.CatalogueIn.model_validate({
        "groups": [{"id": "coffee", "name": "Кофе", "colour": "#8d5a3b"}],
        "products": [
            {"id": "latte", "name": "Латте", "price": 21000, "group_id": "coffee"},
            {"id": "raf", "name": "Раф", "price": 24000, "group_id": "coffee"}]})  # fmt: skip
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        boss = staff.add_staff(uow, "Boss", "admin", "482913")
        staff.set_password(uow, boss.id, PASSWORD)
        ira = staff.add_staff(uow, "Ira", "cashier", "1234")
        staff.set_password(uow, ira.id, PASSWORD)
        perms.set_permissions(uow, ira.id, {"terminals"})
        catalogue.import_catalogue(uow, data)
    engine.dispose()
    return url


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(database_url=db_url))) as test_client:
        yield test_client


def _feed(db_url: str) -> list[tuple[str, str, dict[str, object]]]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            rows = session.scalars(select(Change).order_by(Change.id)).all()
            return [(r.entity, r.entity_id, dict(r.data)) for r in rows]
    finally:
        engine.dispose()


def test_a_products_colour_and_picture_are_set_and_fed(client: TestClient, db_url: str) -> None:
    sign_in(client, "boss")
    listed = client.get("/admin/catalogue").text
    assert 'href="/admin/catalogue/products/latte"' in listed and 'value="#8d5a3b"' in listed
    assert "Цвет плитки" in listed and "как у группы" in listed  # Russian by default
    found = client.get("/admin/catalogue", params={"q": "ЛАТ"}).text  # any case, Cyrillic too
    assert "/admin/catalogue/products/latte" in found and "/products/raf" not in found
    page = client.get("/admin/catalogue/products/latte")
    assert page.status_code == 200 and 'type="file" id="image"' in page.text
    token = token_of(page.text)

    saved = client.post("/admin/catalogue/products/latte",
                        data={"csrf_token": token, "own_colour": "on", "colour": "#C2507A"},
                        files={"image": ("latte.png", PICTURE, "image/png")},
                        follow_redirects=False)  # fmt: skip

    assert saved.status_code == 303, saved.text
    shown = client.get(saved.headers["location"]).text
    assert 'value="#c2507a"' in shown and 'id="picture" src="data:image/png;base64,' in shown
    entity, entity_id, data = _feed(db_url)[-1]
    assert (entity, entity_id, data["colour"]) == ("product", "latte", "#c2507a")
    assert data["image"] == encode_image(PICTURE)

    # a colour only, the picture kept; then no colour of its own and the picture removed
    client.post("/admin/catalogue/products/latte", data={"csrf_token": token, "own_colour": "on",
                "colour": "#112233"})  # fmt: skip
    assert _feed(db_url)[-1][2]["image"] == encode_image(PICTURE)
    client.post("/admin/catalogue/products/latte",
                data={"csrf_token": token, "remove_image": "on", "colour": "#112233"})  # fmt: skip
    last = _feed(db_url)[-1][2]
    assert (last["colour"], last["image"]) == (None, None)


def test_bad_pictures_and_colours_are_refused_and_nothing_changes(
    client: TestClient, db_url: str
) -> None:
    sign_in(client, "boss")
    token = token_of(client.get("/admin/catalogue/groups/coffee").text)
    before = len(_feed(db_url))
    for name, data in (("big.jpg", jpeg_header(3000, 20)), ("x.png", b"GIF89a not a png"),
                       ("huge.png", PICTURE + bytes(70_000))):  # fmt: skip
        answer = client.post("/admin/catalogue/groups/coffee", data={"csrf_token": token},
                             files={"image": (name, data, "image/png")})  # fmt: skip
        assert answer.status_code == 400 and 'role="alert"' in answer.text, name
    bad = client.post("/admin/catalogue/groups/coffee",
                      data={"csrf_token": token, "own_colour": "on", "colour": "red"})  # fmt: skip
    assert bad.status_code == 400 and "colour" in bad.text
    nul = client.post("/admin/catalogue/groups/coffee",  # text fields are still checked
                      data={"csrf_token": token, "colour": "#11\x002233"},
                      files={"image": ("p.png", PICTURE, "image/png")})  # fmt: skip
    assert nul.status_code == 400 and "NUL" in nul.text
    assert len(_feed(db_url)) == before
    assert client.get("/admin/catalogue/products/nope").status_code == 404


def test_the_catalogue_page_needs_the_catalogue_permission(client: TestClient) -> None:
    sign_in(client, "ira")  # terminals only
    assert client.get("/admin/catalogue").status_code == 403
    assert client.get("/admin/catalogue/products/latte").status_code == 403


def test_set_tile_keeps_every_other_field(db_url: str) -> None:
    engine = make_engine(db_url)
    with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
        catalogue.set_tile(uow, "product", "raf", "#abcdef", None)
    with make_sessions(engine)() as session:
        row = session.get(ProductRow, "raf")
        assert row is not None
        assert (row.price, row.group_id, row.colour) == (24000, "coffee", "#abcdef")
        assert row.image is None
    engine.dispose()
