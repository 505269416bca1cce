"""A promo code issued at one till is accepted at the next (issue 15, point 6a), through a real
``pos-server run`` on loopback: the code travels as a ``promo_code`` change of the feed.

Till C issued Olga's code earlier; till A pulls, sells to Pavel with Olga's code, and the sale
issues Pavel his own code; till B pulls and a buyer there uses Pavel's code, which the server
then credits to Pavel. Before the till applied ``promo_code`` changes, A and B both answered
"not known at this till".
"""

from __future__ import annotations

import uuid

from pos_app.commands.demo_data import fill_catalogue
from pos_app.commands.sync_runtime import SyncRuntime
from pos_app.db.uow import SystemClock, UuidGenerator
from pos_app.domain.operations import PromoIssued
from pos_app.services.guests import GuestService
from pos_app.services.promo import PromoService
from tests.sync.conftest import MakeTill, server_ops
from tests.sync.faultproxy import ServerProcess


def ready(make_till: MakeTill) -> SyncRuntime:
    till = make_till()
    with till.store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    return till


def promo(till: SyncRuntime) -> PromoService:
    return PromoService(till.store.unit_of_work, SystemClock(), UuidGenerator())


def latte_sale(till: SyncRuntime, phone: str | None = None) -> str:
    sale_id = till.sales.open_sale().sale_id
    till.sales.add_line(sale_id, product_id="latte")
    if phone:
        till.sales.identify_guest(sale_id, phone=phone)
    return sale_id


def verdicts(db_url: str, till: SyncRuntime) -> list[tuple[str, str]]:
    return [(kind, verdict) for _, kind, verdict, _ in server_ops(db_url, till.queue.terminal_id())]


def test_a_code_issued_at_one_till_is_accepted_at_the_next_after_it_pulls(
    make_till: MakeTill, server: ServerProcess
) -> None:
    db_url = server.db_url
    till_c, till_a, till_b = ready(make_till), ready(make_till), ready(make_till)
    suffix = uuid.uuid4().hex[:6]
    olga_code = f"PROMO9{int(suffix, 16) % 100_000:05d}"
    olga = GuestService(till_c.store.unit_of_work, SystemClock(), UuidGenerator())
    olga_panel = olga.create_guest(f"Olga {suffix}", phone=f"+7911{int(suffix, 16) % 10**7:07d}")
    with till_c.store.unit_of_work() as uow:  # Olga's code, issued at till C earlier
        uow.outbox.append(PromoIssued(code=olga_code, guest_id=olga_panel.guest_id,
                                      phone=olga_panel.phones[0]))
        uow.commit()
    till_c.worker.drain_once()
    assert verdicts(db_url, till_c) == [("guest.created", "applied"), ("promo.issued", "applied")]

    till_a.puller.pull()
    pavel = GuestService(till_a.store.unit_of_work, SystemClock(), UuidGenerator())
    pavel_phone = f"+7922{int(suffix, 16) % 10**7:07d}"
    pavel_id = pavel.create_guest(f"Pavel {suffix}", phone=pavel_phone).guest_id
    sale_a = latte_sale(till_a, pavel_phone)
    quote = promo(till_a).apply_code(sale_a, olga_code)  # Olga's code reached till A
    assert quote.owner_guest_id == olga_panel.guest_id
    till_a.payments.pay_cash(sale_a, till_a.sales.get_sale(sale_a).due)
    with till_a.store.unit_of_work() as uow:
        pavel_code = uow.promo.of_guest(pavel_id)
    assert pavel_code is not None and pavel_code.code != olga_code
    till_a.worker.drain_once()
    assert verdicts(db_url, till_a) == [
        ("guest.created", "applied"), ("sale.closed", "applied"),
        ("promo.redeemed", "applied"), ("promo.issued", "applied"),
        ("identifier.bound", "applied")]  # fmt: skip

    till_b.puller.pull()
    sale_b = latte_sale(till_b)
    digits = pavel_code.code.removeprefix("PROMO")
    accepted = promo(till_b).apply_code(sale_b, digits)  # typed as the cashier would

    assert (accepted.code, accepted.owner_guest_id) == (pavel_code.code, pavel_id)
    assert accepted.owner_name == f"Pavel {suffix}" and accepted.discount > 0
    till_b.payments.pay_cash(sale_b, till_b.sales.get_sale(sale_b).due)
    till_b.worker.drain_once()
    assert verdicts(db_url, till_b) == [
        ("sale.closed", "applied"), ("promo.redeemed", "applied")]
