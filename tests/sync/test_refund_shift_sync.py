"""Refunds by line and a shift's cash movements reach a real ``pos-server run`` (issue 22
points 5-6): a sale refunded in two parts (one latte, then the rest) and the shift's cash in /
out with a counted shortage and its reason, made by the till's services on its SQLite store and
delivered by its sync worker; the server applies every operation and keeps each refund's parts
and the Z report's movement lines. The till's reports carry the name it was enrolled under."""

from __future__ import annotations

from pos_app.commands.demo_data import fill_catalogue
from pos_app.domain.money import rub
from pos_app.services.shifts import report_lines
from pos_app.services.staff import Action
from pos_server.db import make_engine, make_sessions
from pos_server.db.models_till import SaleRefundRow, ShiftRow
from tests.sync.conftest import MakeTill, server_ops
from tests.sync.faultproxy import ServerProcess


def test_parts_of_a_refund_and_the_shifts_cash_lines_are_applied_by_the_server(
    make_till: MakeTill, server: ServerProcess
) -> None:
    runtime = make_till()
    with runtime.store.unit_of_work() as uow:
        fill_catalogue(uow)
        uow.commit()
    till = runtime.till
    till.staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
    till.staff.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
    cashier = till.staff.sign_in("1111")
    till.shifts.open_shift(cashier, rub(1_000))
    sale_id = till.sales.open_sale().sale_id
    till.sales.add_line(sale_id, product_id="latte", quantity=2)
    till.sales.add_line(sale_id, product_id="croissant")
    due = till.sales.get_sale(sale_id).due
    till.payments.pay_cash(sale_id, due)
    till.shifts.cash_in(cashier, rub(500), "размен")
    first = till.refunds.refund(cashier, sale_id, {1: 1}, reason="остыл",
                                approval=till.staff.authorize_manager("9999", Action.REFUND))
    rest = till.refunds.refund_sale(cashier, sale_id=sale_id,
                                    approval=till.staff.authorize_manager("9999", Action.REFUND))
    assert first.cash_to_return + rest.cash_to_return == due
    runtime.worker.drain_once()
    z = till.shifts.close_shift(cashier, rub(1_490), reason="монета упала")  # 10 ₽ short
    assert z.difference == -rub(10)
    # enrolled as "Till" (``pos-server terminal add Till``): the report says so, not the id
    assert z.terminal_name == "Till" and "касса Till" in report_lines(z)[1]
    assert z.terminal_id not in report_lines(z)[1]
    runtime.worker.drain_once()
    judged = server_ops(server.db_url, runtime.queue.terminal_id())
    assert [(kind, verdict) for _, kind, verdict, _ in judged] == [
        ("shift.opened", "applied"), ("sale.closed", "applied"), ("sale.refunded", "applied"),
        ("sale.refunded", "applied"), ("shift.closed", "applied")]
    engine = make_engine(server.db_url)
    try:
        with make_sessions(engine)() as session:
            parts = sorted((r.total, r.by_method) for r in session.query(SaleRefundRow)
                           .filter(SaleRefundRow.sale_id == sale_id))  # fmt: skip
            assert parts == sorted([(first.cash_to_return, {"cash": first.cash_to_return}),
                                    (rest.cash_to_return, {"cash": rest.cash_to_return})])
            shift = session.get_one(ShiftRow, z.shift_id)
            assert shift.report is not None
            assert shift.report["difference_reason"] == "монета упала"
            assert [(m["kind"], m["amount"], m["reason"]) for m in shift.report["movements"]] == [
                ("in", rub(500), "размен")]
    finally:
        engine.dispose()
