"""Emulated devices (printer over TCP, scanner and card reader over a pty) for demos and tests."""
