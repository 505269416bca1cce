"""One example operation of every kind (``pos_app.domain.operations``), for tests that need an
operation of some kind without running the till service that writes it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pos_app.domain.guest_card import GUEST_FIELDS, ContactLabel, ContactType, Sex
from pos_app.domain.identifiers import InputMethod, Medium
from pos_app.domain.operations import (
    AccountAdjusted,
    Approval,
    BalanceToppedUp,
    CashMove,
    ContactEntry,
    GroupScope,
    GuestContactsSet,
    GuestCreated,
    GuestLoyaltySet,
    GuestUpdated,
    HoldCommitted,
    HoldPlaced,
    HoldReleased,
    IdentifierBlocked,
    IdentifierBound,
    IdentifierReplaced,
    LoyaltyOverride,
    Operation,
    OrderAccepted,
    OrderCancelled,
    OrderCompleted,
    OrderItemDelivered,
    OrderPaid,
    OrderVoided,
    PromoIssued,
    PromoRedeemed,
    RefundedItem,
    RefundedPayment,
    SaleCancelled,
    SaleClosed,
    SaleGroup,
    SaleGuest,
    SaleLine,
    SalePayment,
    SaleRefunded,
    SaleTotals,
    ShiftClosed,
    ShiftOpened,
)
from pos_app.domain.orders import PaymentMethod

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def sale_closed(guest_id: str | None = "anna", sale_id: str = "s-1", **change: Any
                ) -> SaleClosed:  # fmt: skip
    """A latte for 180 ₽ paid in cash (200 tendered), by ``guest_id`` when given."""
    guest = None if guest_id is None else SaleGuest(guest_id=guest_id, name="Anna",
                                                    identified_by="msr")  # fmt: skip
    sale = SaleClosed(
        sale_id=sale_id, terminal_id="T1", receipt_no="T1-000001", opened_at=AT, closed_at=AT,
        guest=guest, group=None,
        lines=(SaleLine(line_no=1, product_id="latte", name="Латте", product_group_id="coffee",
                        tags=("hot",), quantity=1, unit_price=18_000, subtotal=18_000,
                        discount=0, total=18_000),),
        payments=(SalePayment(method="cash", amount=18_000, tendered=20_000, change=2_000,
                              at=AT),),
        totals=SaleTotals(subtotal=18_000, discount=0, total=18_000, paid=20_000, change=2_000),
    )  # fmt: skip
    return replace(sale, **change)


def examples() -> list[Operation]:
    """Every kind, its optional parts filled in (so none goes unchecked)."""
    group = SaleGroup(group_id="g10", name="Десять", discount_bp=1_000,
                      scope=GroupScope(product_group_ids=("coffee",), product_ids=(),
                                       tags=("hot",)))  # fmt: skip
    closed = sale_closed(
        group=group, offline=True,
        lines=(SaleLine(line_no=1, product_id="latte", name="Латте", product_group_id="coffee",
                        tags=("hot",), quantity=2, unit_price=10_000, subtotal=20_000,
                        discount=2_000, total=18_000),),
        payments=(SalePayment(method="cash", amount=8_000, tendered=10_000, change=2_000, at=AT),
                  SalePayment(method="points", amount=10_000, tendered=10_000, change=0, at=AT,
                              hold_id="h-1")),
        totals=SaleTotals(subtotal=20_000, discount=2_000, total=18_000, paid=18_000, change=0),
        loyalty_override=LoyaltyOverride(accrual_bp=1_000, max_redemption_bp=None,
                                         approved_by="m1"),
    )  # fmt: skip
    approval = Approval(staff_id="m1", name="Олег", role="manager", action="refund", at=AT)
    return [
        closed,
        SaleCancelled(
            sale_id="s-2", terminal_id="T1", opened_at=AT, cancelled_at=AT, guest=closed.guest,
            group=group, lines=closed.lines, payments=closed.payments[:1],
            totals=replace(closed.totals, paid=8_000), refund=8_000, offline=False,
        ),
        SaleRefunded(refund_id="r-1", sale_id="s-1", receipt_no="T1-000001", guest_id="anna",
                     refunded_at=AT, staff_id="c1", approved_by="m1", reason="cold",
                     payments=(RefundedPayment(method="cash", amount=8_000),
                               RefundedPayment(method="points", amount=10_000)),
                     authorization=approval,
                     lines=(RefundedItem(line_no=1, quantity=1, amount=18_000),)),
        GuestCreated(guest_id="anna", name="Анна", phone="+79121234567"),
        IdentifierBound(guest_id="anna", medium=Medium.CARD, method=InputMethod.MSR,
                        value="4000123412341234", staff_id="c1"),
        GuestUpdated(guest_id="anna", staff_id="c1", changed_at=AT,
                     fields=GUEST_FIELDS, name="Анна Петрова", birthday="1990-05-17",
                     sex=Sex.FEMALE, note="овсяное молоко", group_id="g10",
                     cabinet_login_allowed=True, ordering_allowed=False,
                     registration_skipped=True),
        GuestContactsSet(guest_id="anna", staff_id="c1", changed_at=AT, contacts=(
            ContactEntry(type=ContactType.PHONE, label=ContactLabel.MOBILE,
                         value="+79121234567"),
            ContactEntry(type=ContactType.EMAIL, label=ContactLabel.WORK,
                         value="anna@example.com"))),
        GuestLoyaltySet(guest_id="anna", staff_id="m1", changed_at=AT, accrual_bp=1_000,
                        max_redemption_bp=3_000),
        IdentifierBlocked(guest_id="anna", value="4000123412341234", staff_id="c1",
                          reason="broken"),
        IdentifierReplaced(guest_id="anna", old_value="4000123412341234", medium=Medium.CARD,
                           method=InputMethod.BARCODE, value="4000999912341234", staff_id="c1",
                           reason="lost"),
        AccountAdjusted(adjustment_id="adj-1", guest_id="anna", account="points",
                        direction="credit", amount=50_000, staff_id="m1", reason="подарок"),
        HoldPlaced(hold_id="h-1", guest_id="anna", amount=10_000, offline=True, ref="s-1"),
        HoldCommitted(hold_id="h-1", amount=10_000),
        HoldReleased(hold_id="h-2"),
        BalanceToppedUp(guest_id="anna", amount=50_000, ref="top-1", staff_id="kasia"),
        OrderAccepted(order_id="o-1"),
        OrderCancelled(order_id="o-1"),
        OrderVoided(order_id="o-1"),
        OrderCompleted(order_id="o-1"),
        OrderItemDelivered(order_id="o-1", line_id="1"),
        OrderPaid(order_id="o-1", method=PaymentMethod.CARD),
        ShiftOpened(shift_id="sh-1", terminal_id="T1", number=1, opened_at=AT, opened_by="c1",
                    opening_cash=100_000),
        ShiftClosed(shift_id="sh-1", number=1, terminal_id="T1", opened_at=AT, closed_at=AT,
                    opened_by="c1", closed_by="c1", opening_cash=100_000, cash_in=5_000,
                    cash_out=5_000, sales_count=1, sales_total=18_000,
                    by_method={"cash": 8_000, "points": 10_000}, discounts=2_000,
                    refunds_count=0, refunds_total=0, points_spent=10_000,
                    expected_cash=108_000, counted_cash=107_900, difference=-100,
                    pending_operations=1, authorized_by="m1",
                    authorization=replace(approval, action="close_shift"),
                    movements=(CashMove(kind="in", amount=5_000, reason="change", at=AT,
                                        staff_id="c1"),
                               CashMove(kind="out", amount=5_000, reason="bank", at=AT,
                                        staff_id="c1")),
                    difference_reason="a coin fell"),
        PromoIssued(code="PROMO123456", guest_id="anna", phone="+79121234567"),
        PromoRedeemed(sale_id="s-1", code="PROMO123456", owner_guest_id="anna",
                      buyer_guest_id="boris", paid_in_money=8_000, discount=2_000,
                      cashback_bp=500, cashback=400),
    ]  # fmt: skip


def _int(value: Any) -> int:
    return value if type(value) is int else 0


def till_sale(compact: dict[str, Any]) -> dict[str, Any]:
    """The till's full ``sale.closed`` record (``pos_app.domain.operations.SaleClosed``) of a
    sale written in short: ``guest_id``, lines and payments with only what the server stores,
    and ``total``. Every other key is kept as it is, so a test may still send any value in
    any place (junk stays junk: a subtotal of junk is 0)."""
    sale = dict(compact)
    guest_id = sale.pop("guest_id", None)
    total = sale.pop("total", None)
    closed_at = sale.get("closed_at", sale.get("cancelled_at"))
    lines = sale.get("lines")
    if isinstance(lines, list):
        sale["lines"] = [
            {"product_group_id": None, "tags": [], "discount": 0,
             "subtotal": _int(line.get("quantity")) * _int(line.get("unit_price")), **line}
            if isinstance(line, dict) else line
            for line in lines
        ]  # fmt: skip
    payments = sale.get("payments")
    if isinstance(payments, list):
        sale["payments"] = [
            {"tendered": _int(p.get("amount")), "change": 0, "at": closed_at, **p}
            if isinstance(p, dict) else p
            for p in payments
        ]  # fmt: skip
    full_lines = [ln for ln in sale.get("lines") or () if isinstance(ln, dict)]
    sale.setdefault("terminal_id", "T1")
    sale.setdefault("guest", None if guest_id is None else {
        "guest_id": guest_id, "name": "Guest", "identified_by": "msr"})  # fmt: skip
    sale.setdefault("group", None)
    sale.setdefault("totals", {
        "subtotal": sum(_int(ln.get("subtotal")) for ln in full_lines),
        "discount": sum(_int(ln.get("discount")) for ln in full_lines),
        "total": total, "paid": _int(total), "change": 0,
    })  # fmt: skip
    return sale
