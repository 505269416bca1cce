"""Device settings per terminal on the real SQLite store, and the screen's test actions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.db import Store, open_store
from pos_app.services.device_settings import (
    DeviceSettings,
    DeviceSettingsService,
    DeviceTestUnavailable,
    InvalidDeviceSetting,
    LastScan,
    PrinterSettings,
    ScannerSettings,
    SoundPrefs,
)

PROFILES = ("epson", "rongta", "star")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "till.sqlite3", terminal_id="T1") as s:
        yield s


def test_a_new_till_has_the_defaults(store: Store) -> None:
    assert DeviceSettingsService(store, profiles=PROFILES).load() == DeviceSettings()


def test_saved_settings_are_read_back_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    saved: list[DeviceSettings] = []
    wanted = DeviceSettings(
        PrinterSettings(driver="serial", device_path="/dev/ttyUSB0", baudrate=38400,
                        profile="rongta", codepage_number=7, paper_mm=58, columns=32),
        ScannerSettings(driver="hid", vendor_id=0x0C2E, product_id=0x0B61, prefix="~",
                        suffix="\t", max_interval_ms=30),
        SoundPrefs(enabled=False, volume=35),
    )  # fmt: skip
    with open_store(path, terminal_id="T1") as store:
        DeviceSettingsService(store, profiles=PROFILES, on_saved=saved.append).save(wanted)
    assert saved == [wanted]  # the composition reconfigures the devices on it
    with open_store(path) as store:
        assert DeviceSettingsService(store, profiles=PROFILES).load() == wanted


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        (DeviceSettings(printer=PrinterSettings(host=" ")), "printer.host"),
        (DeviceSettings(printer=PrinterSettings(port=70000)), "printer.port"),
        (DeviceSettings(printer=PrinterSettings(driver="serial")), "printer.device_path"),
        (DeviceSettings(printer=PrinterSettings(driver="usb")), "printer.usb_vendor_id"),
        (DeviceSettings(printer=PrinterSettings(profile="hp")), "printer.profile"),
        (DeviceSettings(printer=PrinterSettings(paper_mm=58, columns=48)), "printer.columns"),
        (DeviceSettings(scanner=ScannerSettings(driver="serial")), "scanner.port"),
        (DeviceSettings(scanner=ScannerSettings(max_interval_ms=0)), "scanner.max_interval_ms"),
        (DeviceSettings(sound=SoundPrefs(volume=101)), "sound.volume"),
    ],
)
def test_a_wrong_field_is_named_and_nothing_is_stored(
    store: Store, settings: DeviceSettings, field: str
) -> None:
    service = DeviceSettingsService(store, profiles=PROFILES)
    with pytest.raises(InvalidDeviceSetting) as caught:
        service.save(settings)
    assert caught.value.details["field"] == field and caught.value.message.endswith(".")
    assert service.load() == DeviceSettings()


def test_stored_values_that_no_longer_fit_fall_back_field_by_field(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.settings.set("device.printer", {"host": "10.0.0.9", "port": "x", "profile": "gone"})
        uow.settings.set("device.sound", {"volume": 500, "enabled": False})
        uow.settings.set("device.scanner", "not a mapping")
        uow.commit()
    loaded = DeviceSettingsService(store, profiles=PROFILES).load()
    assert loaded.printer == replace(PrinterSettings(), host="10.0.0.9")
    assert loaded.sound == SoundPrefs(enabled=False, volume=80)
    assert loaded.scanner == ScannerSettings()


def test_test_actions_use_the_ports_and_say_when_a_device_is_missing(store: Store) -> None:
    played: list[SoundPrefs] = []

    def play(sound: SoundPrefs) -> bool:
        played.append(sound)
        return sound.enabled

    scan = LastScan("barcode", "4600000000017", "wedge", datetime(2026, 11, 23, tzinfo=UTC))
    service = DeviceSettingsService(
        store, test_page=lambda: 41, play_sound=play, last_scan=lambda: scan
    )
    assert service.print_test_page() == 41
    assert service.play_test_sound(SoundPrefs(volume=20)) and played == [SoundPrefs(volume=20)]
    assert service.last_scan() == scan
    bare = DeviceSettingsService(store)
    with pytest.raises(DeviceTestUnavailable):
        bare.print_test_page()
    with pytest.raises(DeviceTestUnavailable):
        bare.play_test_sound(SoundPrefs())
    assert bare.last_scan() is None
