"""The demo server catalogue (pos_server/demo_data/*.json) is the till demo's, exported.

``pos_server`` may not import ``pos_app.commands``, so the demo data reaches it as JSON files;
this test keeps them equal to ``pos_app.commands.demo_data_catalog`` (same ids, prices in
kopecks, EAN-13 barcodes, the 5 % / 10 % groups). After changing the till's demo data run
``python -m tests.server.test_catalogue_demo`` to rewrite the files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pos_app.commands.demo_data import GROUP_COLOURS, GROUPS
from pos_app.commands.demo_data_catalog import CATALOGUE, ean13
from pos_app.domain.money import rub
from pos_server.catalogue import service as catalogue
from pos_server.cli import main
from pos_server.db import make_engine, make_sessions
from pos_server.db.models import GuestOrderLineRow
from pos_server.guests import groups

DEMO_DIR = Path(__file__).resolve().parents[2] / "pos_server" / "demo_data"


def export_catalogue() -> dict[str, Any]:
    """Same walk and barcode numbering as ``pos_app.commands.demo_data.fill_catalogue``."""
    out: dict[str, Any] = {"groups": [], "products": []}
    count = 0
    for position, (group_id, (group_name, items)) in enumerate(CATALOGUE.items()):
        group = {"id": group_id, "name": group_name, "position": position}
        if group_id in GROUP_COLOURS:  # the tiles' colours, by group
            group["colour"] = GROUP_COLOURS[group_id]
        out["groups"].append(group)
        for item_id, name, roubles, tags, has_barcode in items:
            count += 1
            out["products"].append({
                "id": item_id, "name": name, "price": rub(roubles),
                "barcode": ean13(f"460{count:09d}") if has_barcode else None,
                "group_id": group_id, "tags": sorted(tags),
            })  # fmt: skip
    return out


def export_groups() -> dict[str, Any]:
    return {"groups": [{"id": g.id, "name": g.name, "discount_bp": g.discount.bp,
                        "spend_threshold": g.spend_threshold, "auto_move": g.auto_move}
                       for g in GROUPS]}  # fmt: skip


def _write(name: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    (DEMO_DIR / name).write_text(text, encoding="utf-8")


def test_demo_files_are_the_till_demo_data() -> None:
    shipped = json.loads((DEMO_DIR / "catalogue.json").read_text(encoding="utf-8"))
    assert shipped == export_catalogue()
    assert json.loads((DEMO_DIR / "groups.json").read_text(encoding="utf-8")) == export_groups()
    catalogue.CatalogueIn.model_validate(shipped)  # and they are valid import files
    groups.GroupsIn.model_validate(export_groups())


def test_demo_files_import_into_a_server(tmp_path: Path, capsys: Any) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert main(["catalogue", "import", str(DEMO_DIR / "catalogue.json"), "--db", db]) == 0
    assert main(["groups", "import", str(DEMO_DIR / "groups.json"), "--db", db]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    products = sum(len(items) for _name, items in CATALOGUE.values())
    assert first == {"groups": len(CATALOGUE), "products": products,
                     "changes": len(CATALOGUE) + products}  # fmt: skip
    assert second == {"groups": 2, "changes": 2}



def test_demo_orders_come_from_the_catalogue_once_there_is_one(
    tmp_path: Path, capsys: Any
) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert main(["catalogue", "import", str(DEMO_DIR / "catalogue.json"), "--db", db]) == 0
    assert main(["demo-order", "--count", "6", "--seed", "3", "--db", db]) == 0
    capsys.readouterr()
    products = {p["id"]: p for p in export_catalogue()["products"]}
    engine = make_engine(db)
    try:
        with make_sessions(engine)() as session:
            lines = list(session.scalars(select(GuestOrderLineRow)))
    finally:
        engine.dispose()
    assert len(lines) >= 6
    for line in lines:
        product = products[line.product_id]
        assert (line.name, line.unit_price) == (product["name"], product["price"])


if __name__ == "__main__":
    _write("catalogue.json", export_catalogue())
    _write("groups.json", export_groups())
    print(f"wrote {DEMO_DIR}/catalogue.json and groups.json")
