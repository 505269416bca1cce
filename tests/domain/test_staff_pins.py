"""PIN hashing shared by the server and the tills: a hash made on one side checks on the other."""

import hashlib

from pos_app.domain.staff_pins import (
    LEGACY_PARAMS,
    PIN_PARAMS,
    hash_pin,
    pin_format_ok,
    pin_matches,
)

SALT = bytes(range(16))


def test_the_default_hash_is_scrypt_with_the_shared_cost() -> None:
    """A deliberately slow, memory-hard hash (issue 16 point 3): N=2^14, r=8 (16 MiB)."""
    expected = hashlib.scrypt(b"1111", salt=SALT, n=2**14, r=8, p=1, dklen=32,
                              maxmem=64 * 1024 * 1024).hex()  # fmt: skip
    assert hash_pin("1111", SALT, PIN_PARAMS) == expected
    assert pin_matches("1111", expected.upper(), SALT.hex(), PIN_PARAMS)
    assert not pin_matches("1112", expected, SALT.hex(), PIN_PARAMS)


def test_hashes_of_older_versions_pbkdf2_sha256_still_check() -> None:
    expected = hashlib.pbkdf2_hmac("sha256", b"1111", SALT, 60_000).hex()
    assert hash_pin("1111", SALT, LEGACY_PARAMS) == expected
    assert pin_matches("1111", expected, SALT.hex(), LEGACY_PARAMS)
    assert not pin_matches("1112", expected, SALT.hex(), LEGACY_PARAMS)


def test_scrypt_records_made_elsewhere_check_too() -> None:
    params = {"algorithm": "scrypt", "n": 2**10, "r": 8, "p": 1}
    digest = hash_pin("9999", SALT, params)
    assert pin_matches("9999", digest, SALT.hex(), params)


def test_a_record_that_cannot_be_checked_never_matches() -> None:
    assert not pin_matches("1111", "00", SALT.hex(), {"algorithm": "md5"})
    assert not pin_matches("1111", "00", "not hex", PIN_PARAMS)


def test_a_pin_is_four_to_eight_digits() -> None:
    assert pin_format_ok("1234") and pin_format_ok("12345678")
    assert not pin_format_ok("123") and not pin_format_ok("123456789")
    assert not pin_format_ok("1234\n") and not pin_format_ok("12a4")
    assert not pin_format_ok("١٢٣٤")  # Arabic-Indic digits are digits to Python, not to a keypad
