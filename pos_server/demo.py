"""``pos-server demo-order``: believable guest orders for demos and tests.

Orders go through ``place_order`` (the same path as POST /v1/orders), each in its own
unit of work, so consoles subscribed to the order stream see them arrive one by one.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from pos_app.domain.orders import PaymentMethod
from pos_server.catalogue.service import check_order
from pos_server.db.engine import make_sessions
from pos_server.db.models import Guest, Terminal
from pos_server.db.models_staff import ProductGroupRow, ProductRow
from pos_server.feed.changes import record_change
from pos_server.http.schemas import OrderLineIn, OrderPlaced
from pos_server.orders.service import place_order
from pos_server.terminals import service as terminals
from pos_server.uow import unit_of_work

DEMO_TERMINAL = "demo-order"
MENU = [
    ("espresso", "Espresso", 15_000), ("cappuccino", "Cappuccino", 22_000),
    ("latte", "Latte", 25_000), ("flat-white", "Flat white", 24_000),
    ("croissant", "Croissant", 15_000), ("cheesecake", "Cheesecake", 32_000),
    ("lemonade", "Lemonade", 18_000), ("sandwich", "Chicken sandwich", 34_000),
]  # fmt: skip
DEMO_GUESTS = [
    ("demo-anna", "Anna Smirnova", "+79121234567"), ("demo-ivan", "Ivan Petrov", "+79031112233"),
    ("demo-olga", "Olga Kuznetsova", "+79265554433"),
]  # fmt: skip
NOTES = ["", "", "no sugar", "oat milk, please", "to go", "table 4", "extra hot"]
METHODS = [PaymentMethod.CARD, PaymentMethod.CARD, PaymentMethod.CASH, PaymentMethod.BALANCE]


def demo_terminal(session: Session, now: datetime) -> str:
    """The terminal demo orders are placed by (registered once; its code is never used)."""
    found = session.scalar(select(Terminal.id).where(Terminal.name == DEMO_TERMINAL))
    return found or terminals.add_terminal(session, DEMO_TERMINAL, now).terminal_id


def demo_guests(session: Session, terminal_id: str, now: datetime) -> list[str]:
    """Existing guests (up to 20), or three demo guests created on an empty server."""
    existing = list(session.scalars(select(Guest.id).order_by(Guest.id).limit(20)))
    if existing:
        return existing
    for guest_id, name, phone in DEMO_GUESTS:
        session.add(Guest(id=guest_id, name=name, phone=phone, created_at=now,
                          created_by=terminal_id))  # fmt: skip
        session.flush()
        record_change(session, "guest", guest_id,
                      {"guest_id": guest_id, "name": name, "phone": phone}, now)  # fmt: skip
    return [guest_id for guest_id, _, _ in DEMO_GUESTS]


def demo_menu(session: Session) -> list[tuple[str, str, int]]:
    """The catalogue's products open to guest orders once the server has a catalogue (which
    POST /v1/orders then insists on), else the built-in MENU; not an inactive group's."""
    rows = session.execute(
        select(ProductRow.id, ProductRow.name, ProductRow.price)
        .outerjoin(ProductGroupRow, ProductGroupRow.id == ProductRow.group_id)
        .where(ProductRow.active.is_(True), ProductRow.guest_orderable.is_(True))
        .where(or_(ProductGroupRow.active.is_(None), ProductGroupRow.active.is_(True)))
        .order_by(ProductRow.id)
    ).all()
    return [(pid, name, price) for pid, name, price in rows] or MENU


def demo_order(
    rng: random.Random, guest_id: str, now: datetime, menu: list[tuple[str, str, int]] = MENU
) -> OrderPlaced:
    dishes = rng.sample(menu, rng.randint(1, min(3, len(menu))))
    lines = [OrderLineIn(product_id=pid, name=name, quantity=rng.choice([1, 1, 1, 2]),
                         unit_price=price) for pid, name, price in dishes]  # fmt: skip
    return OrderPlaced(
        guest_id=guest_id, lines=lines, method=rng.choice(METHODS), note=rng.choice(NOTES),
        ready_by=now + timedelta(minutes=rng.choice([10, 15, 20, 30, 45])),
    )


def place_demo_order(engine: Engine, *, now: datetime, rng: random.Random) -> dict[str, Any]:
    """Place one demo order in a transaction of its own (the demo terminal and guests made
    first when missing); returns the order's state."""
    with make_sessions(engine).begin() as session:
        terminal_id = demo_terminal(session, now)
        guest_id = rng.choice(demo_guests(session, terminal_id, now))
        order = demo_order(rng, guest_id, now, demo_menu(session))
    with unit_of_work(engine, actor=terminal_id, now=now) as uow:
        return place_order(uow, check_order(uow, order))
