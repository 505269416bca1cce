"""Alembic environment: runs online against the URL that ``pos_server.db.migrate`` passes in."""

from alembic import context

from pos_server.db.engine import make_engine
from pos_server.db.migration_lock import lock_for_migration
from pos_server.db.models import Base

config = context.config
url = config.attributes["database_url"]


def run_migrations() -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            # the transaction the migrations run in starts holding the lock, and the current
            # version is read inside it: a process that waited finds nothing left to do
            lock_for_migration(connection)
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=url.startswith("sqlite"),
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        engine.dispose()


run_migrations()
