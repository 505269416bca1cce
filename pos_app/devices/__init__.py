"""Scanners, card readers, printers, cash drawer and sound; drivers chosen by configuration."""
