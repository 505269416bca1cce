"""Core statements run straight on the DBAPI cursor, for the operations endpoint's hot path.

SQLAlchemy's ``Connection.execute`` costs about 150 µs of CPU per statement on PostgreSQL
(execution context, events, result metadata) and 40 µs on SQLite, where the driver itself needs
60 µs and 4 µs. A hold or a sale is judged with about ten statements, so that overhead was
most of the server's CPU per operation (``python -m bench server``, ``bench sync``).

``Fast(statement)`` compiles a Core statement once per dialect, with SQLAlchemy's own bind and
result processors (so ``UtcDateTime``, JSON and the rest behave exactly as through the ORM),
and runs it on the connection's DBAPI cursor inside the connection's current transaction. The
SQL is still written once, as Core, for SQLite and PostgreSQL. Expanding ``IN`` parameters are
not supported: such a statement goes through ``Connection.execute``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import ClauseElement, Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any]
# keys in the pool's per-connection info: (DBAPI connection, cursor)
_CURSOR, _CLIENT_CURSOR = "fastexec_cursor", "fastexec_client_cursor"


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: tuple[tuple[str, Processor | None], ...] | None  # qmark: (name, processor)
    binds: tuple[tuple[str, Processor], ...]  # by name: the parameters to convert
    literals: dict[str, Any]  # values written into the statement (status == 'open')
    results: tuple[tuple[int, Processor], ...]  # result column index -> processor
    row_type: type[FastRow]  # rows readable by the result columns' names


class FastRow(tuple[Any, ...]):
    """A result row readable by column name (``row.total``) like SQLAlchemy's."""

    __slots__ = ()
    _keys: ClassVar[dict[str, int]] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._keys[name]]
        except KeyError:
            raise AttributeError(name) from None


class Fast:
    """One Core statement, compiled on first use per dialect."""

    def __init__(
        self, statement: ClauseElement, *, column_keys: Sequence[str] | None = None
    ) -> None:
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._compiled: dict[str, _Compiled] = {}
        self._last: tuple[Dialect, _Compiled] | None = None

    def _for(self, dialect: Dialect) -> _Compiled:
        last = self._last
        if last is not None and last[0] is dialect:
            return last[1]
        key = f"{dialect.name}+{dialect.driver}"
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._compile(dialect)
        self._last = (dialect, found)
        return found

    def _compile(self, dialect: Dialect) -> _Compiled:
        kwargs: dict[str, Any] = {"for_executemany": True} if self.column_keys else {}
        compiled: Any = self.statement.compile(dialect=dialect, column_keys=self.column_keys,
                                               **kwargs)  # fmt: skip
        if compiled.positiontup is None and dialect.positional:
            raise ValueError("positional dialect without parameter order")
        binds = tuple(compiled._bind_processors.items())
        results: list[tuple[int, Processor]] = []
        keys: dict[str, int] = {}
        for index, column in enumerate(getattr(compiled, "_result_columns", ()) or ()):
            keys[column.keyname] = index
            proc = column.type._cached_result_processor(dialect, None)
            if proc is not None:
                results.append((index, proc))
        positional = None
        if dialect.positional:
            procs = dict(binds)
            positional = tuple((name, procs.get(name)) for name in compiled.positiontup)
        literals = {name: bind.value for name, bind in compiled.binds.items()
                    if not bind.required and bind.callable is None}  # fmt: skip
        row_type = type("Row", (FastRow,), {"__slots__": (), "_keys": keys})
        return _Compiled(compiled.string, positional, binds, literals, tuple(results), row_type)

    def bound(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, Any]:
        """The SQL for ``dialect`` and ``params`` converted as the driver takes them."""
        compiled = self._for(dialect)
        return compiled.sql, self._params(compiled, params)

    def _params(self, compiled: _Compiled, params: Mapping[str, Any]) -> Any:
        if compiled.literals:
            params = {**compiled.literals, **params}
        if compiled.positional is not None:
            return [params[name] if proc is None else proc(params[name])
                    for name, proc in compiled.positional]  # fmt: skip
        if compiled.binds:
            params = dict(params)
            for name, proc in compiled.binds:
                if name in params:
                    params[name] = proc(params[name])
        return params

    def _cursor(self, connection: Connection) -> tuple[_Compiled, Any]:
        compiled = self._for(connection.dialect)
        if not connection.in_transaction():  # as Connection.execute would (SQLite: IMMEDIATE)
            connection.begin()
        return compiled, _kept_cursor(connection, _CURSOR, lambda raw: raw.cursor())

    def rows(self, connection: Connection, params: Mapping[str, Any] | None = None
             ) -> list[FastRow]:  # fmt: skip
        compiled, cursor = self._cursor(connection)
        cursor.execute(compiled.sql, self._params(compiled, params or {}))
        fetched = cursor.fetchall()  # a statement that returns rows (SELECT, RETURNING)
        row_type = compiled.row_type
        if compiled.results:
            converted = []
            for raw_row in fetched:
                values = list(raw_row)
                for index, proc in compiled.results:
                    values[index] = proc(values[index])
                converted.append(row_type(values))
            return converted
        return [row_type(r) for r in fetched]

    def first(self, connection: Connection, params: Mapping[str, Any] | None = None
              ) -> FastRow | None:  # fmt: skip
        found = self.rows(connection, params)
        return found[0] if found else None

    def scalar(self, connection: Connection, params: Mapping[str, Any] | None = None) -> Any:
        row = self.first(connection, params)
        return None if row is None else row[0]

    def run(self, connection: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Execute a statement that returns no rows; the row count."""
        compiled, cursor = self._cursor(connection)
        cursor.execute(compiled.sql, self._params(compiled, params or {}))
        return int(cursor.rowcount)

    def run_many(self, connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        if len(rows) == 1:  # psycopg's executemany enters pipeline mode: dearer for one row
            self.run(connection, rows[0])
            return
        compiled, cursor = self._cursor(connection)
        cursor.executemany(compiled.sql, [self._params(compiled, r) for r in rows])


def core_connection(db: Session | Connection) -> Connection:
    """A Core connection in ``db``'s transaction, for ``Fast`` statements; a session's pending
    objects flushed first (as an ORM query would autoflush them)."""
    if isinstance(db, Session):
        db.flush()
        return db.connection()
    return db


def run_and_commit(connection: Connection, parts: Sequence[tuple[Fast, Mapping[str, Any]]]
                   ) -> None:  # fmt: skip
    """PostgreSQL: ``parts`` and COMMIT sent as ONE query (client-side binding).

    The last statements of an operation take the change feed's counter row lock, held until
    COMMIT. Sent on their own, the COMMIT followed only after their answer had come back to a
    worker thread that then had to win the GIL back from its busy neighbours: the lock stayed
    held for that whole wait and every other operation queued behind it (``bench server``:
    a sixth of all server time was spent waiting for that lock). Sent together, PostgreSQL
    runs them and commits without a round trip in between. A failure stops the query before
    the COMMIT and leaves the transaction failed, to be rolled back as before; afterwards the
    connection is idle and ``Connection.commit`` finds nothing to do.
    """
    sql: list[str] = []
    params: dict[str, Any] = {}
    for fast, values in parts:
        text, bound = fast.bound(connection.dialect, values)
        for name, value in bound.items():
            if name in params and params[name] != value:
                raise ValueError(f"parameter {name!r} bound twice with different values")
            params[name] = value
        sql.append(text)
    cursor = _kept_cursor(connection, _CLIENT_CURSOR, _client_cursor)
    cursor.execute(";\n".join([*sql, "COMMIT"]), params)


def _client_cursor(raw: Any) -> Any:
    from psycopg import ClientCursor

    return ClientCursor(raw)


def _kept_cursor(connection: Connection, key: str, make: Callable[[Any], Any]) -> Any:
    """A cursor kept open per DBAPI connection (in the pool's per-connection ``info``), made
    anew when the pool replaced that connection."""
    fairy = connection.connection
    raw = fairy.dbapi_connection
    assert raw is not None
    kept = fairy.info.get(key)
    if kept is None or kept[0] is not raw:
        kept = fairy.info[key] = (raw, make(raw))
    return kept[1]
