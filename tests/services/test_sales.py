"""Sale use cases as the cashier runs them, on the fakes and on real SQLite (``shop`` fixture)."""

from __future__ import annotations

import pytest

from pos_app.domain.identifiers import InputMethod
from pos_app.domain.money import rub
from pos_app.domain.pricing import InvalidQuantity
from pos_app.domain.sale import EmptySale, NotPaidInFull, SaleNotOpen
from pos_app.services.sales import AmbiguousPhone, GuestNotFound, ProductNotFound, SaleNotFound
from tests.services.conftest import ANNA_CARD, Shop


def test_given_a_basket_when_scanned_then_lines_and_totals_show(shop: Shop) -> None:
    sale = shop.service.open_sale()
    shop.service.add_line(sale.sale_id, barcode="4600000000017", quantity=2)
    view = shop.service.add_line(sale.sale_id, product_id="cake")
    assert [(line.name, line.quantity, line.total) for line in view.lines] == [
        ("Латте", 2, rub(360)),
        ("Чизкейк", 1, rub(250)),
    ]
    assert (view.subtotal, view.discount, view.total, view.due) == (rub(610), 0, rub(610), rub(610))
    assert shop.pending() == []  # basket edits are local until the sale closes


def test_identified_guest_gets_the_group_discount_at_once(shop: Shop) -> None:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte", quantity=2)
    shop.service.add_line(sale_id, product_id="cake")
    view = shop.service.identify_guest(
        sale_id, identifier=f";{ANNA_CARD}=2512?", method=InputMethod.MSR
    )
    assert view.guest is not None and view.guest.name == "Анна Смирнова"
    assert view.guest.group is not None and view.guest.group.discount_bp == 1_000
    assert view.guest.bonus_available == rub(250)
    assert (view.discount, view.total) == (rub(61), rub(549))


def test_identify_by_phone_in_any_format_with_a_scoped_discount(shop: Shop) -> None:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte")
    shop.service.add_line(sale_id, product_id="pc-hour")
    view = shop.service.identify_guest(sale_id, phone="+7 (922) 111-22-33")
    assert view.guest is not None and view.guest.guest_id == "boris"
    latte, hour = view.lines
    assert (latte.discount, hour.discount) == (rub(27), 0)  # 15 % on drinks only


def test_unknown_card_and_phone_are_clear_errors(shop: Shop) -> None:
    sale_id = shop.service.open_sale().sale_id
    with pytest.raises(GuestNotFound, match="card or code"):
        shop.service.identify_guest(sale_id, identifier="NOPE", method=InputMethod.MANUAL)
    with pytest.raises(GuestNotFound, match=r"phone number \+79000000000") as err:
        shop.service.identify_guest(sale_id, phone="8 (900) 000-00-00")
    assert err.value.details["method"] == "phone"
    assert shop.service.get_sale(sale_id).guest is None


def test_a_phone_shared_by_two_guests_asks_for_the_card(shop: Shop) -> None:
    from pos_app.domain.guests import Guest

    with shop.uow() as uow:
        uow.guests.add(Guest("twin", "Анна Смирнова-младшая", ("+79121234567",)))
        uow.commit()
    sale_id = shop.service.open_sale().sale_id
    with pytest.raises(AmbiguousPhone):
        shop.service.identify_guest(sale_id, phone="8 912 123 45 67")


def test_cash_gives_change_closes_the_sale_and_writes_sale_closed(shop: Shop) -> None:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte", quantity=2)
    shop.service.identify_guest(sale_id, identifier=ANNA_CARD, method=InputMethod.MANUAL)
    result = shop.pay.pay_cash(sale_id, rub(500))
    assert (result.amount, result.change) == (rub(324), rub(176))
    assert result.sale.status == "closed"
    assert result.sale.receipt_no == "T1-000001"
    [op] = shop.pending()
    assert (op.kind, op.seq, op.terminal_id) == ("sale.closed", 1, "T1")
    payload = op.payload
    assert payload["sale_id"] == sale_id
    assert payload["receipt_no"] == "T1-000001"
    assert payload["guest"] == {
        "guest_id": "anna", "name": "Анна Смирнова", "identified_by": "manual"
    }  # fmt: skip
    assert payload["group"]["group_id"] == "g10"
    assert payload["group"]["discount_bp"] == 1_000
    assert payload["totals"] == {
        "subtotal": rub(360), "discount": rub(36), "total": rub(324), "paid": rub(324),
        "change": rub(176),
    }  # fmt: skip
    assert payload["lines"][0]["discount"] == rub(36)
    assert payload["payments"] == [
        {"method": "cash", "amount": rub(324), "tendered": rub(500), "change": rub(176),
         "at": payload["payments"][0]["at"], "hold_id": None}
    ]  # fmt: skip
    assert (payload["offline"], payload["loyalty_override"]) == (False, None)


def test_the_group_recorded_is_the_one_at_the_time_of_the_sale(shop: Shop) -> None:
    from pos_app.domain.groups import GuestGroup
    from pos_app.domain.money import Percent

    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="cake")
    shop.service.identify_guest(sale_id, identifier=ANNA_CARD, method=InputMethod.MSR)
    with shop.uow() as uow:  # the group changes later the same day
        uow.groups.add(GuestGroup("g10", "Гость 12 %", Percent.of(12), rub(1_000)))
        uow.commit()
    view = shop.pay.pay_cash(shop.service.get_sale(sale_id).sale_id, rub(1_000)).sale
    assert view.discount == rub(25)
    assert shop.pending()[0].payload["group"]["name"] == "Гость 10 %"


def test_partial_cash_then_the_rest_then_receipts_count_up(shop: Shop) -> None:
    first = shop.service.open_sale().sale_id
    shop.service.add_line(first, product_id="pc-hour")
    partial = shop.pay.pay_cash(first, rub(100))
    assert (partial.sale.status, partial.sale.due, partial.change) == ("open", rub(50), 0)
    with pytest.raises(NotPaidInFull):
        shop.service.close_sale(first)
    assert shop.pay.pay_cash(first, rub(50)).sale.receipt_no == "T1-000001"
    second = shop.service.open_sale().sale_id
    shop.service.add_line(second, product_id="latte")
    assert shop.pay.pay_cash(second, rub(200)).sale.receipt_no == "T1-000002"
    assert [op.seq for op in shop.pending()] == [1, 2]


def test_removing_a_line_and_refusals_leave_the_sale_as_it_was(shop: Shop) -> None:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="latte")
    line_no = shop.service.add_line(sale_id, product_id="cake").lines[-1].line_no
    view = shop.service.remove_line(sale_id, line_no)
    assert [line.product_id for line in view.lines] == ["latte"]
    with pytest.raises(ProductNotFound):
        shop.service.add_line(sale_id, barcode="0000000000000")
    with pytest.raises(InvalidQuantity):
        shop.service.add_line(sale_id, product_id="latte", quantity=0)
    assert shop.service.get_sale(sale_id).total == rub(180)


def test_an_empty_sale_cannot_close_and_a_closed_one_cannot_change(shop: Shop) -> None:
    sale_id = shop.service.open_sale().sale_id
    with pytest.raises(EmptySale):
        shop.service.close_sale(sale_id)
    shop.service.add_line(sale_id, product_id="latte")
    shop.pay.pay_cash(sale_id, rub(180))
    with pytest.raises(SaleNotOpen):
        shop.service.add_line(sale_id, product_id="latte")
    with pytest.raises(SaleNotFound):
        shop.service.get_sale("no-such-sale")


def test_cancel_reports_the_refund_and_writes_sale_cancelled(shop: Shop) -> None:
    sale_id = shop.service.open_sale().sale_id
    shop.service.add_line(sale_id, product_id="pc-hour")
    shop.pay.pay_cash(sale_id, rub(100))
    result = shop.service.cancel_sale(sale_id)
    assert (result.refund, result.sale.status) == (rub(100), "cancelled")
    [op] = shop.pending()
    assert op.kind == "sale.cancelled"
    assert op.payload["refund"] == rub(100)
    assert "receipt_no" not in op.payload
