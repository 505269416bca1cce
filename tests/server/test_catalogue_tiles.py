"""Tile colours and pictures (issue 22 point 8): checked on import (JSON and CSV, pictures by
path), sent in the feed, and stored by a till that pulls them, ready for its tiles."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from pos_app.commands.till_catalogue import StoreCatalogue
from pos_app.db import open_store
from pos_app.services.feed import Change, FeedService
from pos_server.catalogue.tiles import (
    MAX_IMAGE_BYTES,
    TileImageError,
    check_colour,
    check_image,
    image_size,
)
from pos_server.cli import main
from tests.server.conftest import Till
from tests.server.test_changes import pull_all
from tests.services.fakes import FakeClock
from tests.tile_pictures import jpeg_header, png, webp_header

PICTURE = png(8, 6)


def test_pictures_are_read_from_their_headers_without_pillow() -> None:
    assert image_size(PICTURE) == ("png", 8, 6)
    assert image_size(jpeg_header(320, 200)) == ("jpeg", 320, 200)
    assert image_size(webp_header(64, 48)) == ("webp", 64, 48)
    assert check_image(PICTURE) == PICTURE
    for bad, why in ((b"GIF89a" + bytes(40), "not a PNG, JPEG or WebP"),
                     (b"<svg xmlns=...>", "not a PNG, JPEG or WebP"),
                     (b"\xff\xd8\xff\xd9", "no frame header"),
                     (jpeg_header(4000, 10), "4000x10 pixels"),
                     (PICTURE + bytes(MAX_IMAGE_BYTES), "at most 65536")):  # fmt: skip
        with pytest.raises(TileImageError, match=why):
            check_image(bad)
    assert check_colour(" #8D5A3B ") == "#8d5a3b"
    for bad_colour in ("red", "#abc", "#8d5a3bff", "rgb(1,2,3)"):
        with pytest.raises(ValueError, match="rrggbb"):
            check_colour(bad_colour)


def _import(capsys: Any, path: Path, db_url: str) -> tuple[int, dict[str, Any] | None, str]:
    code = main(["catalogue", "import", str(path), "--db", db_url])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out else None), out.err


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_bad_colours_and_pictures_refuse_the_whole_file(
    db_url: str, tmp_path: Path, capsys: Any
) -> None:
    (tmp_path / "big.png").write_bytes(png(2000, 2))
    (tmp_path / "fake.png").write_bytes(b"not a picture at all")
    (tmp_path / "huge.jpg").write_bytes(jpeg_header(10, 10) + bytes(MAX_IMAGE_BYTES))
    product = {"id": "latte", "name": "Латте", "price": 21000}
    cases = [({"colour": "brown"}, "products.0.colour"),
             ({"colour": "#12345"}, "products.0.colour"),
             ({"image": "big.png"}, "2000x2 pixels"),
             ({"image": "fake.png"}, "not a PNG, JPEG or WebP"),
             ({"image": "huge.jpg"}, "at most 65536"),
             ({"image": "missing.png"}, "Cannot read the picture of 'latte'"),
             ({"image": "%%%"}, "base64")]  # fmt: skip
    for extra, message in cases:
        path = _write(tmp_path / "catalogue.json", {"products": [{**product, **extra}]})
        code, counts, err = _import(capsys, path, db_url)
        assert (code, counts) == (1, None), extra
        assert message in err, (extra, err)
    group = {"groups": [{"id": "coffee", "name": "Кофе", "colour": "#zzzzzz"}]}
    code, _counts, err = _import(capsys, _write(tmp_path / "g.json", group), db_url)
    assert code == 1 and "groups.0.colour" in err


def test_tiles_travel_from_a_csv_import_through_the_feed_to_the_tills_catalogue(
    till: Till, db_url: str, tmp_path: Path, capsys: Any
) -> None:
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "latte.png").write_bytes(PICTURE)
    csv_text = (
        "kind,id,name,position,price,group_id,tags,colour,image\n"
        "group,coffee,Кофе,0,,,,#8D5A3B,\n"
        "group,games,Игры,1,,,,,\n"
        "product,latte,Латте,,21000,coffee,кофе;напитки,,pictures/latte.png\n"
        ",espresso,Эспрессо,,12000,coffee,,#112233,\n"
        ",pc-hour,Час игры,,15000,games,,,\n"
    )
    (tmp_path / "catalogue.csv").write_text(csv_text, encoding="utf-8")

    code, counts, err = _import(capsys, tmp_path / "catalogue.csv", db_url)

    assert (code, counts) == (0, {"groups": 2, "products": 3, "changes": 5}), err
    changes, cursor = pull_all(till)
    data = {c["entity_id"]: c["data"] for c in changes}
    assert (data["coffee"]["colour"], data["coffee"]["image"]) == ("#8d5a3b", None)
    assert base64.b64decode(data["latte"]["image"]) == PICTURE
    assert (data["latte"]["colour"], data["espresso"]["colour"]) == (None, "#112233")
    assert data["latte"]["tags"] == ["кофе", "напитки"]

    with open_store(tmp_path / "till.sqlite3") as store:
        feed = FeedService(store.unit_of_work, FakeClock())
        page = [Change(c["id"], c["entity"], c["entity_id"], c["data"]) for c in changes]
        assert feed.apply_page(0, page, cursor).skipped == {}
        catalogue = StoreCatalogue(store).load()

    groups = {g.group_id: g for g in catalogue.groups}
    assert (groups["coffee"].colour, groups["coffee"].image) == ("#8d5a3b", None)
    assert groups["games"].colour is None
    products = {p.id: p for g in catalogue.groups for p in g.products}
    assert (products["latte"].colour, products["latte"].image) == (None, PICTURE)
    assert (products["espresso"].colour, products["espresso"].image) == ("#112233", None)

    # clearing the picture in the back office clears it on the till
    cleared = {"products": [{"id": "latte", "name": "Латте", "price": 21000,
                             "group_id": "coffee", "tags": ["кофе", "напитки"]}]}  # fmt: skip
    code, counts, _err = _import(capsys, _write(tmp_path / "c.json", cleared), db_url)
    assert counts == {"groups": 0, "products": 1, "changes": 1}
    [change] = pull_all(till, cursor)[0]
    assert change["data"]["image"] is None


def test_a_csv_with_a_bad_cell_names_its_line(db_url: str, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text("id,name,price,active\nlatte,Латте,21000,maybe\n", encoding="utf-8")
    code, _counts, err = _import(capsys, path, db_url)
    assert code == 1 and "line 2: active is true or false" in err
    path.write_text("id,name,price\nlatte,Латте,21,5\n", encoding="utf-8")
    assert _import(capsys, path, db_url)[0] == 1


@pytest.mark.parametrize("name", ["out.json", "out.csv"])
def test_an_export_imports_back_unchanged_with_its_pictures(
    name: str, tmp_path: Path, capsys: Any
) -> None:
    """``catalogue export`` writes what ``import`` reads: on a second server the same rows,
    pictures and all; importing it back into the first changes nothing."""
    (tmp_path / "latte.png").write_bytes(PICTURE)
    source = {"groups": [{"id": "coffee", "name": "Кофе", "colour": "#8d5a3b",
                          "image": "latte.png"}],
              "products": [{"id": "latte", "name": "Латте", "price": 21000, "group_id": "coffee",
                            "tags": ["кофе"], "image": "latte.png", "barcode": "4600000000046"},
                           {"id": "gift", "name": "Сертификат", "price": 100000,
                            "allow_points": False, "colour": "#112233"}]}  # fmt: skip
    first = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    second = f"sqlite:///{tmp_path / 'second.sqlite3'}"
    assert _import(capsys, _write(tmp_path / "source.json", source), first)[0] == 0
    out = tmp_path / "export" / name
    out.parent.mkdir()

    assert main(["catalogue", "export", str(out), "--db", first]) == 0
    assert json.loads(capsys.readouterr().out) == {"groups": 1, "products": 2, "pictures": 1}
    assert len(list((tmp_path / "export" / f"{out.stem}-pictures").iterdir())) == 1  # shared

    assert _import(capsys, out, first)[1] == {"groups": 1, "products": 2, "changes": 0}
    assert _import(capsys, out, second)[1] == {"groups": 1, "products": 2, "changes": 3}
    again = tmp_path / "again.json"
    assert main(["catalogue", "export", str(again), "--db", second]) == 0
    capsys.readouterr()
    exported = json.loads(again.read_text(encoding="utf-8"))
    products = {p["id"]: p for p in exported["products"]}
    [picture] = (tmp_path / "again-pictures").iterdir()
    assert (
        products["latte"]["image"]
        == exported["groups"][0]["image"]
        == f"again-pictures/{picture.name}"
    )
    assert picture.read_bytes() == PICTURE
    assert (products["gift"]["colour"], products["gift"]["image"]) == ("#112233", None)
    assert products["gift"]["allow_points"] is False and products["latte"]["tags"] == ["кофе"]
