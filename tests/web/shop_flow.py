"""The cabinet's shop in a real browser against a real ``pos-server run``: a menu to order
from, shared by the shop's browser test and its screenshots (the console that takes the
orders: ``tests/web/cabinet_console.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_server.catalogue.service import CatalogueIn, import_catalogue
from pos_server.db import make_engine
from pos_server.programme.service import change
from pos_server.uow import unit_of_work

MENU = {
    "groups": [{"id": "coffee", "name": "Кофе", "position": 0},
               {"id": "food", "name": "Еда", "position": 1}],
    "products": [
        {"id": "latte", "name": "Латте", "price": 25_000, "group_id": "coffee"},
        {"id": "espresso", "name": "Эспрессо", "price": 15_000, "group_id": "coffee",
         "allow_points": False},
        {"id": "cookie", "name": "Печенье", "price": 9_000, "group_id": "food"},
    ],
}  # fmt: skip


def seed_menu(db_url: str, methods: str = "cash,card,balance,points") -> None:
    """The catalogue above and the payment methods guests may choose."""
    engine = make_engine(db_url)
    try:
        with unit_of_work(engine, actor="test", now=datetime.now(UTC)) as uow:
            import_catalogue(uow, CatalogueIn.model_validate(MENU))
            change(uow, {"ordering.enabled": True, "ordering.payment_methods": methods})
    finally:
        engine.dispose()
