"""Card acquiring: the TCP line-protocol client (``TcpAcquirer``) and a fake terminal."""

from pos_app.devices.acquiring.client import TcpAcquirer
from pos_app.devices.acquiring.emulator import FakeCardTerminal

__all__ = ["FakeCardTerminal", "TcpAcquirer"]
