"""Offline-first point of sale: the desktop client (till and operator console)."""

__version__ = "0.1.0"
