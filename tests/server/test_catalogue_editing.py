"""Editing the catalogue one group or product at a time (issue 18 point 6: the back office's
forms) and the composite products and time packages: checked like an import, one feed change
per real change, an audit row, nothing written when refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from pos_server.catalogue import service as catalogue
from pos_server.catalogue.files import read_catalogue_file, write_catalogue_file
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import Change
from pos_server.db.models_ledger import AdminAuditRow
from pos_server.http.schemas import OrderPlaced
from pos_server.uow import unit_of_work

START: dict[str, Any] = {
    "groups": [{"id": "coffee", "name": "Кофе"}],
    "products": [
        {"id": "latte", "name": "Латте", "price": 21000, "barcode": "4600000000046",
         "group_id": "coffee"},
        {"id": "croissant", "name": "Круассан", "price": 9000},
    ],
}  # fmt: skip


@pytest.fixture
def engine(db_url: str) -> Any:
    found = make_engine(db_url)
    with _uow(found) as uow:
        catalogue.import_catalogue(uow, catalogue.CatalogueIn.model_validate(START))
    yield found
    found.dispose()


def _uow(engine: Any) -> Any:
    return unit_of_work(engine, actor="web:boss", now=datetime.now(UTC))


def _changes(engine: Any) -> list[tuple[str, str, dict[str, Any]]]:
    with make_sessions(engine)() as session:
        rows = session.scalars(select(Change).order_by(Change.id)).all()
        return [(r.entity, r.entity_id, dict(r.data)) for r in rows]


def _audit(engine: Any) -> list[str]:
    with make_sessions(engine)() as session:
        return [row.action for row in session.scalars(select(AdminAuditRow)
                                                      .order_by(AdminAuditRow.id))]  # fmt: skip


def _save(engine: Any, values: dict[str, Any], *, new: bool) -> bool:
    with _uow(engine) as uow:
        return catalogue.save_product(uow, values, new=new)


def _product(engine: Any, product_id: str) -> dict[str, Any]:
    with _uow(engine) as uow:
        row = uow.products.product(product_id)
        assert row is not None
        return catalogue.product_values(row)


def test_a_group_is_created_edited_and_withdrawn_with_one_change_each(engine: Any) -> None:
    before = len(_changes(engine))
    with _uow(engine) as uow:
        assert catalogue.save_group(uow, {"id": "games", "name": "Игры", "position": 2,
                                          "active": True}, new=True)  # fmt: skip
    with _uow(engine) as uow:  # the same again: nothing changed, nothing sent
        assert not catalogue.save_group(uow, {"id": "games", "name": "Игры", "position": 2,
                                              "active": True}, new=False)  # fmt: skip
    with _uow(engine) as uow:
        assert catalogue.save_group(uow, {"id": "games", "name": "Игры", "position": 2,
                                          "active": False}, new=False)  # fmt: skip
    fed = _changes(engine)[before:]
    assert [(e, i, d["active"]) for e, i, d in fed] == [
        ("product_group", "games", True), ("product_group", "games", False)]  # fmt: skip
    assert _audit(engine)[-2:] == ["catalogue.group_created", "catalogue.group_edited"]
    with _uow(engine) as uow, pytest.raises(catalogue.CatalogueError) as taken:
        catalogue.save_group(uow, {"id": "games", "name": "Ещё", "active": True}, new=True)
    assert taken.value.code == "exists"
    with _uow(engine) as uow, pytest.raises(catalogue.CatalogueError) as missing:
        catalogue.save_group(uow, {"id": "nope", "name": "Нет", "active": True}, new=False)
    assert missing.value.code == "not_found"


def test_a_product_is_created_edited_and_withdrawn(engine: Any) -> None:
    before = len(_changes(engine))
    values = {"id": "raf", "name": "Раф", "price": 24050, "barcode": "4600000000053",
              "group_id": "coffee", "tags": ["напитки"], "allow_points": False,
              "guest_orderable": False, "active": True}  # fmt: skip
    assert _save(engine, values, new=True)
    assert not _save(engine, values, new=False)  # unchanged: no feed change, no audit row
    assert _save(engine, {**values, "price": 25000, "tags": ["напитки", "кофе"]}, new=False)
    assert _save(engine, {**values, "price": 25000, "tags": ["напитки", "кофе"],
                          "active": False}, new=False)  # fmt: skip
    fed = [d for e, i, d in _changes(engine)[before:] if i == "raf"]
    assert [(d["price"], d["active"]) for d in fed] == [(24050, True), (25000, True),
                                                         (25000, False)]  # fmt: skip
    assert fed[0]["allow_points"] is False and fed[0]["guest_orderable"] is False
    assert fed[1]["tags"] == ["кофе", "напитки"]
    assert _audit(engine)[-3:] == ["catalogue.product_created", "catalogue.product_edited",
                                   "catalogue.product_edited"]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "code"),
    [({"barcode": "4600000000046"}, "duplicate_barcode"),  # latte's
     ({"group_id": "tea"}, "unknown_group"),
     ({"components": [{"product_id": "ghost", "quantity": 1}]}, "bundle_unknown"),
     ({"components": [{"product_id": "raf", "quantity": 1}]}, "bundle_self"),
     ({"components": [{"product_id": "latte", "quantity": 1},
                      {"product_id": "latte", "quantity": 2}]}, "bundle_twice")],
)  # fmt: skip
def test_refused_products_write_nothing(engine: Any, change: dict[str, Any], code: str) -> None:
    before = (_changes(engine), _audit(engine))
    with pytest.raises(catalogue.CatalogueError) as refused:
        _save(engine, {"id": "raf", "name": "Раф", "price": 24000, **change}, new=True)
    assert refused.value.code == code
    assert (_changes(engine), _audit(engine)) == before
    with _uow(engine) as uow:
        assert uow.products.product("raf") is None


def test_bad_values_are_refused(engine: Any) -> None:
    for bad in (
        {"price": -1},
        {"minutes": 0},
        {"price": 100, "minutes": 60, "components": [{"product_id": "latte"}]},
    ):
        with pytest.raises(ValidationError):
            _save(engine, {"id": "x", "name": "X", "price": 100, **bad}, new=True)
    assert _changes(engine)[-1][1] == "croissant"  # nothing after the start


def test_nested_bundles_are_taken_and_cycles_refused(engine: Any) -> None:
    breakfast = {"id": "breakfast", "name": "Завтрак", "price": 27000,
                 "components": [{"product_id": "latte", "quantity": 1},
                                {"product_id": "croissant", "quantity": 2}]}  # fmt: skip
    assert _save(engine, breakfast, new=True)
    family = {"id": "family", "name": "Семейный", "price": 50000,
              "components": [{"product_id": "breakfast", "quantity": 2}]}  # fmt: skip
    assert _save(engine, family, new=True)
    fed = _changes(engine)[-2][2]
    assert fed["components"] == [
        {"product_id": "latte", "quantity": 1, "name": "Латте"},
        {"product_id": "croissant", "quantity": 2, "name": "Круассан"}]  # fmt: skip
    assert fed["minutes"] is None
    before = _changes(engine)
    cycle = {**breakfast, "components": [*breakfast["components"],
                                         {"product_id": "family", "quantity": 1}]}  # fmt: skip
    with pytest.raises(catalogue.CatalogueError) as refused:
        _save(engine, cycle, new=False)
    assert refused.value.code == "bundle_cycle"
    assert "breakfast → family → breakfast" in refused.value.subject
    assert _changes(engine) == before
    # a file with both sides of a cycle is refused whole too
    data = catalogue.CatalogueIn.model_validate({"products": [
        {"id": "a", "name": "A", "price": 1, "components": [{"product_id": "b"}]},
        {"id": "b", "name": "B", "price": 1, "components": [{"product_id": "a"}]}]})  # fmt: skip
    with _uow(engine) as uow, pytest.raises(catalogue.CatalogueError):
        catalogue.import_catalogue(uow, data)
    assert _changes(engine) == before


def test_renaming_a_part_sends_its_bundles_again(engine: Any) -> None:
    _save(
        engine,
        {
            "id": "breakfast",
            "name": "Завтрак",
            "price": 27000,
            "components": [{"product_id": "croissant", "quantity": 2}],
        },
        new=True,
    )
    before = len(_changes(engine))
    _save(engine, {**_product(engine, "latte"), "price": 22000}, new=False)  # not a part
    assert [i for _e, i, _d in _changes(engine)[before:]] == ["latte"]
    _save(engine, {**_product(engine, "croissant"), "name": "Круассан миндальный"}, new=False)
    fed = _changes(engine)[before + 1 :]
    assert [i for _e, i, _d in fed] == ["croissant", "breakfast"]
    assert fed[1][2]["components"][0]["name"] == "Круассан миндальный"


def test_a_time_package_is_fed_with_its_minutes_and_guests_can_order_it(engine: Any) -> None:
    assert _save(engine, {"id": "hour", "name": "Час игры", "price": 30000, "minutes": 60},
                 new=True)  # fmt: skip
    assert _changes(engine)[-1][2]["minutes"] == 60
    assert _save(engine, {"id": "combo", "name": "Час и кофе", "price": 45000,
                          "components": [{"product_id": "hour", "quantity": 1},
                                         {"product_id": "latte", "quantity": 1}]},
                 new=True)  # fmt: skip
    placed = OrderPlaced.model_validate(
        {
            "guest_id": "g1",
            "method": "cash",
            "lines": [
                {"product_id": "hour", "name": "?", "quantity": 2, "unit_price": 30000},
                {"product_id": "combo", "name": "?", "quantity": 1, "unit_price": 45000},
            ],
        }
    )
    with _uow(engine) as uow:
        checked = catalogue.check_order(uow, placed)
        products = catalogue.catalogue_products(uow, {"hour", "combo"})
    assert [(ln.name, ln.unit_price) for ln in checked.lines] == [
        ("Час игры", 30000),
        ("Час и кофе", 45000),
    ]
    assert products["hour"].minutes == 60
    assert [(p.name, p.quantity) for p in products["combo"].components] == [
        ("Час игры", 1),
        ("Латте", 1),
    ]


def test_json_and_csv_files_carry_bundles_and_minutes(engine: Any, tmp_path: Path) -> None:
    _save(engine, {"id": "hour", "name": "Час игры", "price": 30000, "minutes": 60}, new=True)
    _save(
        engine,
        {
            "id": "breakfast",
            "name": "Завтрак",
            "price": 27000,
            "components": [
                {"product_id": "latte", "quantity": 1},
                {"product_id": "croissant", "quantity": 2},
            ],
        },
        new=True,
    )
    for name in ("catalogue.json", "catalogue.csv"):
        path = tmp_path / name
        with _uow(engine) as uow:
            write_catalogue_file(str(path), uow.products.groups(), uow.products.all_products())
        data = catalogue.CatalogueIn.model_validate(read_catalogue_file(str(path)))
        by_id = {p.id: p for p in data.products}
        assert by_id["hour"].minutes == 60 and by_id["hour"].components == []
        assert [(c.product_id, c.quantity) for c in by_id["breakfast"].components] == [
            ("latte", 1),
            ("croissant", 2),
        ]
        with _uow(engine) as uow:  # read back unchanged: nothing to send
            assert catalogue.import_catalogue(uow, data)["changes"] == 0
    text = (tmp_path / "catalogue.csv").read_text("utf-8")
    assert "latte=1;croissant=2" in text
    assert json.loads((tmp_path / "catalogue.json").read_text("utf-8"))["products"]


def test_a_product_has_more_barcodes_each_owned_once(engine: Any, tmp_path: Path) -> None:
    assert _save(engine, {"id": "cola", "name": "Кола", "price": 9000,
                          "extra_barcodes": ["4600000000091", " 4600000000084 ",
                                             "4600000000091"]}, new=True)  # fmt: skip
    fed = _changes(engine)[-1][2]  # no main barcode given: the first extra one becomes it
    assert (fed["barcode"], fed["extra_barcodes"]) == ("4600000000091", ["4600000000084"])
    before = _changes(engine)
    for clash in ("4600000000084", "4600000000046"):  # cola's extra one, latte's main one
        with pytest.raises(catalogue.CatalogueError) as refused:
            _save(
                engine,
                {
                    "id": "pepsi",
                    "name": "Пепси",
                    "price": 9000,
                    "barcode": "4600000000107",
                    "extra_barcodes": [clash],
                },
                new=True,
            )
        assert refused.value.code == "duplicate_barcode"
    with pytest.raises(catalogue.CatalogueError) as taken:  # an extra one as another's main
        _save(
            engine,
            {"id": "pepsi", "name": "Пепси", "price": 9000, "barcode": "4600000000084"},
            new=True,
        )
    assert taken.value.subject == "cola"
    assert _changes(engine) == before
    path = tmp_path / "c.csv"
    with _uow(engine) as uow:
        write_catalogue_file(str(path), uow.products.groups(), uow.products.all_products())
        assert uow.products.barcodes()["4600000000084"] == "cola"
    data = catalogue.CatalogueIn.model_validate(read_catalogue_file(str(path)))
    assert {p.id: p.extra_barcodes for p in data.products}["cola"] == ["4600000000084"]
    with _uow(engine) as uow:
        assert catalogue.import_catalogue(uow, data)["changes"] == 0
