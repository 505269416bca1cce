"""The sale use cases' lookup errors, below every service that raises them.

``sales.py`` re-exports them (``from pos_app.services.sales import SaleNotFound`` keeps
working); they live here so that modules the sale's closing needs (``promo.py``, ``guests.py``)
can raise them without importing ``sales.py``, which imports the closing
(``sale_closing.py``).
"""

from __future__ import annotations

from pos_app.domain.errors import DomainError


class SaleNotFound(DomainError):
    code = "sale_not_found"


class ProductNotFound(DomainError):
    code = "product_not_found"


class ProductOffSale(DomainError):
    """Found, but its product group is inactive in the back office: not sold until the group
    is active again (``details``: product, group)."""

    code = "product_off_sale"


class GuestNotFound(DomainError):
    code = "guest_not_found"


class AmbiguousPhone(DomainError):
    code = "ambiguous_phone"
