"""``pos-app emulate printer|scanner|msr``: run an emulated device (see emulators/)."""

from __future__ import annotations

import sys

USAGE = """usage: pos-app emulate printer [--port 9100] --out DIR [--profile epson] [--paper-out]
       pos-app emulate serial-printer --out DIR [--baud 19200] [--paper-out]
       pos-app emulate scanner|msr [--send VALUE] [--link PATH]"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] == "printer":
        from pos_app.devices.emulators import printer

        return printer.main(argv[1:])
    if argv[0] == "serial-printer":
        from pos_app.devices.emulators import serial_printer

        return serial_printer.main(argv[1:])
    if argv[0] in ("scanner", "msr"):
        from pos_app.devices.emulators import serial_device

        return serial_device.main(argv)
    print(f"pos-app emulate: unknown device {argv[0]!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
