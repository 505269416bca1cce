"""The fixed reasons a reader gives with its state (``DeviceStatus.detail``).

The device layer says them and the UI translates them; both take them from here, as those two
layers may not import each other. Any other detail is an OS error, shown as it came.
"""

from __future__ import annotations

NOT_PLUGGED_IN = "not plugged in"
HIDAPI_MISSING = "hidapi is not installed"
PYSERIAL_MISSING = "pyserial is not installed"
UNPLUGGED = "unplugged: "  # followed by the OS error
CANNOT_OPEN = "cannot open: "  # followed by the OS error
