"""Guests' groups: the group settings and moving a guest between groups."""
