"""The operation definitions' strict decoding (``pos_app.domain.operations``) and the list of
kinds in docs/api.md generated from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pos_app.domain.identifiers import Medium
from pos_app.domain.operations import (
    OPERATIONS,
    GuestCreated,
    HoldPlaced,
    IdentifierBound,
    OperationInvalid,
    PromoIssued,
    SaleClosed,
    UnknownKind,
    parse,
)
from pos_app.domain.operations.reference import render, replaced
from tests.operation_examples import sale_closed

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def problems(cls: Any, data: Any) -> list[tuple[str, list[Any]]]:
    with pytest.raises(OperationInvalid) as caught:
        cls.from_json(data)
    return [(e["type"], e["loc"]) for e in caught.value.errors]


HOLD = {"hold_id": "h-1", "guest_id": "anna", "amount": 100}


@pytest.mark.parametrize(("amount", "kind"), [
    (True, "int_type"), ("100", "int_type"), (100.0, "int_type"), (None, "int_type"),
    (0, "greater_than_equal"), (10**11 + 1, "less_than_equal"),
])  # fmt: skip
def test_an_amount_is_a_plain_int_within_bounds(amount: Any, kind: str) -> None:
    assert problems(HoldPlaced, {**HOLD, "amount": amount}) == [(kind, ["amount"])]


def test_every_problem_is_listed_with_where_it_is_and_no_value_is_repeated() -> None:
    payload = sale_closed().to_json()
    payload["totals"]["total"] = "secret-54000"
    payload["lines"][0]["quantity"] = 0
    payload["payments"][0]["at"] = "2026-11-23T10:00:00"  # naive
    payload["guest"]["guest_id"] = "   "  # only spaces: stripped to nothing
    del payload["closed_at"]
    payload["free_coffee"] = "+79121234567"
    with pytest.raises(OperationInvalid) as caught:
        SaleClosed.from_json(payload)
    errors = caught.value.errors
    assert {(e["type"], tuple(e["loc"])) for e in errors} == {
        ("int_type", ("totals", "total")), ("greater_than_equal", ("lines", 0, "quantity")),
        ("timezone_aware", ("payments", 0, "at")), ("string_too_short", ("guest", "guest_id")),
        ("missing", ("closed_at",)), ("extra_forbidden", ("free_coffee",)),
    }  # fmt: skip
    assert all(set(e) == {"type", "loc", "msg"} for e in errors)
    assert not any("secret" in e["msg"] or "+7912" in e["msg"] for e in errors)


def test_texts_are_trimmed_enums_decoded_codes_upper_cased() -> None:
    bound = IdentifierBound.from_json({"guest_id": " anna ", "medium": "card", "method": "msr",
                                       "value": " ;123? "})  # fmt: skip
    assert (bound.guest_id, bound.medium, bound.value) == ("anna", Medium.CARD, ";123?")
    assert PromoIssued.from_json({"code": " toplaser7001 ", "guest_id": "g"}).code == (
        "TOPLASER7001")
    assert problems(PromoIssued, {"code": "7001", "guest_id": "g"}) == [
        ("string_pattern_mismatch", ["code"])]
    assert problems(IdentifierBound, {"guest_id": "g", "medium": "sticker", "method": "msr",
                                      "value": "1"}) == [("enum", ["medium"])]  # fmt: skip


def test_a_payload_must_be_an_object_and_its_lists_lists() -> None:
    assert problems(GuestCreated, [1, 2]) == [("model_type", [])]
    assert problems(SaleClosed, {**sale_closed().to_json(), "lines": []}) == [
        ("too_short", ["lines"])]
    assert problems(SaleClosed, {**sale_closed().to_json(), "lines": "latte"}) == [
        ("list_type", ["lines"])]


def test_optional_fields_may_be_left_out_and_come_back_as_null() -> None:
    guest = GuestCreated.from_json({"guest_id": "g", "name": "Anna"})
    assert guest.to_json() == {"guest_id": "g", "name": "Anna", "phone": None}
    assert parse("hold.placed", HOLD) == HoldPlaced(hold_id="h-1", guest_id="anna", amount=100)
    with pytest.raises(UnknownKind):
        parse("coffee.poured", {})


def test_every_kind_is_registered_under_its_own_name() -> None:
    assert all(kind == cls.KIND for kind, cls in OPERATIONS.items())
    assert len(OPERATIONS) == 25


def test_the_api_document_lists_the_kinds_as_they_are_defined() -> None:
    text = API_DOC.read_text(encoding="utf-8")
    assert render() in text, "docs/api.md is out of date: run scripts/operation_docs.py"
    assert replaced(text) == text
    for kind in OPERATIONS:  # and every kind is described in words too
        assert f"`{kind}`" in text.split(render())[1], kind
