"""What the till screen needs from the rest of the app, as small Protocols and plain data.

The composition root (``pos_app.commands.composition``) hands the window objects that satisfy
these; the window never knows whether they talk to SQLite or to a test double.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from pos_app.services.screen_look import ScreenLook
from pos_app.services.subscription import SubscriptionService

if TYPE_CHECKING:
    from pos_app.domain.catalog import Product
    from pos_app.services.bonus_override import BonusOverrideService
    from pos_app.services.deposits import DepositService
    from pos_app.services.guest_cabinet import GuestCabinetService
    from pos_app.services.guest_card import GuestCardService
    from pos_app.services.guest_history import GuestHistoryService
    from pos_app.services.guests import GuestService
    from pos_app.services.hold_reset import HoldResetService
    from pos_app.services.overrides import OverrideService
    from pos_app.services.payments import PaymentService
    from pos_app.services.points import PointsService
    from pos_app.services.promo import PromoService
    from pos_app.services.refunds import RefundService
    from pos_app.services.report_printer import ReportPrinter
    from pos_app.services.sales import SaleService
    from pos_app.services.shifts import ShiftService
    from pos_app.services.staff import Authorization
    from pos_app.services.sync_queue import SyncQueue
    from pos_app.services.venue_time import VenueTime


class SignedInStaff(Protocol):
    """``pos_app.services.staff.StaffSession`` as the screen reads it."""

    @property
    def staff_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def granted(self) -> frozenset[str]: ...  # permissions beyond the role (the guest card)


class SignIn(Protocol):
    def sign_in(self, pin: str) -> SignedInStaff:
        """The staff member whose PIN this is; raises a ``DomainError`` for a wrong PIN."""
        ...


class StaffAuth(SignIn, Protocol):
    def require(self, session: Any, action: Any) -> None:
        """Raise ``PermissionDenied`` unless the signed-in ``session``'s role allows ``action``."""
        ...

    def authorize_manager(self, pin: str, action: Any) -> Authorization:
        """A manager's approval of ``action`` (``services.staff.Action``); raises if the PIN
        is wrong or its owner may not allow it."""
        ...


@dataclass(frozen=True, slots=True)
class CatalogueGroup:
    group_id: str
    name: str
    products: tuple[Product, ...]
    colour: str | None = None  # its products' tiles unless they have their own
    image: bytes | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The products the till sells, by group, in the order the tiles show them."""

    groups: tuple[CatalogueGroup, ...] = ()

    def search(self, text: str, limit: int = 60) -> list[Product]:
        """Products whose name contains ``text`` or whose id/barcode starts with it."""
        needle = text.strip().casefold()
        if not needle:
            return []
        found = [
            p
            for g in self.groups
            for p in g.products
            if needle in p.name.casefold()
            or p.id.casefold().startswith(needle)
            or (p.barcode or "").startswith(needle)
        ]
        return found[:limit]


class CatalogueSource(Protocol):
    def load(self) -> Catalogue: ...


def _no_cabinet() -> GuestCabinetService:
    """A till without a server (imported here, not at start: the window's first frame waits
    for the imports of this module)."""
    from pos_app.services.guest_cabinet import GuestCabinetService

    return GuestCabinetService()


@dataclass(frozen=True)
class TillScreenServices:
    """The use cases the till screen calls, all on one store, every one always there: a till
    without a printer, a server or a card terminal gets services that say so
    (``pos_app.commands.composition`` builds this)."""

    sales: SaleService
    payments: PaymentService
    guests: GuestService
    staff: StaffAuth
    catalogue: CatalogueSource
    points: PointsService
    promo: PromoService
    flush: Callable[[], object]  # write open sales' basket edits to disk
    promo_prefix: str  # scanned codes starting with it are promo codes ("": no program)
    shifts: ShiftService
    reports: ReportPrinter  # the shift report on paper (NoReportPrinter: no printer)
    overrides: OverrideService  # hand discounts and prices (manager's PIN)
    refunds: RefundService  # a closed sale back (manager's PIN)
    reconciliation: SyncQueue  # what the server did not accept (manager's PIN)
    bonus: BonusOverrideService  # one order's bonus settings (manager's PIN)
    hold_reset: HoldResetService  # a guest's holds released on the server
    guest_card: GuestCardService  # the guest card dialog (Ctrl+G)
    guest_history: GuestHistoryService  # its History tab
    deposits: DepositService  # deposit top-ups and their refunds (the card's Accounts tab)
    venue_zone: tzinfo  # the venue's local time (services/venue_time.py)
    venue_time: VenueTime  # reads it again once a pull may have brought a new one
    venue_name: str = ""  # the venue on screen (services/venue_name.py); "": the window says Till
    look: ScreenLook = field(default_factory=ScreenLook)  # font size, touch mode (settings)
    # the guest's messenger link from the server (seed 003); default: no server, "later"
    subscriptions: SubscriptionService = field(default_factory=SubscriptionService)
    # the guest card's Cabinet tab (login and password on the server); default: no server
    guest_cabinet: GuestCabinetService = field(default_factory=_no_cabinet)


class ServiceHolder:
    """The till's services, built by the first op on the op runner's worker.

    The window is shown at once and the store (SQLAlchemy, migrations, the file) is opened off
    the GUI thread, by the first op on the op runner's one worker that needs it (the window
    queues that op as soon as the PIN dialog is up). ``get()`` is for code running on that
    worker; if opening failed it raises that error again, so every action tells the cashier
    why the till cannot work.
    """

    def __init__(self, build: Callable[[], TillScreenServices]) -> None:
        self._build = build
        self._services: TillScreenServices | None = None
        self._error: Exception | None = None

    def open(self) -> TillScreenServices:
        try:
            self._services = self._build()
        except Exception as exc:
            self._error = exc
            raise
        return self._services

    def get(self) -> TillScreenServices:
        if self._services is None:
            if self._error is not None:
                raise self._error
            return self.open()  # the first op that needs them opens them
        return self._services


@dataclass(frozen=True)
class TillExtras:
    """Optional collaborators; a missing one hides its feature instead of faking it."""

    promo_prefixes: Sequence[str] = field(default_factory=tuple)
