"""The emulator's ESC/POS decoder: what was printed, status replies, and hostile input."""

from __future__ import annotations

from escpos.printer import Dummy
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.devices.emulators.escpos_decoder import EscposDecoder, decode
from pos_app.devices.escpos_encoder import PrinterProfile, encode, load_profiles
from pos_app.devices.print_document import Align, Cut, DrawerKick, Feed, Qr, StoredLogo, Text

JOB = [
    Text("Кофейня", Align.CENTER, bold=True, double=True),
    Text("Итого: 630,00 — «спасибо»"),
    Qr("https://pos.example/r/1"),
    Feed(1),
    StoredLogo(1),
    Cut(),
    DrawerKick(),
]


def test_each_brand_profile_round_trips_russian_with_its_own_code_page_number() -> None:
    for name, profile in load_profiles().items():
        brand = name if name in ("epson", "rongta", "star") else "epson"
        job = decode(encode(JOB, profile), brand=brand, columns=32)
        assert job.warnings == [], name
        assert "Кофейня".center(16).rstrip() in job.lines
        assert 'Итого: 630,00 - "спасибо"' in job.lines
        assert job.cuts == (0 if profile.cut == "none" else 1), name
        assert job.drawer_kicks == 1
        if profile.qr_native:
            assert job.qr_codes == ["https://pos.example/r/1"]
        else:
            assert "[IMAGE" in job.text
        assert "[LOGO:1]" in job.lines


def test_wrong_code_page_number_prints_garbage_and_says_so() -> None:
    rongta_bytes = encode([Text("Привет")], load_profiles()["rongta"])  # ESC t 7
    job = decode(rongta_bytes, brand="epson")
    assert "Привет" not in job.text
    assert job.warnings == ["code page 7 not known to this printer"]


def test_forced_code_page_override_fixes_it() -> None:
    forced = load_profiles()["rongta"].with_overrides(codepage_number=17)
    assert decode(encode([Text("Привет")], forced), brand="epson").lines == ["Привет"]


def test_bytes_split_anywhere_decode_the_same() -> None:
    data = encode(JOB, PrinterProfile())
    whole = decode(data).text
    for cut_at in range(1, len(data)):
        decoder = EscposDecoder()
        decoder.feed(data[:cut_at])
        decoder.feed(data[cut_at:])
        assert decoder.finish().text == whole, cut_at


def test_status_requests_are_answered_in_stream_order() -> None:
    states = {1: 0x1A, 2: 0x32, 4: 0x72}
    decoder = EscposDecoder(status=lambda n: states[n])
    assert decoder.feed(b"\x10\x04\x01abc\x10\x04") == b"\x1a"
    assert decoder.feed(b"\x04\x10\x04\x02") == b"\x72\x32"


def test_python_escpos_output_for_images_barcodes_and_styles_is_understood() -> None:
    printer = Dummy()
    printer.set(align="center", bold=True, double_height=True, double_width=True)
    printer.text("HELLO\n")
    printer.barcode("4601234567893", "EAN13", function_type="A")
    printer.qr("data", native=False)
    printer.cut(mode="PART")
    job = decode(printer.output)
    assert job.warnings == []
    assert "HELLO" in job.text and "[BARCODE:4601234567893]" in job.lines
    assert any(line.startswith("[IMAGE") for line in job.lines)
    assert job.cuts == 1


def test_unknown_and_truncated_commands_are_reported_not_raised() -> None:
    job = decode(b"ok\n\x1b\xfe\x1d(k\x05\x00")
    assert job.lines == ["ok"]
    assert job.warnings[0] == "unknown command 0x1b 0xfe"
    assert job.warnings[1].startswith("truncated command")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes_never_crash(data: bytes) -> None:
    decoder = EscposDecoder(status=lambda n: 0x12)
    replies = decoder.feed(data)
    job = decoder.finish()
    assert isinstance(job.text, str) and isinstance(replies, bytes)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"\x1b", b"\x1d", b"\x10\x04", b"\x1d(k", b"\x1dv0", b"\x1bt", b"A", b"\n"]
        )
        | st.binary(max_size=4),
        max_size=40,
    )
)
def test_fuzz_command_fragments_never_crash(parts: list[bytes]) -> None:
    job = decode(b"".join(parts))
    assert isinstance(job.warnings, list)
