"""``pos-app demo-data [--data-dir DIR]``: fill the till's store with a believable demo shop.

A café + gaming club (``demo_data_catalog``): ~60 products in 8 groups, guest groups 5 % from
500 ₽ and 10 % from 1 000 ₽ (both automatic, the DOMAIN.md example), 20 guests with phones,
a magnetic-stripe card and an app QR code each, and bonus / deposit balances. Every record has
a fixed id and is written as an upsert, so running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import UTC, datetime

from pos_app.commands.demo_data_catalog import CATALOGUE, GUESTS, ean13
from pos_app.commands.store_factory import DATA_DIR_ENV, open_till_store
from pos_app.domain.catalog import Product
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import Percent, format_money, rub
from pos_app.domain.phones import normalise_phone
from pos_app.services.ports import StoreError, UnitOfWork
from pos_app.services.ports_till import PromoCodeRecord
from pos_app.services.promo import PROGRAM_KEY as PROMO_PROGRAM_KEY
from pos_app.services.staff import make_record
from pos_app.services.venue_name import set_venue_name, venue_name

GROUPS = (
    GuestGroup("g5", "Гость 5 %", Percent.of(5), rub(500), auto_move=True),
    GuestGroup("g10", "Гость 10 %", Percent.of(10), rub(1_000), auto_move=True),
)
CARD_PREFIX = "7700"  # our own card range; the stripe carries it as the PAN


def card_number(index: int) -> str:
    return f"{CARD_PREFIX}{index:012d}"


GROUP_COLOURS = {"coffee": "#8d5a3b", "tea": "#4f8a3c", "cold": "#2f7dd1",
                 "desserts": "#c2507a", "snacks": "#e0a100", "kitchen": "#c0492b"}  # fmt: skip


def fill_catalogue(uow: UnitOfWork) -> int:
    count = 0
    for order, (group_id, (group_name, items)) in enumerate(CATALOGUE.items()):
        # the tiles' colour is the group's (as the back office sets it); products take it
        uow.products.add_group(group_id, group_name, order, GROUP_COLOURS.get(group_id))
        for item_id, name, roubles, tags, has_barcode in items:
            count += 1
            barcode = ean13(f"460{count:09d}") if has_barcode else None
            uow.products.add(
                Product(item_id, name, rub(roubles), group_id, frozenset(tags), barcode)
            )
    return count


def fill_guests(uow: UnitOfWork, now: datetime) -> int:
    for group in GROUPS:
        uow.groups.add(group)
    for index, (guest_id, name, phone, group_id, spend, points, deposit) in enumerate(
        GUESTS, start=1
    ):
        guest = Guest(guest_id, name, (phone,), group_id=group_id, lifetime_spend=rub(spend))
        uow.guests.add(guest)
        uow.guests.add_identifier(
            Identifier(Medium.CARD, InputMethod.MSR, card_number(index)), guest_id
        )
        uow.guests.add_identifier(
            Identifier(Medium.GUEST_APP, InputMethod.BARCODE, f"QR-{guest_id.upper()}"), guest_id
        )
        uow.accounts.set_snapshot(
            f"{guest_id}-bonus", guest_id, "bonus", total=rub(points), held=0, at=now
        )
        if deposit:
            uow.accounts.set_snapshot(
                f"{guest_id}-balance", guest_id, "balance", total=rub(deposit), held=0, at=now
            )
    return len(GUESTS)


# Staff of the demo (pos-app till signs in with these PINs). The salt is derived from the id so
# running demo-data again writes the same hash; real staff come from the server with random salts.
DEMO_STAFF = (
    ("staff-cashier", "Ирина Кассирова", "cashier", "1111"),
    ("staff-manager", "Олег Менеджеров", "manager", "9999"),
    ("staff-operator", "Дарья Операторова", "operator", "2222"),
)
DEMO_PROMO_PROGRAM = {"prefix": "TOPLASER", "discount_bp": 1500, "cashback_bp": 1000,
                      "digits": 4}  # fmt: skip


DEMO_VENUE = "Демо-кафе"  # the demo's venue name, on its screen and receipts


def fill_till(uow: UnitOfWork) -> int:
    """Staff with PINs, the promo program, the first guest's promo code (TOPLASER6502) and the
    demo venue's name (unless the store has a name already)."""
    for staff_id, name, role, pin in DEMO_STAFF:
        salt = hashlib.sha256(staff_id.encode()).digest()[:16]
        uow.staff.add(make_record(staff_id, name, role, pin, salt))
    uow.settings.set(PROMO_PROGRAM_KEY, DEMO_PROMO_PROGRAM)
    if not venue_name(uow):
        set_venue_name(uow, DEMO_VENUE)
    guest_id, _, phone, *_ = GUESTS[0]
    uow.promo.add_code(PromoCodeRecord("TOPLASER6502", guest_id, normalise_phone(phone)))
    return len(DEMO_STAFF)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pos-app demo-data", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data-dir", help=f"where the till keeps its data (default: ${DATA_DIR_ENV} or the "
        "user data directory)"
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        store = open_till_store(args.data_dir, terminal_id="T1", receipt_prefix="T1")
        with store, store.unit_of_work() as uow:
            products = fill_catalogue(uow)
            guests = fill_guests(uow, datetime.now(UTC))
            staff = fill_till(uow)
            uow.commit()
            total_guests = uow.guests.count()
            points = sum(p for *_, p, _ in GUESTS)
    except StoreError as exc:
        print(f"pos-app demo-data: {exc}", file=sys.stderr)
        return 1
    print(f"Demo data in {store.path}")
    print(f"  {products} products in {len(CATALOGUE)} groups")
    print("  guest groups: " + ", ".join(f"{g.name} from {format_money(g.spend_threshold)}"
                                          for g in GROUPS))  # fmt: skip
    print(
        f"  {guests} demo guests ({total_guests} in the store), each with a stripe card "
        f"({card_number(1)}...) and an app QR code; {format_money(rub(points))} in bonus points"
    )
    print(f"  {staff} staff: cashier PIN 1111, manager 9999, operator 2222; "
          "promo code TOPLASER6502 (type 6502)")
    return 0
