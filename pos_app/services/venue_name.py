"""The venue's name on the till's screen and receipts: the till's setting ``shop.name``.

It is the venue's, never the product's: the back office's ``venue.name`` replaces it when it
arrives through the feed (``programme_settings.py``); until then ``pos-app till --venue NAME``
or the first-run wizard stores it (kept for the next start), ``pos-app demo-data`` stores the
demo's "Демо-кафе". A till with none prints no name line on its receipts and its window says
"Till".
"""

from __future__ import annotations

from pos_app.services.ports import UnitOfWork, UnitOfWorkFactory

VENUE_NAME_KEY = "shop.name"


def venue_name(uow: UnitOfWork) -> str:
    return str(uow.settings.get(VENUE_NAME_KEY) or "")


def set_venue_name(uow: UnitOfWork, name: str) -> None:
    uow.settings.set(VENUE_NAME_KEY, name.strip())


def read_venue_name(uow_factory: UnitOfWorkFactory) -> str:
    with uow_factory(durable=False) as uow:
        return venue_name(uow)


def store_venue_name(uow_factory: UnitOfWorkFactory, name: str) -> None:
    with uow_factory() as uow:
        set_venue_name(uow, name)
        uow.commit()
