"""Swipe parsing: the cards guests and bank customers actually carry, and bad swipes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.devices.events import ScanKind
from pos_app.devices.msr import SWIPE_AGAIN, SwipeError, lrc, parse_swipe, swipe_event

BANK_T1 = "%B4111111111111111^IVANOV/IVAN^2512101000000000?"
BANK_T2 = ";4111111111111111=25121010000000000?"


def test_given_loyalty_card_with_number_only_when_swiped_then_number_is_identifier() -> None:
    swipe = parse_swipe(";123456?")
    assert swipe.identifier == "123456"
    assert swipe.identifier_track == 2


def test_given_bank_card_both_tracks_then_fields_are_split_and_pan_identifies() -> None:
    swipe = parse_swipe(BANK_T1 + BANK_T2)
    t1, t2 = swipe.tracks[1], swipe.tracks[2]
    assert (t1.pan, t1.name, t1.expiry, t1.service_code) == (
        "4111111111111111",
        "IVANOV/IVAN",
        "2512",
        "101",
    )
    assert (t2.pan, t2.expiry, t2.service_code, t2.discretionary) == (
        "4111111111111111",
        "2512",
        "101",
        "0000000000",
    )
    assert swipe.identifier == "4111111111111111"


def test_track_three_after_track_two_with_plus_or_second_semicolon() -> None:
    assert parse_swipe(";111?+222?").tracks[3].pan == "222"
    assert parse_swipe(";111?;222?").tracks[3].pan == "222"
    assert parse_swipe("+777?").identifier == "777"


def test_track_one_only_non_bank_card_uses_its_data() -> None:
    assert parse_swipe("%CLUB 0042?").identifier == "CLUB 0042"


def test_lrc_after_end_sentinel_is_accepted_when_right_and_rejected_when_wrong() -> None:
    good = ";123456?" + lrc(2, "123456")
    assert parse_swipe(good).identifier == "123456"
    wrong = chr(ord(lrc(2, "123456")) ^ 1)
    with pytest.raises(SwipeError, match="swipe again") as info:
        parse_swipe(";123456?" + wrong)
    assert "LRC" in info.value.reason


def test_lrc_that_looks_like_a_start_sentinel_on_the_last_track() -> None:
    # Find a track-2 body whose LRC happens to be ';' and make sure it is not a new track.
    body = next(str(n) for n in range(10_000, 99_999) if lrc(2, str(n)) == ";")
    assert parse_swipe(f";{body}?;").identifier == body


def test_reader_error_markers_mark_tracks_unreadable() -> None:
    swipe = parse_swipe("%E?;555?+E?")
    assert swipe.tracks[1].error and swipe.tracks[3].error
    assert swipe.identifier == "555"


def test_all_tracks_failed_is_a_bad_swipe() -> None:
    with pytest.raises(SwipeError) as info:
        parse_swipe("%E?;E?+E?")
    assert info.value.message == SWIPE_AGAIN
    assert info.value.code == "bad_swipe"


@pytest.mark.parametrize(
    "raw",
    ["  ;123456?\r\n", ";;123456?", ";123456??", "\t;123456?\n", "\x02;123456?\x03", "ж123456,"],
)
def test_wedge_artefacts_and_russian_layout_are_tolerated(raw: str) -> None:
    assert parse_swipe(raw).identifier == "123456"


def test_russian_layout_track_one_is_mapped_back() -> None:
    swipe = parse_swipe("%И4111:ШМФТЩМ.Ш:2512101,")
    assert swipe.tracks[1].name == "IVANOV/I"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("123456", "outside a track"),
        (";123456", "no end sentinel"),
        (";12a4?", "invalid character"),
        (";" + "1" * 38 + "?", "too long"),
        (";111?;222?;333?", "appears twice"),
        ("%B12^NAME^AB12?", "not numeric"),
        ("%B12^name^1212?", "invalid character"),
        (";=2512?", "wrong length"),
    ],
)
def test_bad_swipes_are_rejected_with_a_reason(raw: str, reason: str) -> None:
    with pytest.raises(SwipeError) as info:
        parse_swipe(raw)
    assert reason in info.value.reason
    assert str(info.value) == SWIPE_AGAIN


def test_swipe_event_carries_identifier_and_track() -> None:
    event = swipe_event(BANK_T2, device="wedge")
    assert (event.kind, event.symbology_or_track, event.data) == (
        ScanKind.MSR,
        "track2",
        "4111111111111111",
    )


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("%;+?^=EB0123456789 /\r\nжAZ:,"), max_size=60))
def test_fuzz_never_crashes_and_always_gives_identifier_or_swipe_again(raw: str) -> None:
    try:
        swipe = parse_swipe(raw)
    except SwipeError as exc:
        assert exc.message == SWIPE_AGAIN and exc.reason
    else:
        assert swipe.identifier
        assert swipe.identifier_track in swipe.tracks


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_any_unicode(raw: str) -> None:
    try:
        assert parse_swipe(raw).identifier
    except SwipeError as exc:
        assert exc.reason


def test_cli_prints_one_json_object_per_input_line() -> None:
    stdin = ";123456?\n;E?\n" + BANK_T1 + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "pos_app.devices.msr"],
        input=stdin.encode(),
        capture_output=True,
        timeout=30,
        check=True,
    )
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(rows) == 3
    assert rows[0] == {
        "ok": True,
        "tracks": {"2": {"data": "123456", "pan": "123456"}},
        "identifier": "123456",
    }
    assert rows[1]["ok"] is False and "swipe again" in rows[1]["error"]
    assert rows[2]["tracks"]["1"]["name"] == "IVANOV/IVAN"
