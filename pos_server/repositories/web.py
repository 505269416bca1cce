"""The web stack's rows: server-side sessions and the sign-in failure counts
(``pos_server.web.sessions``, ``pos_server.web.throttle``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from pos_server.db.models_web import SignInFailureRow, WebSessionRow
from pos_server.uow import Repository


class WebSessions(Repository):
    __slots__ = ()

    def add(self, row: WebSessionRow) -> None:
        self._session.add(row)
        self._session.flush()

    def get(self, token_hash: str) -> WebSessionRow | None:
        return self._session.get(WebSessionRow, token_hash)

    def remove(self, token_hash: str) -> None:
        self._session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))

    def remove_of(self, realm: str, subject_id: str) -> int:
        """Every session of one person (signed out everywhere: deactivated, new password)."""
        result = self._session.execute(delete(WebSessionRow).where(
            WebSessionRow.realm == realm, WebSessionRow.subject_id == subject_id))  # fmt: skip
        return int(getattr(result, "rowcount", 0) or 0)

    def remove_expired(self, now: datetime) -> None:
        self._session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))


class SignInFailures(Repository):
    __slots__ = ()

    def locked_until(self, realm: str, key: str) -> datetime | None:
        """The key's lock (None: none); the row stays locked to the end of the transaction."""
        row = self._session.get(SignInFailureRow, (realm, key), with_for_update=True)
        return None if row is None else row.locked_until

    def failed(self, realm: str, key: str) -> int:
        """One more failure (insert-or-increment: two processes never lose one); the count."""
        dialect = postgresql if self._dialect == "postgresql" else sqlite
        statement = (
            dialect.insert(SignInFailureRow)
            .values(realm=realm, key=key, failures=1, locked_until=None)
            .on_conflict_do_update(index_elements=["realm", "key"],
                                   set_={"failures": SignInFailureRow.failures + 1})
            .returning(SignInFailureRow.failures)
        )  # fmt: skip
        return int(self._session.execute(statement).scalar_one())

    def lock(self, realm: str, key: str, seconds: float) -> None:
        self._session.execute(
            update(SignInFailureRow)
            .where(SignInFailureRow.realm == realm, SignInFailureRow.key == key)
            .values(locked_until=self._uow.now + timedelta(seconds=seconds))
        )

    def clear(self, realm: str, key: str) -> None:
        self._session.execute(delete(SignInFailureRow).where(
            SignInFailureRow.realm == realm, SignInFailureRow.key == key))  # fmt: skip
