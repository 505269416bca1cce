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


def test_stripe_without_start_sentinel_drops_the_end_sentinel_and_lrc() -> None:
    assert normalise_identifier(InputMethod.MSR, "000123?7") == "000123"


def test_stripe_value_has_no_field_separators_so_a_stored_value_normalises_to_itself() -> None:
    # Found by hypothesis: ";B12^34?" used to give "B12^34", which normalised again to "12".
    once = normalise_identifier(InputMethod.MSR, ";B12^34?")
    assert once == "12"
    assert normalise_identifier(InputMethod.MSR, once) == once
    assert normalise_identifier(InputMethod.MSR, "%B1=2^DOE?") == "1"


def test_barcode_and_manual_trim_remove_spaces_and_uppercase() -> None:
    assert normalise_identifier(InputMethod.BARCODE, "  ab 12 cd\t") == "AB12CD"
    assert normalise_identifier(InputMethod.MANUAL, "4111 1111 1111 1111") == "4111111111111111"


def test_an_identifier_always_holds_a_normalised_value() -> None:
    assert Identifier(Medium.CARD, InputMethod.MSR, "4111111111111111").value == "4111111111111111"
    with pytest.raises(InvalidIdentifier, match="normal form"):
        Identifier(Medium.CARD, InputMethod.MSR, TRACK2)
    with pytest.raises(InvalidIdentifier, match="normal form"):
        Identifier(Medium.GUEST_APP, InputMethod.BARCODE, "qr-777")


def test_the_same_card_swiped_or_typed_finds_the_same_guest() -> None:
    index = IdentifierIndex()
    index.assign(Identifier.read(Medium.CARD, InputMethod.MSR, TRACK2), "g1")
    assert index.guest_for(InputMethod.MANUAL, "4111 1111 1111 1111") == "g1"
    assert index.guest_for(InputMethod.BARCODE, "4111111111111111") == "g1"
    assert index.guest_for(InputMethod.MANUAL, "4111111111111112") is None


def test_inner_tabs_and_newlines_are_whitespace_and_removed() -> None:
    assert normalise_identifier(InputMethod.BARCODE, "ab\tcd\r\n") == "ABCD"


@pytest.mark.parametrize("raw", ["", "   ", "ab\x07cd", "12\x0034", "12\u200b34", "\x1b[A"])
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
    assert "g1" not in str(info.value)
    assert "g1" not in info.value.details.values()  # nothing about the other guest leaks
    assert info.value.details == {"value": "QR-777"}
    assert not index.release("QR-777", "g2")
    assert index.release("QR-777", "g1")
    index.assign(card, "g2")
    assert index.guest_for(InputMethod.BARCODE, "qr-777") == "g2"


_STRIPE_ALPHABET = st.sampled_from("0123456789Bbcd=^%;?/ -")
_RAW = st.text(alphabet=_STRIPE_ALPHABET, min_size=1, max_size=40)
_TRACK = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["", "%", ";"]),
        st.text(alphabet="Bb^=12 ", max_size=8),
        st.sampled_from(["", "?", "?X", "?;", "?%"]),
    ),
)
_TRACKISH = st.lists(_TRACK, min_size=1, max_size=3).map("".join)


@settings(max_examples=200)
@given(method=st.sampled_from(list(InputMethod)), raw=_RAW | _TRACKISH | st.text(max_size=20))
def test_normalisation_is_idempotent(method: InputMethod, raw: str) -> None:
    try:
        once = normalise_identifier(method, raw)
    except InvalidIdentifier:
        return
    assert once == once.strip() and once
    assert normalise_identifier(method, once) == once
    assert normalise_identifier(InputMethod.MANUAL, once) == once  # typed later, same guest
