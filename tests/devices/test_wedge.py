"""Keyboard wedge: scanner bursts become ScanEvents, a person's typing passes through."""

from __future__ import annotations

from pos_app.devices.events import ScanEvent, ScanKind, ScanRejected
from pos_app.devices.frames import FrameMode
from pos_app.devices.wedge import PassThrough, WedgeConfig, WedgeDecoder, WedgeOutput


def type_keys(
    decoder: WedgeDecoder, text: str, start_ms: int = 1000, gap_ms: int = 10
) -> list[WedgeOutput]:
    out: list[WedgeOutput] = []
    for i, ch in enumerate(text):
        out.extend(decoder.feed(ch, start_ms + i * gap_ms))
    return out


def typed_text(outputs: list[WedgeOutput]) -> str:
    return "".join(o.text for o in outputs if isinstance(o, PassThrough))


def test_given_fast_burst_with_cr_then_barcode_event_with_guessed_symbology() -> None:
    out = type_keys(WedgeDecoder(), "4601234567893\r")
    assert out == [ScanEvent(ScanKind.BARCODE, "ean13", "4601234567893", "wedge", "4601234567893")]


def test_given_slow_typing_then_keys_pass_through_unchanged() -> None:
    decoder = WedgeDecoder()
    out = type_keys(decoder, "12345\r", gap_ms=180)
    assert not [o for o in out if isinstance(o, ScanEvent)]
    assert typed_text(out) == "12345\r"
    assert not decoder.holding


def test_keys_typed_slowly_but_delivered_in_a_burst_are_still_typing() -> None:
    # The GUI stalled: keys arrive together, but their own timestamps are 120 ms apart.
    decoder = WedgeDecoder()
    stamps = [1000 + 120 * i for i in range(6)]
    out: list[WedgeOutput] = []
    for ch, ts in zip("98765\r", stamps, strict=True):
        out.extend(decoder.feed(ch, ts))
    assert typed_text(out) == "98765\r"


def test_a_lone_key_is_released_by_the_timer_tick() -> None:
    decoder = WedgeDecoder()
    assert decoder.feed("7", 5000) == []
    assert decoder.tick(5030) == []  # still within the interval: may be a scan
    assert decoder.tick(5051) == [PassThrough("7")]


def test_short_fast_burst_below_min_length_is_typing() -> None:
    out = type_keys(WedgeDecoder(WedgeConfig(min_length=4)), "12\r")
    assert typed_text(out) == "12\r"


def test_prefix_is_required_and_stripped() -> None:
    config = WedgeConfig(prefix="#", max_interval_ms=80)
    out = type_keys(WedgeDecoder(config), "#ABC-123\t", gap_ms=30)
    assert len(out) == 1 and isinstance(out[0], ScanEvent)
    assert out[0].data == "ABC-123"
    # Without the prefix the same fast burst is typing: the first key is passed at once.
    decoder = WedgeDecoder(config)
    out = type_keys(decoder, "ABC-123\t", gap_ms=30)
    assert typed_text(out) == "ABC-123\t"


def test_configurable_interval_accepts_slow_scanners() -> None:
    out = type_keys(WedgeDecoder(WedgeConfig(max_interval_ms=150)), "00012345\r", gap_ms=120)
    assert [o.data for o in out if isinstance(o, ScanEvent)] == ["00012345"]


def test_aim_identifier_gives_symbology() -> None:
    out = type_keys(WedgeDecoder(WedgeConfig(aim_ids=True)), "]Q1https://x.example/1\r")
    assert isinstance(out[0], ScanEvent)
    assert (out[0].symbology_or_track, out[0].data) == ("qr", "https://x.example/1")


def test_card_swipe_with_cr_after_each_track_is_one_msr_event() -> None:
    decoder = WedgeDecoder()
    out = type_keys(decoder, "%B4111111111111111^IVANOV/I^2512101?\r;4111111111111111=2512101?\r")
    assert out == []  # waits for the gap: another track may follow
    events = decoder.tick(1000 + 70 * 10 + 60)
    assert len(events) == 1 and isinstance(events[0], ScanEvent)
    assert (events[0].kind, events[0].symbology_or_track, events[0].data) == (
        ScanKind.MSR,
        "track2",
        "4111111111111111",
    )


def test_russian_layout_loyalty_swipe_then_next_key_settles_it() -> None:
    decoder = WedgeDecoder()
    out = type_keys(decoder, "ж123456,\r")
    out += decoder.feed("x", 5000)  # the next key after a gap settles the pending swipe
    assert out[0] == ScanEvent(ScanKind.MSR, "track2", "123456", "wedge", "ж123456,\r")


def test_bad_swipe_gives_a_rejection_for_the_cashier() -> None:
    decoder = WedgeDecoder()
    type_keys(decoder, ";12A4?\r")
    out = decoder.tick(10_000)
    assert len(out) == 1 and isinstance(out[0], ScanRejected)
    assert "swipe again" in out[0].message


def test_scanner_without_suffix_ends_reading_by_gap() -> None:
    decoder = WedgeDecoder(WedgeConfig(suffixes=(), mode=FrameMode.BARCODE))
    assert type_keys(decoder, "ABC123") == []
    out = decoder.tick(2000)
    assert [o.data for o in out if isinstance(o, ScanEvent)] == ["ABC123"]


def test_typing_then_scan_in_one_stream() -> None:
    decoder = WedgeDecoder()
    out = type_keys(decoder, "hi", start_ms=0, gap_ms=300)
    out += decoder.tick(700)
    out += type_keys(decoder, "12345678\r", start_ms=2000)
    assert typed_text(out) == "hi"
    assert [o.data for o in out if isinstance(o, ScanEvent)] == ["12345678"]


def test_a_quick_amount_typed_into_a_digit_field_is_typing_not_a_scan() -> None:
    """"300" and Enter typed fast into the payment's amount field (issue 22): a burst as
    quick as a scan, but shorter than any code, so the field gets the keys."""
    decoder = WedgeDecoder()
    out: list[WedgeOutput] = []
    for i, ch in enumerate("300\r"):
        out.extend(decoder.feed(ch, 1000 + 30 * i, typing_field=True))
    assert typed_text(out) == "300\r"
    # elsewhere the same burst is still a (short) reading, as before
    assert [type(o) for o in type_keys(WedgeDecoder(), "300\r", gap_ms=30)] == [ScanEvent]
    # and a real barcode scanned while that field has the focus is still a reading
    decoder = WedgeDecoder()
    out = []
    for i, ch in enumerate("4601234567893\r"):
        out.extend(decoder.feed(ch, 5000 + 4 * i, typing_field=True))
    assert [o.data for o in out if isinstance(o, ScanEvent)] == ["4601234567893"]
