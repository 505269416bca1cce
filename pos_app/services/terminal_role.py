"""What this terminal is for: a till, or a till that also shows the incoming guest orders.

API::

    roles = TerminalRoles(uow_factory)
    roles.role()                      # -> "till" (default) or "till+console"
    roles.set_role("till+console")    # kept in the store's settings (``terminal.role``)

The role is a per-terminal setting (issue 8: "a terminal configured as a console, or as till +
console"), kept in the terminal's own store so it survives restarts and needs no server.
"""

from __future__ import annotations

from pos_app.domain.errors import DomainError
from pos_app.services.ports import UnitOfWorkFactory

ROLE_KEY = "terminal.role"
TILL = "till"
TILL_AND_CONSOLE = "till+console"
ROLES = (TILL, TILL_AND_CONSOLE)


class UnknownRole(DomainError):
    code = "unknown_terminal_role"


class TerminalRoles:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    def role(self) -> str:
        """The stored role; an unknown stored value counts as a plain till."""
        with self._uow(durable=False) as uow:
            value = uow.settings.get(ROLE_KEY, TILL)
        return value if value in ROLES else TILL

    def set_role(self, role: str) -> None:
        if role not in ROLES:
            raise UnknownRole(
                f"A terminal is either {' or '.join(ROLES)}, not {role!r}.", role=role
            )
        with self._uow() as uow:
            uow.settings.set(ROLE_KEY, role)
            uow.commit()

    def shows_orders(self) -> bool:
        return self.role() == TILL_AND_CONSOLE
