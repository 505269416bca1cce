"""Pure rules of the shop: standard library only, no I/O, no Qt, no SQL."""
