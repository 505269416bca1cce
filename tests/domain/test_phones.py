from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.phones import InvalidPhone, is_mobile, normalise_phone


@pytest.mark.parametrize(
    "typed",
    [
        "8 912 123-45-67",
        "+7 (912) 123 45 67",
        "79121234567",
        "89121234567",
        "9121234567",
        "  +7-912-123-45-67\n",
        "8(912)1234567",
    ],
)
def test_russian_number_in_every_typed_form_is_one_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+79121234567"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+375 29 123 45 67", "+375291234567"),
    ],
)
def test_foreign_numbers_with_plus_are_accepted(typed: str, expected: str) -> None:
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "abc", "12345", "+7 912 123", "+0123456789", "8912123456789", "+1234567890123456",
     "912-ABC-4567", "0912123456", "+79121234567x"],
)
def test_garbage_is_refused_with_a_readable_message(garbage: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        normalise_phone(garbage)
    assert "is not a phone number" in str(info.value)
    assert info.value.code == "invalid_phone"


def test_mobile_detection_only_for_russian_nines() -> None:
    assert is_mobile("+79121234567")
    assert not is_mobile("+74951234567")
    assert not is_mobile("+442079460958")


_SEP = st.sampled_from(["", " ", "-", "  "])


@settings(max_examples=60)
@given(
    national=st.from_regex(r"9[0-9]{9}", fullmatch=True),
    prefix=st.sampled_from(["8", "+7", "7", "", "+7 ", "8 "]),
    seps=st.lists(_SEP, min_size=10, max_size=10),
    brackets=st.booleans(),
)
def test_any_formatting_of_a_number_gives_the_same_e164(
    national: str, prefix: str, seps: list[str], brackets: bool
) -> None:
    digits = [d + s for d, s in zip(national, seps, strict=True)]
    if brackets:
        digits[0] = "(" + digits[0]
        digits[2] = digits[2] + ")"
    typed = prefix + "".join(digits)
    assert normalise_phone(typed) == "+7" + national
    assert normalise_phone(normalise_phone(typed)) == "+7" + national
