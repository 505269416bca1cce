"""sale.refunded through POST /v1/ops: the whole sale back, balance and points returned, the
accrual and the referral cashback taken back, once."""

from __future__ import annotations

from typing import Any

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import MONEY, POINTS, AccountRow
from pos_server.db.models_till import SaleRefundRow
from tests.server.conftest import Till, add_staff_member, guest_payload, sale_payload

PAYMENTS = [{"method": "card", "amount": 44_000}, {"method": "balance", "amount": 10_000}]


def verdicts(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["status"], r["reason"]) for r in body["results"]]


def accounts(db_url: str, guest_id: str) -> tuple[int, int]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            bonus = session.get(AccountRow, (POINTS, guest_id))
            balance = session.get(AccountRow, (MONEY, guest_id))
            return (bonus.total if bonus else 0, balance.total if balance else 0)
    finally:
        engine.dispose()


def refund(sale_id: str, payments: list[dict[str, Any]] = PAYMENTS, *,
           lines: list[dict[str, int]] | None = None, part: str = "") -> dict[str, Any]:
    return {"refund_id": f"r-{sale_id}{part}", "sale_id": sale_id, "lines": lines or [],
            "receipt_no": "A-000001",
            "guest_id": "pavel", "refunded_at": "2026-11-23T12:00:00+00:00", "staff_id": "c1",
            "approved_by": "m1", "reason": "передумал", "payments": payments,
            "authorization": {"staff_id": "m1", "name": "Олег", "role": "manager",
                              "action": "refund", "at": "2026-11-23T12:00:00+00:00"}}  # fmt: skip


def test_a_refund_undoes_the_sale_for_the_guest_and_the_code_owner(
    till: Till, db_url: str
) -> None:
    add_staff_member(db_url, "kasia")
    add_staff_member(db_url, "m1", "manager")  # the refunds' approver
    till.push_ok(
        till.op("guest.created", guest_payload("olga", "Olga")),
        till.op("guest.created", {**guest_payload("pavel", "Pavel"), "phone": "+79220000002"}),
        till.op("balance.topped_up", {"guest_id": "pavel", "amount": 30_000,
                                       "staff_id": "kasia"}),
        till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}),
    )
    sale = sale_payload("pavel", payments=PAYMENTS)
    redeemed = {"sale_id": sale["sale_id"], "code": "TOPLASER6502", "owner_guest_id": "olga",
                "buyer_guest_id": "pavel", "paid_in_money": 54_000, "discount": 0,
                "cashback_bp": 1_000, "cashback": 5_400}  # fmt: skip
    till.push_ok(till.op("sale.closed", sale), till.op("promo.redeemed", redeemed))
    accrued, balance = accounts(db_url, "pavel")
    assert balance == 20_000 and accrued > 0 and accounts(db_url, "olga")[0] == 5_400
    body = till.push_ok(
        till.op("sale.refunded", refund(sale["sale_id"], PAYMENTS[:1])),  # not the whole sale
        till.op("sale.refunded", refund(sale["sale_id"])),
        till.op("sale.refunded", refund(sale["sale_id"])),
        till.op("sale.refunded", refund("no-such-sale")),
    )
    assert verdicts(body) == [("rejected", "totals_mismatch"), ("applied", None),
                              ("conflict", "already_refunded"), ("rejected", "sale_not_recorded")]
    assert accounts(db_url, "pavel") == (0, 30_000)  # accrual taken back, balance returned
    assert accounts(db_url, "olga")[0] == 0  # the cashback too
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        row = session.get_one(SaleRefundRow, f"r-{sale['sale_id']}")
        assert (row.total, row.accrual_taken_back, row.cashback_taken_back) == (
            54_000, accrued, 5_400)
    engine.dispose()


def test_refunds_by_line_give_back_parts_never_more_than_the_sale(
    till: Till, db_url: str
) -> None:
    add_staff_member(db_url, "kasia")
    add_staff_member(db_url, "m1", "manager")  # the refunds' approver
    till.push_ok(
        till.op("guest.created", guest_payload("olga", "Olga")),
        till.op("guest.created", {**guest_payload("pavel", "Pavel"), "phone": "+79220000002"}),
        till.op("balance.topped_up", {"guest_id": "pavel", "amount": 30_000,
                                       "staff_id": "kasia"}),
        till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}),
    )
    sale = sale_payload("pavel", payments=PAYMENTS)  # card 440 ₽, balance 100 ₽
    sale_id = sale["sale_id"]
    redeemed = {"sale_id": sale_id, "code": "TOPLASER6502", "owner_guest_id": "olga",
                "buyer_guest_id": "pavel", "paid_in_money": 54_000, "discount": 0,
                "cashback_bp": 1_000, "cashback": 5_400}  # fmt: skip
    till.push_ok(till.op("sale.closed", sale), till.op("promo.redeemed", redeemed))
    accrued = accounts(db_url, "pavel")[0]
    cookie = [{"line_no": 2, "quantity": 1, "amount": 9_000}]
    latte = [{"line_no": 1, "quantity": 1, "amount": 22_500}]
    body = till.push_ok(
        till.op("sale.refunded", refund(sale_id, [{"method": "balance", "amount": 9_000}],
                                        lines=cookie, part="-1")),
        till.op("sale.refunded", refund(sale_id, [{"method": "balance", "amount": 2_000},
                                                  {"method": "card", "amount": 20_500}],
                                        lines=latte, part="-x")),  # 20 ₽ of balance: 10 left
        till.op("sale.refunded", refund(sale_id, [{"method": "card", "amount": 22_500}],
                                        lines=latte, part="-2")),
        till.op("sale.refunded", refund(sale_id, part="-full")),  # the whole: no longer
        till.op("sale.refunded", refund(sale_id, [{"method": "balance", "amount": 1_000},
                                                  {"method": "card", "amount": 21_500}],
                                        lines=latte, part="-3")),
        till.op("sale.refunded", refund(sale_id, [{"method": "card", "amount": 1}],
                                        lines=[{"line_no": 1, "quantity": 1, "amount": 1}],
                                        part="-4")),
    )
    assert verdicts(body) == [("applied", None), ("rejected", "refund_too_large"),
                              ("applied", None), ("conflict", "already_refunded"),
                              ("applied", None), ("conflict", "already_refunded")]
    assert accounts(db_url, "pavel") == (0, 30_000)  # all the accrual back, the balance too
    assert accounts(db_url, "olga")[0] == 0
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        first = session.get_one(SaleRefundRow, f"r-{sale_id}-1")
        assert (first.total, first.accrual_taken_back, first.cashback_taken_back) == (
            9_000, accrued * 9_000 // 54_000, 900)
        assert first.by_method == {"balance": 9_000}
    engine.dispose()


def test_the_tills_refund_payload_is_what_the_server_reads() -> None:
    from pos_app.domain.catalog import Product
    from pos_app.services.staff import Action
    from pos_app.services.till import TillServices
    from tests.services.fakes import FakeClock, FakeIds, FakeStore

    store = FakeStore()
    with store() as uow:
        uow.products.add(Product("latte", "Латте", 18_000))
        uow.commit()
    till = TillServices.build(store, FakeClock(), FakeIds())
    till.staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
    till.staff.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
    sale_id = till.sales.open_sale().sale_id
    till.sales.add_line(sale_id, product_id="latte")
    till.payments.pay_cash(sale_id, 20_000)
    till.refunds.refund_sale(till.staff.sign_in("1111"), sale_id=sale_id,
                             approval=till.staff.authorize_manager("9999", Action.REFUND))
    from pos_app.domain.operations import SaleRefunded

    refunded = SaleRefunded.from_json(dict(store.pending[-1].payload))
    assert [(p.method, p.amount) for p in refunded.payments] == [("cash", 18_000)]


def test_a_refund_whose_approver_the_server_does_not_confirm_stands_and_is_listed(
    till: Till, db_url: str
) -> None:
    """Issue 16 point 4: a refund gives a sale's balance and points back; one approved by
    nobody the server knows as an active manager or admin is applied (the till already gave
    the money back) but listed for managers and named in the verdict."""
    from sqlalchemy import select

    from pos_server.db.models_ledger import RuleBreachRow

    add_staff_member(db_url, "kasia")
    add_staff_member(db_url, "c2")  # a cashier: no refund permission
    add_staff_member(db_url, "m1", "manager")
    till.push_ok(
        till.op("guest.created", {**guest_payload("pavel", "Pavel"), "phone": "+79220000002"}),
        till.op("balance.topped_up", {"guest_id": "pavel", "amount": 30_000,
                                       "staff_id": "kasia"}),
    )  # fmt: skip
    sales = [sale_payload("pavel", payments=PAYMENTS) for _ in range(3)]
    till.push_ok(*(till.op("sale.closed", sale) for sale in sales))
    body = till.push_ok(*(till.op("sale.refunded", {**refund(sale["sale_id"]),
                                                    "approved_by": approver})
                          for sale, approver in zip(sales, ("m1", "nobody", "c2"),
                                                    strict=True)))  # fmt: skip
    assert verdicts(body) == [("applied", None), ("applied", "refund_approver_unconfirmed"),
                              ("applied", "refund_approver_unconfirmed")]  # fmt: skip
    assert "without the refund permission" in body["results"][2]["message"]
    assert accounts(db_url, "pavel")[1] == 30_000  # every balance part given back
    engine = make_engine(db_url)
    with make_sessions(engine)() as session:
        listed = session.execute(select(RuleBreachRow.rule, RuleBreachRow.ref,
                                        RuleBreachRow.amount, RuleBreachRow.guest_id)
                                 .where(RuleBreachRow.ref.in_(
                                     [f"r-{sale['sale_id']}" for sale in sales]))
                                 .order_by(RuleBreachRow.id)).all()  # fmt: skip
    engine.dispose()
    assert [tuple(row) for row in listed] == [
        ("refund_approver", f"r-{sales[1]['sale_id']}", 54_000, "pavel"),
        ("refund_approver", f"r-{sales[2]['sale_id']}", 54_000, "pavel")]


def test_the_servers_refund_roles_are_the_tills_refund_permission() -> None:
    from pos_app.domain.staff_pins import Role
    from pos_app.services.staff import ROLE_PERMISSIONS, Action
    from pos_server.ops.refund_kinds import REFUND_ROLES

    assert {role for role in Role if Action.REFUND in ROLE_PERMISSIONS[role]} == REFUND_ROLES
