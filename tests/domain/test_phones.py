from __future__ import annotations

import re

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
    [
        "",
        "   ",
        "abc",
        "12345",
        "+7 912 123",
        "+0123456789",
        "8912123456789",
        "+1234567890123456",
        "912-ABC-4567",
        "0912123456",
        "+79121234567x",
    ],
)
def test_garbage_is_refused_with_a_readable_message(garbage: str) -> None:
    with pytest.raises(InvalidPhone) as info:
        normalise_phone(garbage)
    assert "is not a phone number" in str(info.value)
    assert info.value.code == "invalid_phone"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8 800 555-35-35", "+78005553535"),  # toll-free
        ("812 123 45 67", "+78121234567"),  # St Petersburg without the trunk 8
        ("+7 701 123 45 67", "+77011234567"),  # Kazakhstan shares +7
    ],
)
def test_other_plus7_numbers(typed: str, expected: str) -> None:
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("+8 912 123 45 67", r"there is no country code \+89"),
        ("1234567890", "cannot start with 0, 1 or 2"),
        ("+7 212 123 45 67", "cannot start with 0, 1 or 2"),
        ("8 012 123 45 67", "cannot start with 0, 1 or 2"),
        ("+7 912 123 45 6", r"10 digits after \+7"),
    ],
)
def test_common_typing_mistakes_get_a_hint(typed: str, hint: str) -> None:
    with pytest.raises(InvalidPhone, match=hint):
        normalise_phone(typed)


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


_E164_RE = re.compile(r"\+[1-9][0-9]{7,14}")


@settings(max_examples=80)
@given(
    digits=st.from_regex(r"[1-6][0-9]{7,14}", fullmatch=True),
    seps=st.lists(_SEP, min_size=15, max_size=15),
)
def test_foreign_numbers_in_any_formatting_keep_their_digits(digits: str, seps: list[str]) -> None:
    typed = "+" + "".join(d + s for d, s in zip(digits, seps, strict=False))
    assert normalise_phone(typed) == "+" + digits


@settings(max_examples=300)
@given(text=st.text(alphabet="+0123456789 -()8a", max_size=20))
def test_whatever_is_accepted_is_e164_and_normalises_to_itself(text: str) -> None:
    try:
        e164 = normalise_phone(text)
    except InvalidPhone as refused:
        assert "is not a phone number" in str(refused)
        return
    assert _E164_RE.fullmatch(e164)
    assert normalise_phone(e164) == e164
