"""The local SQLite store: models, migrations, unit of work, repositories, outbox."""
