"""Decides what a reading is: a product barcode, a guest's card or app code, or a promo code.

After Odoo's barcode nomenclature: an ordered list of rules (reading kind + a pattern) as data,
first match wins; a barcode no rule claims is a product. The router only names the target;
the till controller makes the service call. Qt-free, so it is tested as plain Python.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pos_app.ui.key_hook import Reading


class Target(enum.Enum):
    PRODUCT = "product"
    GUEST = "guest"
    PROMO = "promo"


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str  # "barcode" | "msr" | "*"
    pattern: str  # a regular expression matched against the whole reading
    target: Target

    def matches(self, reading: Reading) -> bool:
        kind_ok = self.kind in ("*", reading.kind)
        return kind_ok and re.fullmatch(self.pattern, reading.data) is not None


@dataclass(frozen=True, slots=True)
class Route:
    target: Target
    value: str
    method: str  # how it was read: "msr" | "barcode" (InputMethod values)


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("msr", r".+", Target.GUEST),  # every card swipe is a guest card
    Rule("barcode", r"QR-.+", Target.GUEST),  # the guest app's QR code
)


def promo_rules(prefixes: Iterable[str]) -> tuple[Rule, ...]:
    """Readings that start with a promo prefix (``ПРОМО``, ``FRIEND``) are promo codes."""
    return tuple(Rule("barcode", re.escape(p) + r".+", Target.PROMO) for p in prefixes if p)


class ScanRouter:
    def __init__(self, rules: Sequence[Rule] = DEFAULT_RULES) -> None:
        self.rules = tuple(rules)

    def route(self, reading: Reading) -> Route:
        method = "msr" if reading.kind == "msr" else "barcode"
        for rule in self.rules:
            if rule.matches(reading):
                return Route(rule.target, reading.data, method)
        return Route(Target.PRODUCT, reading.data, method)
