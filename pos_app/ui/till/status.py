"""The status bar's sync part: online / offline since HH:MM / N operations waiting / last sync.

It reads the sync core's plain ``pos_app.sync.state.SyncSnapshot`` by its attributes
(``online``, ``offline_since``, ``waiting``, ``oldest_waiting_at``, ``last_sync``, ``fatal``,
``sending``; times aware UTC, shown in local time), delivered through the bridge's
``sync_did_change_state``. A till that is not enrolled gets a state with ``enrolled=False``
and its own outbox count, and the bar says so (not "waiting to send": nothing will send them)
instead of pretending to be online. Next to it, ``SyncProblemsButton`` counts what the server
rejected and no manager has resolved yet. ``ConnectionBanner`` is the part nobody can miss:
a red badge in the window's header while the till is offline or not enrolled.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from pos_app.services import device_reasons as reasons


def _hhmm(at: datetime, zone: tzinfo | None = None) -> str:
    """In the venue's time zone once the store told it (None: the computer's)."""
    return at.astimezone(zone).strftime("%H:%M")


def _age(since: datetime, now: datetime) -> str:
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes < 1:
        return QCoreApplication.translate("SyncStatus", "under a minute")
    if minutes < 120:
        return QCoreApplication.translate("SyncStatus", "%1 min").replace("%1", str(minutes))
    return QCoreApplication.translate("SyncStatus", "%1 h").replace("%1", str(minutes // 60))


def describe(state: object, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """One line for the status bar (clock times in ``zone``, the venue's)."""
    now = now or datetime.now(UTC)
    parts: list[str] = []
    if getattr(state, "plain_http", False):
        parts.append(QCoreApplication.translate(
            "SyncStatus", "offline — the server's address is plain http://; use https:// "
            "(or start the till with --insecure)"))  # fmt: skip
    elif not getattr(state, "enrolled", True):
        # Nothing is "waiting to send" on a till that has nowhere to send it: say what it is.
        return QCoreApplication.translate(
            "SyncStatus", "not enrolled with a server — sales stay on this till")
    elif getattr(state, "online", False):
        parts.append(QCoreApplication.translate("SyncStatus", "online"))
    else:
        since = getattr(state, "offline_since", None)
        parts.append(
            QCoreApplication.translate("SyncStatus", "offline since %1").replace(
                "%1", _hhmm(since, zone)
            )
            if since
            else QCoreApplication.translate("SyncStatus", "offline")
        )
    fatal = getattr(state, "fatal", None)
    if fatal:
        parts.append(
            QCoreApplication.translate("SyncStatus", "sending stopped: %1").replace("%1", fatal)
        )
    elif not getattr(state, "sending", True):
        parts.append(QCoreApplication.translate("SyncStatus", "another window sends"))
    pending = int(getattr(state, "waiting", 0) or 0)
    if pending:
        text = QCoreApplication.translate("SyncStatus", "waiting to send: %1").replace(
            "%1", str(pending)
        )
        oldest = getattr(state, "oldest_waiting_at", None)
        if oldest is not None:
            text += " " + QCoreApplication.translate("SyncStatus", "(oldest %1)").replace(
                "%1", _age(oldest, now)
            )
        parts.append(text)
    else:
        parts.append(QCoreApplication.translate("SyncStatus", "nothing waiting"))
    last = getattr(state, "last_sync", None)
    if last is not None:
        parts.append(
            QCoreApplication.translate("SyncStatus", "last sync %1").replace(
                "%1", _hhmm(last, zone)
            )
        )
    return " · ".join(parts)


class SyncStatusLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.state: object | None = None
        self.zone: tzinfo | None = None  # the venue's, set by the window once known

    def show_state(self, state: object) -> None:
        self.state = state
        self.setText(describe(state, zone=self.zone))
        online = bool(getattr(state, "online", False)) and getattr(state, "enrolled", True)
        self.setProperty("online", online)
        self.style().unpolish(self)
        self.style().polish(self)


class ConnectionBanner(QLabel):
    """Offline, not enrolled, or sending stopped: a short badge in the header (hidden while
    online); the status bar's full line is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setMinimumWidth(1)  # a long text is clipped, never widens the window past the screen
        self.zone: tzinfo | None = None  # the venue's, set by the window once known
        self.hide()

    def show_state(self, state: object) -> None:
        text, level = banner_text(state, self.zone)
        self.setText(text)
        self.setToolTip(describe(state, zone=self.zone))
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(text))


def banner_text(state: object, zone: tzinfo | None = None) -> tuple[str, str]:
    """The badge's text and level ("offline" / "unenrolled"); ``("", "")`` while online."""
    fatal = getattr(state, "fatal", None)
    if getattr(state, "plain_http", False):
        return QCoreApplication.translate(
            "SyncStatus", "OFFLINE — the server's address is not https://"), "offline"
    if not getattr(state, "enrolled", True):
        return QCoreApplication.translate(
            "SyncStatus", "NOT ENROLLED WITH A SERVER"), "unenrolled"
    if fatal:
        return QCoreApplication.translate("SyncStatus", "SENDING STOPPED"), "offline"
    since = getattr(state, "offline_since", None)
    if getattr(state, "online", False) or since is None:
        return "", ""  # online, or not tried yet (a start is not an outage)
    text = QCoreApplication.translate("SyncStatus", "OFFLINE since %1").replace(
        "%1", _hhmm(since, zone))
    pending = int(getattr(state, "waiting", 0) or 0)
    if pending:
        text += " · " + QCoreApplication.translate("SyncStatus", "not sent: %1").replace(
            "%1", str(pending))
    return text, "offline"


class SyncProblemsButton(QPushButton):
    """The open reconciliation items, so a manager notices them: hidden at 0, a click (or F5)
    opens the screen. The count comes with every sync state (``problems``) and, after a
    manager resolved one, from the screen itself (``show_count``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncProblems")
        self.setFlat(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.count = 0
        self.hide()

    def show_state(self, state: object) -> None:
        self.show_count(int(getattr(state, "problems", 0) or 0))

    def show_count(self, count: int) -> None:
        self.count = count
        self.setText(
            QCoreApplication.translate("SyncStatus", "sync problems: %1 (F5)").replace(
                "%1", str(count)
            )
        )
        self.setVisible(count > 0)


class DeviceStatusLabel(QLabel):
    """The readers' connection states (hot-plug is normal: a state, never an error dialog).

    The bar stays one short line; the reason a reader is off or disconnected (the port's
    error, "not plugged in") is in the tooltip, for whoever has to fix it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceStatus")
        self.states: dict[str, str] = {}
        self.details: dict[str, str] = {}

    def show_status(self, status: object) -> None:
        device = str(getattr(status, "device", ""))
        state = getattr(status, "state", None)
        self.states[device] = str(getattr(state, "value", state))
        self.details[device] = str(getattr(status, "detail", "") or "")
        names = {
            "connected": QCoreApplication.translate("DeviceStatus", "connected"),
            "connecting": QCoreApplication.translate("DeviceStatus", "connecting"),
            "disconnected": QCoreApplication.translate("DeviceStatus", "disconnected"),
            "disabled": QCoreApplication.translate("DeviceStatus", "off"),
        }
        shown, reasons = [], []
        for device_name, value in sorted(self.states.items()):
            line = f"{device_name.removeprefix('serial:')}: {names.get(value, value)}"
            detail = _detail_text(self.details[device_name])
            shown.append(line)
            reasons.append(f"{line} ({detail})" if detail else line)
        self.setText(" · ".join(shown))
        self.setToolTip("\n".join(reasons))


def _detail_text(detail: str) -> str:
    """The device layer's fixed reasons in the UI's language; an OS error as it came."""
    fixed = {
        reasons.NOT_PLUGGED_IN: QCoreApplication.translate("DeviceStatus", "not plugged in"),
        reasons.HIDAPI_MISSING: QCoreApplication.translate(
            "DeviceStatus", "the hidapi library is not installed"),
        reasons.PYSERIAL_MISSING: QCoreApplication.translate(
            "DeviceStatus", "the pyserial library is not installed"),
    }  # fmt: skip
    if detail in fixed:
        return fixed[detail]
    prefixes = {
        reasons.UNPLUGGED: QCoreApplication.translate("DeviceStatus", "unplugged: %1"),
        reasons.CANNOT_OPEN: QCoreApplication.translate("DeviceStatus", "cannot open: %1"),
    }
    for prefix, text in prefixes.items():
        if detail.startswith(prefix):
            return text.replace("%1", detail.removeprefix(prefix))
    return detail
