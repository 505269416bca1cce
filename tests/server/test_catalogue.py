"""Catalogue and guest groups: JSON imports, their changes in the feed, guest orders checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from pos_app.domain.groups import GuestGroup
from pos_server.cli import main
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_staff import GuestGroupRow
from pos_server.guests import groups
from pos_server.uow import unit_of_work
from tests.server.conftest import Till, guest_payload
from tests.server.test_changes import pull_all

CATALOGUE: dict[str, Any] = {
    "groups": [{"id": "coffee", "name": "Кофе"}, {"id": "games", "name": "Игры", "position": 1}],
    "products": [
        {"id": "latte", "name": "Латте", "price": 21000, "barcode": "4600000000046",
         "group_id": "coffee", "tags": ["напитки", "кофе", "кофе"]},
        {"id": "pc-hour", "name": "Час игры", "price": 15000, "group_id": "games",
         "guest_orderable": False},
        {"id": "gift", "name": "Сертификат", "price": 100000, "allow_points": False},
    ],
}  # fmt: skip
GROUPS: dict[str, Any] = {
    "groups": [
        {"id": "g5", "name": "Гость 5 %", "discount_bp": 500, "spend_threshold": 50000,
         "auto_move": True, "scope": {"product_group_ids": ["coffee"]}},
        {"id": "g10", "name": "Гость 10 %", "discount_bp": 1000, "spend_threshold": 100000,
         "auto_move": True, "demote_to": "g5", "accrual_bp": 500, "max_redemption_bp": 3000,
         "offline_allowance": 50000, "daily_points_spend_limit": 200000},
    ]
}  # fmt: skip


def import_file(
    capsys: Any, tmp_path: Path, what: str, data: Any, db_url: str
) -> tuple[int, dict[str, Any] | None, str]:
    path = tmp_path / f"{what}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main([what, "import", str(path), "--db", db_url])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out else None), out.err


def test_catalogue_import_feeds_changes_once_and_again_only_what_changed(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    code, counts, _err = import_file(capsys, tmp_path, "catalogue", CATALOGUE, db_url)
    assert (code, counts) == (0, {"groups": 2, "products": 3, "changes": 5})
    changes, cursor = pull_all(till)
    assert [(c["entity"], c["entity_id"]) for c in changes] == [
        ("product_group", "coffee"), ("product_group", "games"), ("product", "latte"),
        ("product", "pc-hour"), ("product", "gift"),
    ]  # fmt: skip
    assert [c["id"] for c in changes] == [1, 2, 3, 4, 5]  # one block of ids, in file order
    assert changes[0]["data"] == {"group_id": "coffee", "name": "Кофе", "position": 0,
                                  "active": True, "colour": None, "image": None}  # fmt: skip
    assert changes[2]["data"] == {
        "product_id": "latte", "name": "Латте", "price": 21000, "barcode": "4600000000046",
        "group_id": "coffee", "tags": ["кофе", "напитки"], "allow_points": True,
        "guest_orderable": True, "active": True, "colour": None, "image": None,
        "components": [], "minutes": None, "extra_barcodes": [],
    }  # fmt: skip

    code, counts, _err = import_file(capsys, tmp_path, "catalogue", CATALOGUE, db_url)
    assert (code, counts) == (0, {"groups": 2, "products": 3, "changes": 0})
    assert pull_all(till, cursor)[0] == []

    dearer = {"products": [{**CATALOGUE["products"][0], "price": 22000}]}
    code, counts, _err = import_file(capsys, tmp_path, "catalogue", dearer, db_url)
    assert counts == {"groups": 0, "products": 1, "changes": 1}
    [change] = pull_all(till, cursor)[0]
    assert (change["entity_id"], change["data"]["price"]) == ("latte", 22000)
    assert change["id"] == 6


def test_bad_catalogue_files_are_refused_whole(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    products = CATALOGUE["products"]
    bad_files: list[tuple[Any, str]] = [
        ({"products": [{**products[0], "group_id": "nope"}]}, "names group 'nope'"),
        ({"groups": CATALOGUE["groups"], "products": [products[0], {**products[1],
          "barcode": "4600000000046"}]}, "both have barcode"),
        ({"products": [{**products[0], "price": 210.5}]}, "products.0.price"),
        ({"products": [{**products[0], "price": -1}]}, "products.0.price"),
        ({"products": [products[1], products[1]]}, "more than once"),
        ({"products": [{**products[2], "colour": "red"}]}, "products.0.colour"),
        ("not an object", "not a valid file"),
    ]  # fmt: skip
    for data, message in bad_files:
        code, counts, err = import_file(capsys, tmp_path, "catalogue", data, db_url)
        assert (code, counts) == (1, None), data
        assert message in err, err
    missing = main(["catalogue", "import", str(tmp_path / "absent.json"), "--db", db_url])
    assert missing == 1
    assert "Cannot read" in capsys.readouterr().err
    assert pull_all(till)[0] == []


def test_groups_import_feed_and_domain_objects(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    code, counts, _err = import_file(capsys, tmp_path, "groups", GROUPS, db_url)
    assert (code, counts) == (0, {"groups": 2, "changes": 2})
    changes, _cursor = pull_all(till)
    assert [(c["entity"], c["entity_id"]) for c in changes] == [
        ("guest_group", "g5"), ("guest_group", "g10")]  # fmt: skip
    g10 = changes[1]["data"]
    assert (g10["accrual_bp"], g10["max_redemption_bp"], g10["offline_allowance"]) == (
        500, 3000, 50000)  # fmt: skip
    assert changes[0]["data"]["scope"] == {"product_group_ids": ["coffee"], "product_ids": [],
                                           "tags": []}  # fmt: skip
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            by_id, active = groups.current_groups(connection)
            loaded = {g.id: g for g in active}
            assert by_id.get("nope") is None
    finally:
        engine.dispose()
    assert isinstance(loaded["g10"], GuestGroup)
    assert loaded["g10"].discount.bp == 1000
    assert loaded["g10"].demote_to == "g5"
    assert loaded["g5"].scope.product_group_ids == frozenset({"coffee"})
    assert loaded["g10"].max_redemption is not None
    assert loaded["g10"].max_redemption.bp == 3000

    for data, message in [
        ({"groups": [{"id": "x", "name": "X", "discount_bp": 500, "demote_to": "x"}]},
         "cannot demote guests to itself"),
        ({"groups": [{"id": "x", "name": "X", "discount_bp": 500, "demote_to": "zz"}]},
         "demotes to 'zz'"),
        ({"groups": [{"id": "x", "name": "X", "discount_bp": 10001}]}, "groups.0.discount_bp"),
    ]:  # fmt: skip
        code, counts, err = import_file(capsys, tmp_path, "groups", data, db_url)
        assert (code, counts) == (1, None)
        assert message in err, err


def order(guest_id: str, product_id: str, price: int, **line: Any) -> dict[str, Any]:
    return {"guest_id": guest_id, "method": "card",
            "lines": [{"product_id": product_id, "name": "as sent", "quantity": 2,
                       "unit_price": price, **line}]}  # fmt: skip


def test_orders_are_checked_against_the_catalogue_once_there_is_one(
    client: TestClient, till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    till.push_ok(till.op("guest.created", guest_payload("anna")))
    placed = client.post("/v1/orders", json=order("anna", "anything", 500), headers=till.headers)
    assert placed.status_code == 201, placed.text  # no catalogue: lines taken as sent

    import_file(capsys, tmp_path, "catalogue", CATALOGUE, db_url)
    refusals = [
        (order("anna", "espresso", 12000), "unknown_product", "'espresso' is not in"),
        (order("anna", "pc-hour", 15000), "product_not_orderable", "cannot be ordered"),
        (order("anna", "gift", 100000, in_points=True), "points_not_allowed", "with points"),
        (order("anna", "latte", 20000), "price_changed", "costs 21000 kopecks now"),
    ]
    for body, code, message in refusals:
        response = client.post("/v1/orders", json=body, headers=till.headers)
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        assert detail["code"] == code
        assert message in detail["message"]

    placed = client.post("/v1/orders", json=order("anna", "latte", 21000), headers=till.headers)
    assert placed.status_code == 201, placed.text
    assert placed.json()["lines"][0]["name"] == "Латте"  # the catalogue's name, not the sender's
    assert placed.json()["total"] == 42000

    withdrawn = {"products": [{**CATALOGUE["products"][0], "active": False}]}
    import_file(capsys, tmp_path, "catalogue", withdrawn, db_url)
    response = client.post("/v1/orders", json=order("anna", "latte", 21000), headers=till.headers)
    assert response.json()["detail"]["code"] == "unknown_product"
    orders = client.get("/v1/orders", headers=till.headers).json()["orders"]
    assert len(orders) == 2  # the refused ones wrote nothing


def test_import_time_is_utc(db_url: str) -> None:
    now = datetime.now(UTC)
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=now) as uow:
            result = groups.import_groups(uow, groups.GroupsIn.model_validate(GROUPS))
        assert result == {"groups": 2, "changes": 2}
        with make_sessions(engine)() as session:
            row = session.get(GuestGroupRow, "g5")
            assert row is not None
            assert row.updated_at == now
    finally:
        engine.dispose()
