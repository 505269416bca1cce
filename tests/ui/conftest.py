"""Fixtures of the till window tests."""

from tests.ui.till_fixtures import till_factory

__all__ = ["till_factory"]
