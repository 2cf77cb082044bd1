"""One settings object for the whole registry, read from `GI_` environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A source checkout keeps the dataset next to the package; an installed wheel sets GI_DATA_DIR.
REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as `GI_<NAME>` (e.g. `GI_PORT=8080`)."""

    model_config = SettingsConfigDict(
        env_prefix="GI_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    environment: str = "development"
    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'gi_registry.db'}",
        description="SQLAlchemy URL; the SQLite default lives in var/, outside git.",
    )
    data_dir: Path = REPO_ROOT / "data"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    default_page_size: int = Field(default=50, ge=1)
    max_page_size: int = Field(default=500, ge=1)
    sql_echo: bool = False
    db_pool_size: int = Field(
        default=20,
        ge=1,
        description="Database connections kept open per worker; request threads are capped at pool size "
        "plus overflow, so a request waits for a thread rather than failing for want of a connection",
    )
    db_max_overflow: int = Field(default=20, ge=0, description="Extra connections opened under load")
    cache_entries: int = Field(
        default=4_096, ge=1, description="Published answers kept in memory per worker (least recent go first)"
    )
    cache_megabytes: float = Field(
        default=512, gt=0, description="Memory the published answers may take per worker, bytes and gzip"
    )
    cache_recheck_ms: int = Field(
        default=2_000,
        ge=0,
        description="How long a worker trusts the shared version signal before reading the version row "
        "anyway (a backstop for writers without the commit hook, such as a sqlite3 shell)",
    )
    version_signal: Path | None = Field(
        default=None,
        description="PostgreSQL: a file every registry process on this machine shares to announce new data "
        "versions, so cached reads need no database round trip; set it only when every process that writes "
        "the database runs on this machine, never on a standby (SQLite always uses <database>.version)",
    )
    telemetry: bool = Field(
        default=False,
        description="Let FastAPI trace, measure and log requests through the OpenTelemetry providers set up "
        "in the process (opentelemetry-instrument, OTEL_* variables); off, requests skip its checks",
    )
    map_view_above: int = Field(
        default=5_000,
        ge=0,
        description="Above this many located producers and production areas, the overview and county maps "
        "load their layers by view (per-zoom tiles: clusters and simplified areas) instead of whole",
    )
    tiles: str | None = Field(
        default=None,
        description="Optional folium tile layer (e.g. OpenStreetMap) for an online deployment; "
        "by default maps draw only the shipped boundaries and work offline.",
    )
    secret_key: str | None = Field(
        default=None,
        min_length=32,
        description="Signs tokens, sessions and calendar addresses. Required outside development; in "
        "development a random key is made at start-up (sign-ins then last until a restart).",
    )
    access_token_minutes: int = Field(default=8 * 60, ge=1)
    upload_dir: Path = REPO_ROOT / "var" / "uploads"
    max_upload_mb: float = Field(default=20, gt=0)
    report_limit_per_hour: int = Field(
        default=5, ge=1, description="Misuse reports per client address per hour"
    )
    account_requests_per_hour: int = Field(
        default=5, ge=1, description="Requests for a producer's account per client address per hour"
    )
    login_failures_per_15_minutes: int = Field(
        default=10, ge=1, description="Failed sign-ins per user and address"
    )
    login_failures_per_address_per_15_minutes: int = Field(
        default=100, ge=1, description="Failed sign-ins per address, whatever the usernames"
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto "
        'are believed (e.g. ["127.0.0.1"]); none by default, so a client cannot choose its own address',
    )
    open_applications_per_authorization: int = Field(
        default=3, ge=1, description="Applications of one authorization that may be open at once"
    )
    report_photos_per_address_per_day: int = Field(
        default=10, ge=1, description="Misuse-report photos accepted per client address per day"
    )
    report_photos_total_mb: float = Field(
        default=2048, ge=0, description="Storage all misuse-report photos together may take"
    )
    max_boundary_vertices: int = Field(
        default=200_000, ge=100, description="Most vertices an uploaded boundary layer may hold"
    )
    max_boundary_features: int = Field(default=2_000, ge=1, description="Most features in a boundary layer")
    parse_memory_mb: int = Field(
        default=1024,
        ge=64,
        description="Memory one upload's parsing may add, in its own child process (maps, spreadsheets)",
    )
    parse_seconds: float = Field(
        default=60, gt=0, description="Wall-clock seconds one upload's parsing may take before it is stopped"
    )
    max_request_mb: float = Field(default=25, gt=0, description="Largest request body accepted")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the OGC API and /api"
    )
    demo_mode: bool = Field(
        default=False, description="Show records marked synthetic (demo data) on public pages"
    )
    # Reminders (gi_registry.reminders): with no SMTP URL nothing leaves the machine; the outbox is still
    # written and officials see on /officials/outbox what would have been sent.
    smtp_url: str | None = Field(
        default=None,
        description="Where reminders are delivered: smtp://host:25 (plain, a local relay), "
        "smtp+starttls://user:password@host:587 or smtps://user:password@host:465",
    )
    smtp_from: str = Field(default="gi-registry@localhost", max_length=200, description="Sender address")
    smtp_ca_file: Path | None = Field(
        default=None, description="Extra CA certificate to trust for STARTTLS/SSL (a private relay)"
    )
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The registry's address as recipients reach it; links in e-mails start with it",
    )
    outbox_max_attempts: int = Field(
        default=6, ge=1, description="Delivery attempts before a message becomes a dead letter"
    )
    outbox_retry_seconds: float = Field(
        default=60, gt=0, description="First retry delay; it doubles after each failure (capped at 6 h)"
    )
    outbox_in_serve: bool = Field(
        default=False,
        description="Run the scheduler and the sender inside `gi-registry serve`, each interval",
    )
    outbox_interval_seconds: float = Field(default=60, gt=0, description="Seconds between outbox rounds")
    outbox_lease_seconds: float = Field(
        default=300,
        gt=0,
        description="How long a sender holds a claimed message; after that another sender may take it",
    )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> "Settings":
        if self.environment != "development" and not self.secret_key:
            raise ValueError("GI_SECRET_KEY must be set (at least 32 characters) outside development")
        return self

    @field_validator("database_url")
    @classmethod
    def _use_psycopg_driver(cls, url: str) -> str:
        # "postgresql://" alone would pick psycopg2; the registry ships psycopg 3.
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            return "postgresql+psycopg://" + url.split("://", 1)[1]
        return url


@lru_cache
def get_settings() -> Settings:
    """Settings read once from the environment; tests build their own `Settings` instead."""
    return Settings()
