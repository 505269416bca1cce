"""The till checks the server's slow (scrypt) PIN hashes offline, older PBKDF2 hashes too,
and a sign-in among 20 staff stays fast enough for a cashier (records checked in parallel)."""

from __future__ import annotations

import time

from pos_app.domain.staff_pins import LEGACY_PARAMS, PIN_PARAMS, hash_pin, is_legacy
from pos_app.services.staff import StaffService, find_by_pin, make_record, staff_from_feed
from tests.services.conftest import Shop
from tests.services.fakes import FakeClock


def feed_entity(staff_id: str, role: str, pin: str, params: dict[str, object]) -> dict[str, object]:
    salt = staff_id.encode().ljust(16, b".")[:16]
    return {"staff_id": staff_id, "name": staff_id.title(), "role": role, "active": True,
            "pin_hash": hash_pin(pin, salt, params), "salt": salt.hex(),
            "params": params}  # fmt: skip


def test_new_hashes_are_scrypt_and_older_pbkdf2_ones_still_sign_in(shop: Shop) -> None:
    assert PIN_PARAMS["algorithm"] == "scrypt" and PIN_PARAMS["n"] >= 2**14
    assert is_legacy(LEGACY_PARAMS) and not is_legacy(PIN_PARAMS)
    service = StaffService(shop.uow, FakeClock())
    service.upsert_from_feed(feed_entity("new-manager", "manager", "482913", dict(PIN_PARAMS)))
    service.upsert_from_feed(feed_entity("old-manager", "manager", "9876", dict(LEGACY_PARAMS)))
    assert service.sign_in("482913").staff_id == "new-manager"
    assert service.sign_in("9876").staff_id == "old-manager"  # works until the PIN is changed
    # an entity of a version that sent no parameters was PBKDF2: read it as such
    bare = feed_entity("bare", "cashier", "2468", dict(LEGACY_PARAMS))
    del bare["params"]
    assert staff_from_feed(bare).params == dict(LEGACY_PARAMS)


def test_twenty_staff_are_checked_in_parallel_and_the_right_one_found() -> None:
    records = [
        make_record(f"s{i:02}", f"Staff {i}", "cashier", f"{1000 + i}", f"salt-{i:02}".encode())
        for i in range(20)
    ]
    assert find_by_pin(records, "1019") is records[19]
    assert find_by_pin(records, "9999") is None
    started = time.perf_counter()
    find_by_pin(records, "9999")  # a wrong PIN tries every record
    parallel = time.perf_counter() - started
    # a generous bound (a shared CI machine): docs/security.md has the measured numbers
    assert parallel < 5.0
