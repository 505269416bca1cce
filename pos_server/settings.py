"""Typed server settings: defaults, then ``POS_SERVER_*`` environment variables, then CLI flags."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PORT = 8765


def default_database_url() -> str:
    """A SQLite file in the platform's data directory, so a bare ``pos-server run`` just works."""
    folder = Path(user_data_dir("pos_server"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'pos_server.sqlite3'}"


class ServerSettings(BaseSettings):
    """Everything the server reads from its environment, typed and validated at start-up."""

    model_config = SettingsConfigDict(env_prefix="POS_SERVER_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = Field(default=DEFAULT_PORT, ge=1, le=65535)
    max_batch: int = Field(default=500, ge=1, le=10_000, description="operations per POST /v1/ops")
    # 500 sale.closed operations of 10 lines each (Cyrillic names \u-escaped) take 1.84 MiB
    # as JSON (measured with tests/server/conftest.py sale_payload): 4 MiB leaves twice that
    max_body_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, description="larger request bodies get 413 unread"
    )
    hold_ttl_seconds: int = Field(
        default=24 * 3600, ge=60, description="an open points hold expires after this: the "
        "default of the programme setting loyalty.hold_ttl_seconds (pos_server.programme)"
    )
    sweep_interval_seconds: float = Field(
        default=30.0, ge=0, description="how often expired holds are swept; 0 turns it off"
    )
    commit_group_ops: int = Field(
        default=100, ge=1, le=10_000,
        description="operations of one batch that share a commit; 1: a transaction each",
    )
    commit_group_ms: int = Field(
        default=50, ge=1, le=10_000,
        description="a shared commit comes after at most this much work, so another terminal "
        "never waits longer for the write lock",
    )
    max_page: int = Field(default=1000, ge=1, le=10_000, description="changes per GET /v1/changes")
    stream_poll_seconds: float = Field(
        default=0.2, gt=0, le=5,
        description="how often the process's order reader looks for new changes (PostgreSQL: "
        "also woken by NOTIFY at once)",
    )
    stream_buffer_events: int = Field(
        default=1000, ge=1, le=1_000_000,
        description="order events queued for one stream; a stream further behind is closed "
        "and its console resumes from the feed",
    )
    stream_heartbeat_seconds: float = Field(
        default=15.0, gt=0, description="an idle order stream sends a comment this often"
    )
    stream_auth_seconds: float = Field(
        default=1.0, gt=0, le=60,
        description="how often an open order stream checks that its token is still valid",
    )
    enrol_code_hours: float = Field(
        default=24.0, gt=0, le=24 * 365,
        description="an enrolment code from `pos-server terminal add` works this long",
    )
    api_docs: bool = Field(
        default=False, description="serve /docs and /openapi.json (off: they answer 404)"
    )
    tls_cert: Path | None = Field(default=None, description="PEM certificate (chain) for HTTPS")
    tls_key: Path | None = Field(default=None, description="PEM private key of tls_cert")
    metrics_token: SecretStr | None = Field(
        default=None, description="GET /metrics needs 'Authorization: Bearer <this>'; "
        "unset: /metrics is open (keep it off the public side of the proxy)",
    )
    web_session_idle_minutes: float = Field(
        default=30.0, gt=0, le=24 * 60,
        description="a back-office session unused this long ends (sign in again)",
    )
    web_session_hours: float = Field(
        default=12.0, gt=0, le=24 * 30,
        description="a back-office session ends this long after sign-in, used or not",
    )
    public_url: str | None = Field(
        default=None, description="the server's URL as tills reach it (the back office's "
        "enrolment QR code); unset: the URL the browser used",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="json: one JSON object per log line (pos_server/log_format.py)"
    )

    @model_validator(mode="after")
    def _tls_pair(self) -> ServerSettings:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("give both tls_cert and tls_key (--tls-cert and --tls-key), "
                             "or neither")
        if self.metrics_token is not None and not self.metrics_token.get_secret_value():
            self.metrics_token = None  # POS_SERVER_METRICS_TOKEN= (empty): not set
        return self

    @property
    def hold_ttl(self) -> timedelta:
        return timedelta(seconds=self.hold_ttl_seconds)

    @property
    def enrol_code_lifetime(self) -> timedelta:
        return timedelta(hours=self.enrol_code_hours)

    @property
    def commit_group_seconds(self) -> float:
        return self.commit_group_ms / 1000
