"""The till's manager calls on the server, wired for an enrolled till (``till_app`` uses it).

An enrolled till has a server address and a terminal token; "reset a guest's holds" goes there
(``pos_app.sync.admin_client``), and the change feed is pulled afterwards so the guest's
points show the released holds. A till that is not enrolled gets the service without a port:
the manager reads that this till is not connected to a server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos_app.services.hold_reset import HoldResetService

if TYPE_CHECKING:
    from pos_app.commands.sync_runtime import SyncRuntime
    from pos_app.db import Store
    from pos_app.services.staff import StaffService


def hold_reset_service(
    store: Store, staff: StaffService, sync: SyncRuntime | None, server_url: str | None
) -> HoldResetService:
    if sync is None:
        return HoldResetService(staff, None)
    from pos_app.commands.sync_runtime import SERVER_KEY, load_token
    from pos_app.sync.admin_client import AdminClient

    _, token = load_token(store)
    with store.unit_of_work(durable=False) as uow:
        url = server_url or uow.settings.get(SERVER_KEY)
    if not url:
        return HoldResetService(staff, None)
    return HoldResetService(staff, AdminClient(str(url), token), refresh=sync.puller.pull)
