"""Settings screens (device settings per terminal)."""
