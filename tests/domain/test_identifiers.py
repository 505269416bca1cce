from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.identifiers import (
    Identifier,
    IdentifierIndex,
    IdentifierTaken,
    InputMethod,
    InvalidIdentifier,
    Medium,
    normalise_identifier,
)

TRACK1 = "%B4111111111111111^DOE/JOHN^2512101000000000?"
TRACK2 = ";4111111111111111=25121010000000000000?"


def test_enum_values_match_the_contract() -> None:
    assert [m.value for m in Medium] == ["card", "guest_app", "white_label_app"]
    assert [m.value for m in InputMethod] == ["msr", "barcode", "manual"]


@pytest.mark.parametrize(
    "raw",
    [
        TRACK2,
        TRACK2 + "X",  # LRC character after the end sentinel
        TRACK1 + TRACK2,
        TRACK1,
        "  " + TRACK2 + "\r\n",
        "4111111111111111=2512",
    ],
)
def test_stripe_data_gives_the_pan(raw: str) -> None:
    assert normalise_identifier(InputMethod.MSR, raw) == "4111111111111111"


def test_stripe_without_field_separator_gives_data_between_sentinels() -> None:
    assert normalise_identifier(InputMethod.MSR, ";000123?7") == "000123"
    assert normalise_identifier(InputMethod.MSR, "%club42?") == "CLUB42"


def test_barcode_and_manual_trim_remove_spaces_and_uppercase() -> None:
    assert normalise_identifier(InputMethod.BARCODE, "  ab 12 cd\t") == "AB12CD"
    assert normalise_identifier(InputMethod.MANUAL, "4111 1111 1111 1111") == "4111111111111111"


def test_the_same_card_swiped_or_typed_finds_the_same_guest() -> None:
    index = IdentifierIndex()
    index.assign(Identifier.read(Medium.CARD, InputMethod.MSR, TRACK2), "g1")
    assert index.guest_for(InputMethod.MANUAL, "4111 1111 1111 1111") == "g1"
    assert index.guest_for(InputMethod.BARCODE, "4111111111111111") == "g1"
    assert index.guest_for(InputMethod.MANUAL, "4111111111111112") is None


@pytest.mark.parametrize("raw", ["", "   ", "ab\x07cd", "12\x0034"])
@pytest.mark.parametrize("method", list(InputMethod))
def test_empty_or_control_characters_are_refused(raw: str, method: InputMethod) -> None:
    with pytest.raises(InvalidIdentifier):
        normalise_identifier(method, raw)


@pytest.mark.parametrize("raw", [";?", "%?", "%?;?"])
def test_stripe_with_nothing_between_sentinels_is_refused(raw: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalise_identifier(InputMethod.MSR, raw)


def test_a_value_belongs_to_at_most_one_guest() -> None:
    index = IdentifierIndex()
    card = Identifier.read(Medium.CARD, InputMethod.BARCODE, "qr-777")
    index.assign(card, "g1")
    index.assign(card, "g1")  # idempotent
    assert len(index) == 1
    with pytest.raises(IdentifierTaken) as info:
        index.assign(Identifier.read(Medium.GUEST_APP, InputMethod.MANUAL, " QR-777 "), "g2")
    assert info.value.details["guest_id"] == "g1"
    assert not index.release("QR-777", "g2")
    assert index.release("QR-777", "g1")
    index.assign(card, "g2")
    assert index.guest_for(InputMethod.BARCODE, "qr-777") == "g2"


_RAW = st.text(alphabet=st.sampled_from("0123456789ABCdef=^%;?/ -"), min_size=1, max_size=40)


@settings(max_examples=200)
@given(method=st.sampled_from(list(InputMethod)), raw=_RAW)
def test_normalisation_is_idempotent(method: InputMethod, raw: str) -> None:
    try:
        once = normalise_identifier(method, raw)
    except InvalidIdentifier:
        return
    assert normalise_identifier(method, once) == once
