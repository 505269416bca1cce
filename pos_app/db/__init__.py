"""The till's local SQLite store: models, migrations, unit of work, repositories, outbox."""

from pos_app.db import models_console  # noqa: F401  (console tables on the one metadata)
from pos_app.db.uow import SqlUnitOfWork, Store, open_store
from pos_app.services.ports import StoreError

__all__ = ["SqlUnitOfWork", "Store", "StoreError", "open_store"]
