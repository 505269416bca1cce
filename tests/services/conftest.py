"""A small café for the sale use cases, on the in-memory fakes and on real SQLite alike."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pos_app.db import open_store
from pos_app.domain.catalog import DiscountScope, Product
from pos_app.domain.groups import GuestGroup
from pos_app.domain.guests import Guest
from pos_app.domain.identifiers import Identifier, InputMethod, Medium
from pos_app.domain.money import Percent, rub
from pos_app.services.payments import PaymentService
from pos_app.services.ports import OutboxEntry, UnitOfWorkFactory
from pos_app.services.sales import SaleService
from pos_app.services.till import TillServices
from tests.services.fakes import FakeClock, FakeIds, FakeStore

LATTE = Product("latte", "Латте", rub(180), "coffee", frozenset({"напитки"}), "4600000000017")
CAKE = Product("cake", "Чизкейк", rub(250), "desserts", frozenset({"десерты"}), "4600000000024")
HOUR = Product("pc-hour", "Час игры (PC)", rub(150), "gaming")
FIVE = GuestGroup("g5", "Гость 5 %", Percent.of(5), rub(500), auto_move=True)
TEN = GuestGroup("g10", "Гость 10 %", Percent.of(10), rub(1_000), auto_move=True)
DRINKS_15 = GuestGroup(
    "g-drinks", "Кофеман", Percent.of(15), scope=DiscountScope(tags=frozenset({"напитки"}))
)
ANNA = Guest("anna", "Анна Смирнова", ("+7 912 123-45-67",), group_id="g10")
BORIS = Guest("boris", "Борис Козлов", ("89221112233",), group_id="g-drinks")
ANNA_CARD = "7000000000000017"


@dataclass
class Shop:
    service: SaleService
    uow: UnitOfWorkFactory
    pending: Callable[[], list[OutboxEntry]]
    pay: PaymentService  # cash (no card terminal) on the same clock: what closes a sale


def _shop(uow: UnitOfWorkFactory, pending: Callable[[], list[OutboxEntry]]) -> Shop:
    till = TillServices.build(uow, FakeClock(), FakeIds())  # as every till is wired
    return Shop(till.sales, uow, pending, till.payments)


def seed(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        for group_id, name in (("coffee", "Кофе"), ("desserts", "Десерты"), ("gaming", "Игры")):
            uow.products.add_group(group_id, name)
        for product in (LATTE, CAKE, HOUR):
            uow.products.add(product)
        for group in (FIVE, TEN, DRINKS_15):
            uow.groups.add(group)
        uow.guests.add(ANNA)
        uow.guests.add(BORIS)
        uow.guests.add_identifier(Identifier(Medium.CARD, InputMethod.MSR, ANNA_CARD), "anna")
        qr = Identifier(Medium.GUEST_APP, InputMethod.BARCODE, "QR-BORIS")
        uow.guests.add_identifier(qr, "boris")
        uow.accounts.set_snapshot("anna-bonus", "anna", "bonus", total=rub(300), held=rub(50),
                                  at=FakeClock().now())
        uow.commit()


@pytest.fixture(params=["fake", "sqlite"])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Shop]:
    """The same café on the in-memory fakes and on a real SQLite store in a temp dir."""
    if request.param == "fake":
        fake = FakeStore()
        seed(fake)
        yield _shop(fake, lambda: list(fake.pending))
        return
    store = open_store(tmp_path / "till.sqlite3", terminal_id="T1", receipt_prefix="T1")
    seed(store.unit_of_work)

    def pending() -> list[OutboxEntry]:
        with store.unit_of_work() as uow:
            return list(uow.outbox.pending())

    yield _shop(store.unit_of_work, pending)
    store.close()
