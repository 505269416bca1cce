"""The programme settings the server publishes (issue 18 point 4), kept in the till's store.

The back office (``pos_server.programme``) sends each group as a ``programme`` change whose
entity id names the group; this module writes it into the settings the till's services have
always read, so each of them follows the server's value:

- ``venue``: ``shop.name`` (the screen and receipts; an empty name on the server leaves the
  till's own), ``shop.address``, ``shop.tax_number``, ``receipt.header``, ``receipt.footer``
  (receipts, ``venue_details``) and ``shop.timezone`` (``venue_time.py``);
- ``loyalty``: ``loyalty.program`` (``loyalty_settings.py``), ``points.offline_allowance``
  (``points_holds.py``) and ``loyalty.daily_limits`` (``guests.py``), both for guests without
  a group;
- ``promo``: ``promo.program`` (``promo.py``: prefix, discount, cashback, digits, the
  subscription link; an empty link on the server leaves the till's);
- ``top_up``: ``balance.top_up_limits``, what one staff member of each role may top up at a
  time and in a day (``deposits.py``, ``top_up_limits``); the built-in
  ``domain.balance.TOP_UP_LIMITS`` until the server sends them;
- ``staff``: ``staff.cashier_max_discount_bp``, the order or line discount a cashier may give
  without a manager (``overrides.py``; 5 % until the server sends it).

``ordering`` is the server's alone (it refuses a guest order when ordering is off or the method
is not allowed); the till has nothing to keep from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pos_app.domain.balance import TOP_UP_LIMITS, TopUpLimit
from pos_app.domain.limits import DailyLimits
from pos_app.domain.staff_pins import Role
from pos_app.domain.venue_clock import shop_zone
from pos_app.services.loyalty_settings import PROGRAM_KEY as LOYALTY_KEY
from pos_app.services.ports import UnitOfWork, UnitOfWorkFactory
from pos_app.services.promo import PROGRAM_KEY as PROMO_KEY
from pos_app.services.venue_name import VENUE_NAME_KEY
from pos_app.services.venue_time import TIMEZONE_KEY

PROGRAMME_ENTITY = "programme"
ADDRESS_KEY = "shop.address"
TAX_NUMBER_KEY = "shop.tax_number"
HEADER_KEY = "receipt.header"
FOOTER_KEY = "receipt.footer"
ALLOWANCE_KEY = "points.offline_allowance"  # = points_holds.DEFAULT_ALLOWANCE_KEY
LIMITS_KEY = "loyalty.daily_limits"
TOP_UP_KEY = "balance.top_up_limits"
CASHIER_DISCOUNT_KEY = "staff.cashier_max_discount_bp"  # = overrides.CASHIER_LIMIT_KEY


@dataclass(frozen=True, slots=True)
class VenueDetails:
    """What a receipt prints about the venue."""

    name: str = ""
    address: str = ""
    tax_number: str = ""
    header: str = ""
    footer: str = ""


def venue_details(uow: UnitOfWork) -> VenueDetails:
    def text(key: str) -> str:
        return str(uow.settings.get(key) or "")

    return VenueDetails(text(VENUE_NAME_KEY), text(ADDRESS_KEY), text(TAX_NUMBER_KEY),
                        text(HEADER_KEY), text(FOOTER_KEY))  # fmt: skip


def read_venue_details(uow_factory: UnitOfWorkFactory) -> VenueDetails:
    with uow_factory(durable=False) as uow:
        return venue_details(uow)


def default_limits(uow: UnitOfWork) -> DailyLimits:
    """The daily limits of a guest without a group (none until the server sets them)."""
    data = uow.settings.get(LIMITS_KEY) or {}
    return DailyLimits(data.get("identifications"), data.get("points_spend"))


def top_up_limits(uow: UnitOfWork) -> dict[Role, TopUpLimit]:
    """What one staff member of each role may top up (kopecks): the server's ``top_up``."""
    data = uow.settings.get(TOP_UP_KEY) or {}
    return {role: TopUpLimit(int(data.get(role.value, built_in.per_top_up)),
                             int(data.get(f"{role.value}_day", built_in.per_day)))
            for role, built_in in TOP_UP_LIMITS.items()}  # fmt: skip


def store_programme(uow: UnitOfWork, group: str, data: Mapping[str, Any]) -> None:
    """One ``programme`` change; a malformed one raises before anything is written (the feed
    counts it skipped, the till keeps what it had)."""
    if group == "venue":
        _venue(uow, data)
    elif group == "loyalty":
        program = {"accrual_bp": int(data["accrual_bp"]),
                   "max_redemption_bp": int(data["max_redemption_bp"])}  # fmt: skip
        limits = {"identifications": _optional(data.get("daily_identification_limit")),
                  "points_spend": _optional(data.get("daily_points_spend_limit"))}  # fmt: skip
        DailyLimits(limits["identifications"], limits["points_spend"])  # checked
        allowance = int(data["offline_allowance"])
        uow.settings.set(LOYALTY_KEY, program)
        uow.settings.set(LIMITS_KEY, limits)
        uow.settings.set(ALLOWANCE_KEY, allowance)
    elif group == "promo":
        kept = dict(uow.settings.get(PROMO_KEY) or {})
        uow.settings.set(PROMO_KEY, {**kept, "prefix": str(data["prefix"]),
                                     "discount_bp": int(data["discount_bp"]),
                                     "cashback_bp": int(data["cashback_bp"]),
                                     "digits": int(data["digits"])})  # fmt: skip
    elif group == "top_up":
        top_up = {f"{role.value}{day}": int(data[f"{role.value}{day}"])
                  for role in Role for day in ("", "_day")}  # fmt: skip
        if any(value < 0 for value in top_up.values()):
            raise ValueError("a top-up limit cannot be negative")
        uow.settings.set(TOP_UP_KEY, top_up)
    elif group == "staff":
        cap = int(data["cashier_max_discount_bp"])
        if not 0 <= cap <= 10_000:
            raise ValueError("a cashier's discount cap is 0 to 100 %")
        uow.settings.set(CASHIER_DISCOUNT_KEY, cap)


def _venue(uow: UnitOfWork, data: Mapping[str, Any]) -> None:
    zone = str(data["timezone"])
    shop_zone(zone)  # an unknown zone raises UnknownTimeZone: nothing is written
    name = str(data.get("name") or "").strip()
    if name:
        uow.settings.set(VENUE_NAME_KEY, name)
    for key, field in (
        (ADDRESS_KEY, "address"),
        (TAX_NUMBER_KEY, "tax_number"),
        (HEADER_KEY, "receipt_header"),
        (FOOTER_KEY, "receipt_footer"),
    ):
        uow.settings.set(key, str(data.get(field) or ""))  # fmt: skip
    uow.settings.set(TIMEZONE_KEY, zone)


def _optional(value: Any) -> int | None:
    return None if value is None else int(value)
