"""The product catalogue and its history."""
