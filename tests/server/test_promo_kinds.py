"""promo.issued / promo.redeemed and shift.opened / shift.closed through POST /v1/ops."""

from __future__ import annotations

from typing import Any

from pos_server.db import make_engine, make_sessions
from pos_server.db.models import POINTS, AccountRow, PostingRow
from pos_server.db.models_till import PromoRedemptionRow, ShiftRow
from tests.server.conftest import Till, guest_payload, sale_payload


def verdicts(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["status"], r["reason"]) for r in body["results"]]


def with_session(db_url: str) -> Any:
    return make_sessions(make_engine(db_url))()


def _guests(till: Till) -> None:
    till.push_ok(
        till.op("guest.created", guest_payload("olga", "Olga")),
        till.op("guest.created", {**guest_payload("pavel", "Pavel"), "phone": "+79220000002"}),
    )


def _redeemed(sale_id: str, **override: Any) -> dict[str, Any]:
    payload = {"sale_id": sale_id, "code": "TOPLASER6502", "owner_guest_id": "olga",
               "buyer_guest_id": "pavel", "paid_in_money": 54_000, "discount": 5_000,
               "cashback_bp": 1_000, "cashback": 5_400}
    return {**payload, **override}


def test_a_redeemed_code_credits_the_owner_once(till: Till, db_url: str) -> None:
    _guests(till)
    sale = sale_payload("pavel", payments=[{"method": "card", "amount": 54_000}])
    body = till.push_ok(
        till.op("promo.issued", {"code": "toplaser6502", "guest_id": "olga",
                                 "phone": "8 912 123-45-67"}),
        till.op("sale.closed", sale),
        till.op("promo.redeemed", _redeemed(sale["sale_id"])),
        till.op("promo.redeemed", _redeemed(sale["sale_id"])),
    )
    assert verdicts(body) == [("applied", None), ("applied", None), ("applied", None),
                              ("conflict", "already_redeemed")]
    with with_session(db_url) as session:
        assert session.get_one(AccountRow, (POINTS, "olga")).total == 5_400  # 10 % of 540 ₽
        posting = session.query(PostingRow).filter_by(account_kind=POINTS, account_id="olga").one()
        assert (posting.kind, posting.ref, posting.reason) == ("credit", sale["sale_id"],
                                                               "referral cashback")
        assert session.get_one(PromoRedemptionRow, sale["sale_id"]).cashback == 5_400
    changes = till.client.get("/v1/changes", headers=till.headers).json()["changes"]
    assert {"code": "TOPLASER6502", "guest_id": "olga", "phone": "+79121234567"} in [
        c["data"] for c in changes if c["entity"] == "promo_code"]


def test_redemptions_that_break_a_rule_are_rejected(till: Till) -> None:
    _guests(till)
    sale = sale_payload("pavel", payments=[{"method": "card", "amount": 54_000}])
    body = till.push_ok(
        till.op("promo.issued", {"code": "TOPLASER6502", "guest_id": "olga"}),
        till.op("promo.redeemed", _redeemed(sale["sale_id"])),  # the sale is not there yet
        till.op("sale.closed", sale),
        till.op("promo.redeemed", _redeemed(sale["sale_id"], code="TOPLASER1")),
        till.op("promo.redeemed", _redeemed(sale["sale_id"], buyer_guest_id="olga")),
        till.op("promo.redeemed", _redeemed(sale["sale_id"], owner_guest_id="pavel")),
        till.op("promo.redeemed", _redeemed(sale["sale_id"], paid_in_money=60_000)),
    )
    assert verdicts(body) == [
        ("applied", None), ("rejected", "sale_not_recorded"), ("applied", None),
        ("rejected", "unknown_promo_code"), ("rejected", "own_promo_code"),
        ("rejected", "promo_owner_mismatch"), ("rejected", "totals_mismatch")]


def test_a_phone_keeps_its_code_and_a_code_is_never_shared(till: Till) -> None:
    _guests(till)
    body = till.push_ok(
        till.op("promo.issued", {"code": "TOPLASER7001", "guest_id": "pavel",
                                 "phone": "+79220000002"}),
        till.op("promo.issued", {"code": "TOPLASER7001", "guest_id": "pavel"}),
        till.op("promo.issued", {"code": "TOPLASER7002", "guest_id": "pavel",
                                 "phone": "89220000002"}),
        till.op("promo.issued", {"code": "TOPLASER7001", "guest_id": "olga"}),
        till.op("promo.issued", {"code": "TOPLASER7003", "guest_id": "nobody"}),
    )
    assert verdicts(body) == [("applied", None), ("applied", None),
                              ("conflict", "phone_has_code"), ("rejected", "promo_code_taken"),
                              ("rejected", "unknown_guest")]
    assert body["results"][2]["current"]["code"] == "TOPLASER7001"


MOVES = [{"kind": "in", "amount": 10_000, "reason": "размен", "at": "2026-11-23T09:00:00+00:00",
          "staff_id": "c1"},
         {"kind": "out", "amount": 10_000, "reason": "инкассация",
          "at": "2026-11-23T19:00:00+00:00", "staff_id": "c1"}]  # fmt: skip


def _shift_closed(**override: Any) -> dict[str, Any]:
    payload = {
        "shift_id": "sh-1", "number": 1, "terminal_id": "T1",
        "opened_at": "2026-11-23T08:00:00+00:00", "closed_at": "2026-11-23T20:00:00+00:00",
        "opened_by": "c1", "closed_by": "c1", "opening_cash": 500_000, "cash_in": 0,
        "cash_out": 0, "sales_count": 2, "sales_total": 40_500,
        "by_method": {"cash": 40_500, "card": 0, "balance": 0, "points": 0},
        "discounts": 2_500, "refunds_count": 0, "refunds_total": 0, "points_spent": 0,
        "expected_cash": 540_500, "counted_cash": 540_000, "difference": -500,
        "pending_operations": 0, "authorized_by": None, "authorization": None,
    }  # fmt: skip
    return {**payload, **override}


def test_shifts_are_recorded_with_their_z_report(till: Till, db_url: str) -> None:
    opened = {"shift_id": "sh-1", "terminal_id": "T1", "number": 1,
              "opened_at": "2026-11-23T08:00:00+00:00", "opened_by": "c1",
              "opening_cash": 500_000}
    body = till.push_ok(
        till.op("shift.closed", _shift_closed(shift_id="sh-0")),
        till.op("shift.opened", opened),
        till.op("shift.opened", opened),
        till.op("shift.closed", _shift_closed(difference=0)),
        till.op("shift.closed", _shift_closed(cash_in=10_000, movements=MOVES)),  # out missing
        till.op("shift.closed", _shift_closed(cash_in=10_000, cash_out=10_000,
                                              movements=MOVES, difference_reason="размен")),
        till.op("shift.closed", _shift_closed()),
    )
    assert verdicts(body) == [("rejected", "unknown_shift"), ("applied", None),
                              ("conflict", "shift_exists"), ("rejected", "totals_mismatch"),
                              ("rejected", "totals_mismatch"), ("applied", None),
                              ("conflict", "shift_closed")]
    with with_session(db_url) as session:
        row = session.get_one(ShiftRow, "sh-1")
        assert (row.terminal_id, row.counted_cash, row.expected_cash) == (
            till.terminal_id, 540_000, 540_500)
        assert row.report is not None and row.report["by_method"]["cash"] == 40_500
        assert row.report["difference_reason"] == "размен"
        assert [(m["kind"], m["amount"]) for m in row.report["movements"]] == [
            ("in", 10_000), ("out", 10_000)]


def test_the_tills_own_shift_and_promo_payloads_are_what_the_server_accepts(till: Till) -> None:
    """A contract test: the payloads come from the till's services, not from this file."""
    from pos_app.domain.catalog import Product
    from pos_app.domain.guests import Guest
    from pos_app.services.payments import PaymentService
    from pos_app.services.promo import PromoService
    from pos_app.services.sales import SaleService
    from pos_app.services.shifts import ShiftService
    from pos_app.services.staff import StaffService
    from tests.services.fakes import FakeClock, FakeIds, FakeStore

    store, clock = FakeStore(), FakeClock()
    staff = StaffService(store, clock)
    staff.add_staff("c1", "Ирина", "cashier", "1111", bytes(16))
    staff.add_staff("m1", "Олег", "manager", "9999", bytes(range(16)))
    cashier = staff.sign_in("1111")
    shifts = ShiftService(store, clock, FakeIds("shift"), staff)
    shifts.open_shift(cashier, 500_000)
    shifts.cash_in(cashier, 10_000, "размен")
    shifts.close_shift(cashier, 509_000, manager_pin="9999",  # shift.opened still waiting
                       reason="short by 10")
    with store() as uow:
        uow.guests.add(Guest("pavel", "Павел", ("+79220000002",)))
        uow.products.add(Product("laser", "Лазер", 1_250_000))
        uow.settings.set("promo.program", {"prefix": "TOPLASER", "digits": 4})
        uow.commit()
    sales = SaleService(store, clock, FakeIds("sale"))
    promo = PromoService(store, clock, FakeIds("p"))
    promo.upsert_from_feed({"code": "TOPLASER6502", "guest_id": "olga"})
    payments = PaymentService(store, clock, FakeIds("pay"), sales,
                              promo_digits=lambda n: lambda: "7001")
    sale_id = sales.open_sale().sale_id
    sales.add_line(sale_id, product_id="laser")
    sales.identify_guest(sale_id, phone="+79220000002")
    promo.apply_code(sale_id, "TOPLASER6502")
    payments.pay_cash(sale_id, 1_062_500)
    pending = {e.kind: dict(e.payload) for e in store.pending}
    _guests(till)
    body = till.push_ok(*(till.op(kind, pending[kind])
                          for kind in ("shift.opened", "shift.closed", "promo.issued",
                                       "identifier.bound", "sale.closed")))
    assert verdicts(body) == [("applied", None)] * 5  # the sale as the till stored it
    redeemed = till.push_ok(till.op("promo.redeemed", pending["promo.redeemed"]))
    assert verdicts(redeemed) == [("rejected", "unknown_promo_code")]  # olga's code: the feed's
