"""The server's logs as JSON lines, for a log collector (``pos-server run --log-format json``
or ``POS_SERVER_LOG_FORMAT=json``).

One JSON object per line on stderr: ``time`` (UTC, ISO 8601, milliseconds), ``level``,
``logger``, ``message``, the process id, ``exception`` (the traceback) when there is one, and
for each request uvicorn's access log answers (the ``/v1/ops`` fast path included, since it
is logged by the server, not by the framework) ``client``, ``method``, ``path`` and
``status``. ``text`` (the default) keeps uvicorn's own format.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Literal

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
ACCESS_LOGGER = "uvicorn.access"


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        line: dict[str, Any] = {
            "time": f"{stamp}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if record.name == ACCESS_LOGGER:
            line.update(_access_fields(record.args))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def _access_fields(args: Any) -> dict[str, Any]:
    """uvicorn's access record carries ``(client, method, path, http_version, status)``."""
    if not isinstance(args, tuple) or len(args) != 5:
        return {}
    client, method, path, http_version, status = args
    return {"client": client, "method": method, "path": path, "http_version": http_version,
            "status": status}  # fmt: skip


def log_config(log_format: LogFormat, level: str) -> dict[str, Any] | None:
    """The ``logging.config`` dictionary for uvicorn (``log_config=``); None: uvicorn's own.

    Every logger (uvicorn's, the server's, alembic's) goes through the root logger's one
    handler, so every line is JSON; the access log stays on, at INFO.
    """
    if log_format == "text":
        return None
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "pos_server.log_format.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            ACCESS_LOGGER: {"handlers": [], "level": "INFO", "propagate": True},
        },
        "root": {"handlers": ["stderr"], "level": level},
    }  # fmt: skip
