"""Server persistence: SQLAlchemy 2 models, engine set-up and the server's own migrations."""

from pos_server.db.engine import make_engine, make_sessions
from pos_server.db.migrate import upgrade

__all__ = ["make_engine", "make_sessions", "upgrade"]
