from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.money import Percent, rub
from pos_app.domain.phones import InvalidPhone
from pos_app.domain.promo import (
    InvalidPromoCode,
    OwnPromoCode,
    PromoCodeSpaceExhausted,
    ReferralProgram,
    UnknownPromoCode,
    cashback_for,
    find_owner,
    issue_code,
    make_code,
    parse_typed_code,
    quote_referral,
)

PROGRAM = ReferralProgram(discount=Percent.of(15), cashback=Percent.of(10))


def _digits(*values: str) -> Iterator[str]:
    yield from values


def test_code_is_prefix_plus_digits() -> None:
    assert make_code("TopLaser", "6502") == "TOPLASER6502"


@pytest.mark.parametrize(
    "typed", ["6502", " 6502 ", "TOPLASER6502", "toplaser6502", "TopLaser 6502"]
)
def test_cashier_types_digits_or_full_code(typed: str) -> None:
    assert parse_typed_code("TOPLASER", typed) == "TOPLASER6502"


@pytest.mark.parametrize("typed", ["", "abc", "OTHER6502", "65O2", "TOPLASER"])
def test_typed_garbage_is_refused(typed: str) -> None:
    with pytest.raises(InvalidPromoCode):
        parse_typed_code("TOPLASER", typed)


def test_issuing_to_a_phone_that_has_a_code_returns_the_same_code() -> None:
    by_phone = {"+79121234567": "TOPLASER6502"}
    generated = _digits("1111")
    code = issue_code("TOPLASER", "8 912 123-45-67", by_phone, {"TOPLASER6502"}, generated.__next__)
    assert code == "TOPLASER6502"
    assert next(generated) == "1111"  # no new code was drawn


def test_a_new_code_skips_codes_already_taken() -> None:
    generated = _digits("6502", "6502", "7777")
    code = issue_code("TOPLASER", "+79990000000", {}, {"TOPLASER6502"}, generated.__next__)
    assert code == "TOPLASER7777"


def test_issuing_gives_up_with_a_typed_error_when_no_code_is_free() -> None:
    with pytest.raises(PromoCodeSpaceExhausted):
        issue_code("TOPLASER", "+79990000000", {}, {"TOPLASER1"}, lambda: "1")


def test_issuing_to_a_bad_phone_is_refused() -> None:
    with pytest.raises(InvalidPhone):
        issue_code("TOPLASER", "12", {}, set(), lambda: "1")


def test_seed_003_example_12500_with_15_percent() -> None:
    quote = quote_referral(rub(12_500), PROGRAM, owner_guest_id="friend", buyer_guest_id="buyer")
    assert quote.discount == rub(1_875)
    assert quote.to_pay == rub(10_625)
    assert quote.owner_guest_id == "friend"


def test_own_code_is_a_typed_error() -> None:
    with pytest.raises(OwnPromoCode):
        quote_referral(rub(12_500), PROGRAM, owner_guest_id="g1", buyer_guest_id="g1")


def test_unknown_code_is_a_typed_error() -> None:
    owners = {"TOPLASER6502": "friend"}
    assert find_owner(parse_typed_code("TOPLASER", "6502"), owners) == "friend"
    with pytest.raises(UnknownPromoCode) as info:
        find_owner(parse_typed_code("TOPLASER", "1234"), owners)
    assert "TOPLASER1234" in str(info.value)


def test_cashback_is_a_percentage_of_the_money_paid() -> None:
    assert cashback_for(rub(10_625), PROGRAM) == rub(1_062, 50)
    assert cashback_for(0, PROGRAM) == 0


@settings(max_examples=100)
@given(
    digits=st.from_regex(r"[0-9]{1,12}", fullmatch=True),
    full=st.booleans(),
    upper=st.lists(st.booleans(), min_size=8, max_size=8),
    spaces=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_any_typing_of_a_code_gives_the_same_code(
    digits: str, full: bool, upper: list[bool], spaces: str
) -> None:
    prefix = "".join(ch if up else ch.lower() for ch, up in zip("TOPLASER", upper, strict=True))
    typed = spaces + (prefix + spaces if full else "") + digits + spaces
    code = parse_typed_code("toplaser", typed)
    assert code == "TOPLASER" + digits
    assert parse_typed_code("TOPLASER", code) == code


@settings(max_examples=100)
@given(
    total=st.integers(0, rub(1_000_000)),
    discount=st.integers(0, 10_000),
    cashback=st.integers(0, 10_000),
)
def test_discount_and_to_pay_always_add_up(total: int, discount: int, cashback: int) -> None:
    program = ReferralProgram(Percent(discount), Percent(cashback))
    quote = quote_referral(total, program, owner_guest_id="friend", buyer_guest_id=None)
    assert quote.discount + quote.to_pay == total
    assert 0 <= quote.discount <= total
    assert 0 <= cashback_for(quote.to_pay, program) <= quote.to_pay
