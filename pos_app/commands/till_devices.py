"""The till's input devices: the keyboard wedge, serial and USB HID readers, from the command
line and from the terminal's saved device settings (``pos-app device-settings``).

* ``--card-reader PORT`` (serial) and ``--hid-reader VID:PID[:pos]`` (hex USB ids; ``:pos``
  for a scanner in HID POS mode) start readers at once; their readings go through the bridge
  to the same scan router as the wedge's.
* The saved ``ScannerSettings`` are read on the op worker once the store is open (never on the
  GUI thread): a ``wedge`` scanner's prefix, suffix and key interval become the wedge
  decoder's; a ``serial`` or ``hid`` scanner saved there is started like one given on the
  command line (unless the command line already names that device).

A reader whose device is absent is a state on the status bar (``disconnected``, or ``off``
without hidapi), never an error: it keeps looking for the device.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pos_app.devices.events import DeviceStatus, ScanEvent, ScanRejected
from pos_app.devices.hid_pos import HID_POS_USAGE_PAGE
from pos_app.devices.hid_reader import HidConfig, HidMatch, HidReader
from pos_app.devices.serial_reader import SerialConfig, SerialReader
from pos_app.devices.wedge import WedgeConfig, WedgeDecoder
from pos_app.services.device_settings import ScannerSettings

log = logging.getLogger(__name__)
OnEvent = Callable[[ScanEvent | ScanRejected], None]
OnStatus = Callable[[DeviceStatus], None]


class Reader(Protocol):
    def start(self) -> None: ...
    def stop(self, timeout: float = 2.0) -> None: ...


def parse_hid(text: str) -> HidConfig:
    """``"0c2e:0b61"`` (a keyboard-mode HID scanner) or ``"0c2e:0b61:pos"`` (HID POS);
    ``ValueError`` with a sentence otherwise."""
    parts = text.strip().lower().split(":")
    pos = len(parts) == 3 and parts[2] == "pos"
    if len(parts) not in (2, 3) or (len(parts) == 3 and not pos):
        raise ValueError(f"{text!r} is not VID:PID or VID:PID:pos (hex USB ids, e.g. 0c2e:0b61)")
    try:
        vendor, product = int(parts[0], 16), int(parts[1], 16)
    except ValueError:
        raise ValueError(f"{text!r}: the USB ids are hexadecimal, e.g. 0c2e:0b61") from None
    if not (0 < vendor <= 0xFFFF and 0 <= product <= 0xFFFF):
        raise ValueError(f"{text!r}: a USB id is 1 to 4 hex digits")
    return hid_config(vendor, product, pos=pos)


def hid_config(vendor_id: int, product_id: int, *, pos: bool = False) -> HidConfig:
    match = HidMatch(vendor_id, product_id or None,
                     usage_page=HID_POS_USAGE_PAGE if pos else None)  # fmt: skip
    device = f"hid:{vendor_id:04x}:{product_id:04x}"
    if pos:
        return HidConfig(match, device=device, has_report_id=True, protocol="pos")
    return HidConfig(match, device=device)


def wedge_config(scanner: ScannerSettings) -> WedgeConfig:
    """The wedge decoder for the saved settings (also the device settings screen's); another
    driver leaves the wedge at its defaults (card readers that type still use it). The decoder
    ends a reading on any one key of the saved suffix; an empty suffix ends it by the gap."""
    if scanner.driver != "wedge":
        return WedgeConfig()
    return WedgeConfig(
        device="wedge",
        prefix=scanner.prefix,
        suffixes=tuple(dict.fromkeys(scanner.suffix)),
        max_interval_ms=scanner.max_interval_ms,
    )


def cli_readers(
    serial_ports: Sequence[str], hid_readers: Sequence[str], on_event: OnEvent,
    on_status: OnStatus,
) -> list[Reader]:  # fmt: skip
    readers: list[Reader] = [
        SerialReader(SerialConfig(port, device=f"serial:{port}"), on_event, on_status)
        for port in serial_ports
    ]
    readers += [HidReader(parse_hid(text), on_event, on_status) for text in hid_readers]
    return readers


def settings_readers(
    scanner: ScannerSettings, serial_ports: Sequence[str], hid_readers: Sequence[str],
    on_event: OnEvent, on_status: OnStatus, *, hid_backend: Any = None,
) -> list[Reader]:  # fmt: skip
    """The reader the saved settings name, if the command line did not start it already."""
    if scanner.driver == "serial" and scanner.port and scanner.port not in serial_ports:
        config = SerialConfig(scanner.port, device=f"serial:{scanner.port}",
                              baudrate=scanner.baudrate, terminator=_terminator(scanner))
        return [SerialReader(config, on_event, on_status)]
    if scanner.driver == "hid" and scanner.vendor_id:
        config_hid = hid_config(scanner.vendor_id, scanner.product_id)
        given = {parse_hid(text).match for text in hid_readers}
        if config_hid.match not in given:
            return [HidReader(config_hid, on_event, on_status, backend=hid_backend)]
    return []


def _terminator(scanner: ScannerSettings) -> bytes | None:
    return scanner.suffix.encode() if scanner.suffix else None


def apply_settings(decoder: WedgeDecoder, scanner: ScannerSettings) -> None:
    """Give the running wedge decoder the saved settings (on the GUI thread, its owner)."""
    decoder.config = wedge_config(scanner)


def use_saved_settings(runtime: Any, decoder: WedgeDecoder, options: Any) -> None:
    """Read the saved scanner settings on the op worker (the first op that needs the store
    opens it), then on the GUI thread give them to the wedge and start the reader they name.
    A store that cannot open leaves the defaults (the window already says why)."""
    services, backend = runtime.window.ctx.services, runtime.backend

    def load() -> ScannerSettings:
        from pos_app.commands.composition import device_settings_service

        services.get()  # opens the store if nothing has yet
        return device_settings_service(backend.store).load().scanner

    def loaded(scanner: ScannerSettings) -> None:
        if runtime.stopped:
            return
        apply_settings(decoder, scanner)
        bridge = runtime.bridge
        for reader in settings_readers(scanner, options.card_readers, options.hid_readers,
                                       bridge.on_device_event, bridge.on_device_status):
            runtime.readers.append(reader)
            reader.start()

    runtime.runner.run(load, loaded, lambda error: log.warning("scanner settings: %s", error))
