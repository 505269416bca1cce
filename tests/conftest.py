"""Shared fixtures. Qt runs headless in tests."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
